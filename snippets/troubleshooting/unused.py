import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0], requires_grad=True)
loss = (a**2).sum()  # b plays no part
torch.autograd.grad(loss, [a, b])
