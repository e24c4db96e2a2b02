import torch
import torch.autograd.functional as functional
import torch.func


def f(x):
    return torch.stack([x[0] * x[1], x[1] + x[2] ** 2])


x = torch.tensor([1.0, 2.0, 3.0])
u = torch.tensor([1.0, 0.0, -1.0])  # shaped like x
v = torch.tensor([2.0, -1.0])  # shaped like f(x)

print(functional.jvp(f, x, u))  # (f(x), J u)
print(torch.func.jvp(f, (x,), (u,)))  # the same, as a tuple

print(functional.vjp(f, x, v))  # (f(x), v^T J)
y, vjp_fn = torch.func.vjp(f, x)  # f(x), and a function of v
print(y, vjp_fn(v))
