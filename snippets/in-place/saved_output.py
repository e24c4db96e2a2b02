import torch

x = torch.tensor([0.0, 1.0], requires_grad=True)
s = x.sigmoid()  # saves its result: the derivative is s (1 - s)
s.mul_(2)  # changes the saved s
s.sum().backward()
