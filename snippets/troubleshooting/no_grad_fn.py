import torch

x = torch.tensor([1.0, 2.0])  # requires_grad was never set
loss = (x**2).sum()
loss.backward()
