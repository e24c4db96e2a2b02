import torch
from torch.autograd.functional import jacobian

W = torch.tensor([[1.0, -1.0], [2.0, 0.0], [0.5, 3.0], [-2.0, 1.0]])


def f(x):
    return torch.sin(W @ x)  # x has shape (2, 3), y has shape (4, 3)


x = torch.tensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], requires_grad=True)
y = f(x)
v = torch.arange(12.0).reshape(y.shape)  # any tensor shaped like y

J = jacobian(f, x)
print("J.shape:", J.shape)  # y.shape + x.shape

y.backward(gradient=v)
# the sum over all of y's dimensions
contracted = torch.tensordot(v, J, dims=y.ndim)
print("x.grad.shape:", x.grad.shape)
print(torch.allclose(x.grad, contracted))
print(x.grad)
