import torch
from torch.func import grad, hessian, jvp, vmap


def f(x):  # x_1 x_2 mixes the entries: the Hessian is not diagonal
    return (x**3).sum() + x[0] * x[1]


x = torch.tensor([1.0, 2.0, 3.0])
print(torch.diagonal(hessian(f)(x)))  # from the whole 3 x 3 Hessian


def hvp(v):  # H v, without forming H
    return jvp(grad(f), (x,), (v,))[1]


exact = (torch.eye(3) * vmap(hvp)(torch.eye(3))).sum(1)  # one H v per entry
print(exact)

torch.manual_seed(0)
signs = torch.randint(0, 2, (1000, 3)) * 2.0 - 1  # random +1 / -1 vectors
estimate = (signs * vmap(hvp)(signs)).mean(0)  # Hutchinson: E[v * H v]
print(estimate)  # close to the diagonal, not equal to it
