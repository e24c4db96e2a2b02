from itertools import pairwise

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode


def flops(model, x):
    """Operations of the matrix products of the forward and backward passes."""
    with FlopCounterMode(display=False) as forward:
        loss = model(x).sum()
    with FlopCounterMode(display=False) as backward:
        loss.backward()
    return forward.get_total_flops(), backward.get_total_flops()


torch.manual_seed(0)
for widths in ([4, 8, 8, 2], [100, 400, 400, 10]):
    layers = []
    for n_in, n_out in pairwise(widths):
        layers += [nn.Linear(n_in, n_out), nn.Tanh()]
    model = nn.Sequential(*layers[:-1])  # no tanh after the last layer
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    x = torch.randn(10, widths[0])  # a batch of 10 inputs
    for x_needs_grad in (False, True):
        x.requires_grad_(x_needs_grad)
        fwd, bwd = flops(model, x)
        print(f"  x.requires_grad={x_needs_grad!s:5}  forward {fwd:>9,}"
              f"  backward {bwd:>9,}  ({bwd / fwd:.2f} x)")
