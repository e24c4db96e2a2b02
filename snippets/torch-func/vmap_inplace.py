import torch
from torch.func import vmap


def pad(x):
    out = torch.zeros(3)  # created inside: one tensor, not one per sample
    out[:2] = x  # write a batched x into it, in place
    return out


batch = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
vmap(pad)(batch)
