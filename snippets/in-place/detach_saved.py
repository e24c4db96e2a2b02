import torch

x = torch.tensor([0.0, 1.0], requires_grad=True)
t = x.tanh()  # saves its result: the derivative is 1 - t^2
t.detach().zero_()  # not recorded, but it overwrites t's memory
t.sum().backward()
