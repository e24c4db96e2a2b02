import torch
from torch.func import vmap


def add_noise(x):
    return x + torch.randn(())


torch.manual_seed(0)
print(vmap(add_noise, randomness="different")(torch.zeros(3)))
torch.manual_seed(0)
print(vmap(add_noise, randomness="same")(torch.zeros(3)))
