import torch

x = torch.linspace(-2, 2, 5, requires_grad=True)
total = (x**2).sum()  # a scalar, so backward() needs no argument
total.backward()
print(x.grad)
