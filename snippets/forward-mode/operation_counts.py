import torch
from torch.func import jacfwd, jacrev
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
A = torch.randn(1000, 4)


def tall(x):  # 4 inputs, 1000 outputs
    return torch.tanh(A @ x)


def wide(x):  # 1000 inputs, 4 outputs
    return torch.tanh(A.T @ x)


def flops(compute, *args):
    """Floating-point operations of the matrix-matrix products it runs."""
    with FlopCounterMode(display=False) as counter:
        compute(*args)
    return counter.get_total_flops()


x_small, x_large = torch.randn(4), torch.randn(1000)
for name, f, x in (("tall", tall, x_small), ("wide", wide, x_large)):
    rev, fwd = flops(jacrev(f), x), flops(jacfwd(f), x)
    print(f"{name}: f {flops(f, x)}  jacrev {rev:>9,}  jacfwd {fwd:>9,}")
