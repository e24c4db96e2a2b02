import torch


def grad_at_zero(f):
    x = torch.zeros(2, requires_grad=True)
    f(x).backward()
    return x.grad


print(grad_at_zero(torch.linalg.vector_norm))
print(grad_at_zero(lambda x: x.norm()))
print(grad_at_zero(lambda x: torch.sqrt((x**2).sum())))  # by hand
