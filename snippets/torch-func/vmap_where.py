import torch
from torch.func import vmap


def flip_if_negative(x):
    return torch.where(x.sum() < 0, -x, x)  # chosen per sample


batch = torch.tensor([[1.0, -4.0], [2.0, 1.0]])
print(vmap(flip_if_negative)(batch))
