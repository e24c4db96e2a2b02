import torch
from torch.func import jvp


def f(x):
    """f(x1, x2, x3) = (x1 x2, x2 + x3^2)."""
    return torch.stack([x[0] * x[1], x[1] + x[2] ** 2])


x = torch.tensor([1.0, 2.0, 3.0])
u = torch.tensor([1.0, 0.0, -1.0])  # a direction in input space: shaped like x

y, Ju = jvp(f, (x,), (u,))  # f(x) and J u, in one forward pass
print(y, Ju)
J = torch.autograd.functional.jacobian(f, x)
print(J @ u)
