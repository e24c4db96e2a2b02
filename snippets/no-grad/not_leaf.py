import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2  # computed: not a leaf
y.requires_grad_(False)
