import torch

x = torch.linspace(-2, 2, 5, requires_grad=True)
y = x**2  # one output per input point
y.backward(gradient=torch.ones_like(y))
print(x.grad)
