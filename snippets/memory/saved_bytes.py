import torch
from torch import nn


def saved_bytes(model, x):
    """Bytes of the tensors autograd saves for backward while model runs."""
    total = 0

    def pack(t):  # called for every tensor an operation saves
        nonlocal total
        total += t.numel() * t.element_size()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(x).sum()
    return total


def mlp(depth, width=16):
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), nn.GELU()]
    return nn.Sequential(*layers)


torch.manual_seed(0)
for depth, batch in ((1, 32), (2, 32), (4, 32), (4, 64)):
    saved = saved_bytes(mlp(depth), torch.randn(batch, 16))
    print(f"depth {depth}, batch {batch}: {saved:>6,} bytes")

with torch.no_grad():
    print("under no_grad:", saved_bytes(mlp(4), torch.randn(64, 16)), "bytes")
