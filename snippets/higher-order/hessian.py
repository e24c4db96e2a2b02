import torch
from torch.func import hessian


def f(x):
    """f(x1, x2, x3) = x1^2 x2 + sin(x3) x1, a scalar."""
    return x[0] ** 2 * x[1] + torch.sin(x[2]) * x[0]


x = torch.tensor([1.0, 2.0, 0.5])
H = hessian(f)(x)
print(H)
print(torch.allclose(H, torch.autograd.functional.hessian(f, x)))
print(torch.allclose(H, H.T))  # second derivatives commute
