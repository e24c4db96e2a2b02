import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = torch.zeros(3, requires_grad=True)  # a leaf that requires grad
out[0] = x[0] ** 2
