import torch
from torch.func import grad, hessian, jacfwd, jacrev, vmap


def f(x):
    return (x**3).sum()  # gradient 3x^2, Hessian diag(6x)


x = torch.tensor([1.0, 2.0])
print(jacfwd(jacrev(f))(x))  # forward over reverse: the Hessian
print(torch.equal(jacfwd(jacrev(f))(x), hessian(f)(x)))  # what hessian does

batch = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
print(vmap(grad(f))(batch))  # one gradient per row
print(vmap(hessian(f))(batch).shape)  # one 2 x 2 Hessian per row
