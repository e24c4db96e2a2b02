import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
use_b = False
loss = (a**2).sum() + ((b**2).sum() if use_b else 0)
print(torch.autograd.grad(loss, [a, b], allow_unused=True))
