import torch
from torch.func import jvp


def f(x):
    return x.sum(dim=1, keepdim=True) * x  # (2, 3) -> (2, 3)


torch.manual_seed(0)
x = torch.randn(2, 3)
u = torch.randn(2, 3)  # shaped like x

_, Ju = jvp(f, (x,), (u,))  # shaped like y
J = torch.autograd.functional.jacobian(f, x)  # y.shape + x.shape
print(Ju.shape, J.shape)
print(torch.allclose(Ju, torch.tensordot(J, u, dims=x.ndim)))
