import torch
from torch.autograd.functional import hvp, vhp


def f(x):
    return x[0] ** 2 * x[1] + torch.sin(x[2]) * x[0]


x = torch.tensor([1.0, 2.0, 0.5])
v = torch.tensor([1.0, -1.0, 2.0])

print(hvp(f, x, v))  # (f(x), H v)
print(vhp(f, x, v))  # (f(x), v^T H): the same, since H is symmetric
