import torch
from torch.autograd.functional import jacobian


def func(x):
    y1 = x[0, 0] ** 2 + 3 * x[0, 1]
    y2 = x[0, 1] ** 2 + 2 * x[0, 0]
    return torch.stack([y1, y2]).reshape(1, 2)


x = torch.tensor([[2.0, 3.0]], requires_grad=True)
y = func(x)
J = jacobian(func, x)
print(J.shape)  # y.shape + x.shape
print(J)
