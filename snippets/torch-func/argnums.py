import torch
from torch.func import grad


def f(a, b):
    return (a * b).sum()


a = torch.tensor([1.0, 2.0])
b = torch.tensor([3.0, 4.0])
print(grad(f)(a, b))  # argnums=0, the default: d f / d a = b
print(grad(f, argnums=1)(a, b))  # d f / d b = a
print(grad(f, argnums=(0, 1))(a, b))  # a tuple, one gradient per argument
