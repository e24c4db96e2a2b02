import torch
from torch.func import jacrev, vmap


def f(x):
    return x.sin() * x.sum()


x = torch.tensor([0.5, 1.0, 1.5, 2.0])
full = jacrev(f)(x)  # all four rows of the Jacobian at once
chunked = jacrev(f, chunk_size=2)(x)  # two rows at a time
print(torch.allclose(full, chunked))

batch = torch.randn(6, 4, generator=torch.Generator().manual_seed(0))
print(torch.allclose(vmap(f)(batch), vmap(f, chunk_size=2)(batch)))
