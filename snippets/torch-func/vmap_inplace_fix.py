import torch
from torch.func import vmap


def pad(x):
    return torch.cat([x, torch.zeros(1)])  # out of place


def pad_in_place(x):
    out = x.new_zeros(3)  # made from x: batched like x
    out[:2] = x
    return out


batch = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
print(vmap(pad)(batch))
print(vmap(pad_in_place)(batch))
