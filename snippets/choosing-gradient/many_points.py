import torch

x = torch.linspace(-1, 1, 5, requires_grad=True)
y = x**2
v = torch.ones_like(y)
y.backward(gradient=v)
print("x.shape: ", tuple(x.shape))
print("y.shape: ", tuple(y.shape))
print("gradient:", v)
print("x.grad:  ", x.grad)
