import torch


def grad_of(f):
    x = torch.tensor([-1.0, 0.0, 4.0], requires_grad=True)
    f(x).sum().backward()
    return x.grad


x = torch.tensor([-1.0, 0.0, 4.0])
print(torch.where(x > 0, torch.sqrt(x), 0.0))  # the values are right
print(grad_of(lambda x: torch.where(x > 0, torch.sqrt(x), 0.0)))
print(grad_of(lambda x: torch.where(x > 0, torch.log(x), 0.0)))
