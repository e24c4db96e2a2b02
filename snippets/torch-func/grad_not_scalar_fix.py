import torch
from torch.func import grad, jacrev, vjp, vmap


def f(t):
    return t**2


x = torch.tensor([1.0, 2.0, 3.0])
print(grad(lambda t: f(t).sum())(x))  # the sum: 2x at each point
print(vmap(grad(f))(x))  # grad at one point, vmapped over three
print(jacrev(f)(x))  # the whole Jacobian, diag(2x)
_, vjp_fn = vjp(f, x)
print(vjp_fn(torch.ones(3)))  # v^T J with v = ones, one result per input
