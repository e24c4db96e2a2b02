import torch
from torch.func import vmap


def add_noise(x):
    return x + torch.randn(())  # a random number: one, or one per sample?


vmap(add_noise)(torch.zeros(3))
