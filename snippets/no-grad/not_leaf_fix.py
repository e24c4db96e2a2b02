import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
c = y.detach()  # the same numbers, as a new leaf that requires no grad
print(c.requires_grad, c.is_leaf)
