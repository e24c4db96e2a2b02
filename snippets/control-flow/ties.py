import torch


def grad_of(f):
    x = torch.tensor([1.0, 3.0, 3.0], requires_grad=True)  # a tie for max
    f(x).backward()
    return x.grad


print("x.max()             ", grad_of(lambda x: x.max()))
print("torch.amax(x)       ", grad_of(lambda x: torch.amax(x)))
print("torch.amax(x, dim=0)", grad_of(lambda x: torch.amax(x, dim=0)))
print("torch.max(x, dim=0) ", grad_of(lambda x: torch.max(x, dim=0).values))
print(torch.max(torch.tensor([1.0, 3.0, 3.0]), dim=0).indices)
