import torch
from torch.autograd.functional import jacobian


def f(x):
    # f(x1, x2, x3) = (x1 + x2 + x3, x1^2 + x2^2 + x3^2): from R^3 to R^2
    return torch.stack([x.sum(), (x**2).sum()])


x = torch.tensor([1.0, 2.0, 3.0])
J = jacobian(f, x)
print(J.shape)  # m x n = 2 x 3: one row per output, one column per input
print(J)
