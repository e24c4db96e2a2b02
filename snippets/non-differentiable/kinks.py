import torch
import torch.nn.functional as F


def grad_at(f, *points):
    x = torch.tensor(points, requires_grad=True)
    f(x).sum().backward()
    return x.grad


print("relu at 0           ", grad_at(F.relu, 0.0))
print("leaky_relu at 0     ", grad_at(F.leaky_relu, 0.0))
print("abs at 0            ", grad_at(torch.abs, 0.0))
print("sign at 0, 1        ", grad_at(torch.sign, 0.0, 1.0))
print("clamp(min=0) at 0   ", grad_at(lambda x: x.clamp(min=0), 0.0))
print("clamp(0, 1) at 0, 1 ", grad_at(lambda x: x.clamp(0, 1), 0.0, 1.0))
print("hardtanh at -1, 1   ", grad_at(F.hardtanh, -1.0, 1.0))
print("maximum(a, b), a = b", grad_at(lambda x: torch.maximum(*x), 1.0, 1.0))
print("max(a, b), a = b    ", grad_at(lambda x: torch.max(*x), 1.0, 1.0))
print("x.max(), a tie      ", grad_at(lambda x: x.max(), 3.0, 3.0))
