import torch
from torch.func import jvp, vjp


def f(x):
    return torch.stack([x[0] * x[1], x[1] + x[2] ** 2])


x = torch.tensor([1.0, 2.0, 3.0])
u = torch.tensor([1.0, 0.0, -1.0])  # shaped like x
v = torch.tensor([2.0, -1.0])  # shaped like y

_, Ju = jvp(f, (x,), (u,))
_, pullback = vjp(f, x)
(vJ,) = pullback(v)
print(torch.dot(v, Ju), torch.dot(vJ, u))  # <v, J u> = <v^T J, u>
