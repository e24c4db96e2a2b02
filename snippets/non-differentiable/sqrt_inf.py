import torch


def grad_at(f, *points):
    x = torch.tensor(points, requires_grad=True)
    f(x).sum().backward()
    return x.grad


print("sqrt at 0, 4          ", grad_at(torch.sqrt, 0.0, 4.0))
print("x**0.5 at 0, 4        ", grad_at(lambda x: x**0.5, 0.0, 4.0))
print("log at 0, 4           ", grad_at(torch.log, 0.0, 4.0))
print("sqrt(x + eps) at 0, 4 ", grad_at(lambda x: (x + 1e-4).sqrt(), 0.0, 4.0))
