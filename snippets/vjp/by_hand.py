import torch
from torch.autograd.functional import jacobian


def f(x):
    # from R^3 to R^2: f(x) = (x1 * x2, x2 + x3^2)
    return torch.stack([x[0] * x[1], x[1] + x[2] ** 2])


x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
v = torch.tensor([2.0, -1.0])  # one entry per output

f(x).backward(gradient=v)
J = jacobian(f, x)
print("x.grad:", x.grad)
print("v @ J: ", v @ J)
