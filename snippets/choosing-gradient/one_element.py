import torch

x = torch.tensor([[1.0]], requires_grad=True)
y = x**2
y.backward()  # allowed: y has one element, even though it is not 0-dimensional
print(x.grad)
