import torch

x = torch.tensor([0.0, 1.0], requires_grad=True)
s = x.sigmoid()  # saves s; every entry of s is positive
s.relu_()  # changes no number, but it is an in-place change of s
s.sum().backward()
