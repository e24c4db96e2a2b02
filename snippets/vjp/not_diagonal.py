import torch
from torch.autograd.functional import jacobian

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = torch.cumsum(x, dim=0)  # y_j = x_1 + ... + x_j: outputs mix the inputs
y.backward(gradient=torch.ones_like(y))
print("ones_like(y):", x.grad)

x.grad = None
y = torch.cumsum(x, dim=0)  # a new graph for the second backward
y.sum().backward()
print("sum():       ", x.grad)

J = jacobian(lambda x: torch.cumsum(x, dim=0), x)
print(J)
print("diagonal:    ", torch.diagonal(J))
