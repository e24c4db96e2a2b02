import torch
from torch.func import grad


def f(t):
    return t**2


x = torch.tensor([1.0, 2.0, 3.0])
grad(f)(x)  # f(x) has three entries, not one
