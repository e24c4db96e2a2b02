import torch
from torch.func import vmap


def flip_if_negative(x):
    if x.sum() < 0:  # Python decides: one branch for the whole batch?
        return -x
    return x


batch = torch.tensor([[1.0, -4.0], [2.0, 1.0]])
vmap(flip_if_negative)(batch)
