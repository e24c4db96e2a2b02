import torch
from torch import nn
from torch.utils.checkpoint import checkpoint
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
blocks = [nn.Sequential(nn.Linear(16, 16), nn.GELU()) for _ in range(4)]
params = [p for block in blocks for p in block.parameters()]
x = torch.randn(64, 16)


def train_step(checkpointed):
    """Forward and backward: bytes saved, FLOPs of both passes, gradients."""
    saved = 0

    def pack(t):
        nonlocal saved
        saved += t.numel() * t.element_size()
        return t

    for p in params:
        p.grad = None
    with FlopCounterMode(display=False) as counter:
        with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
            h = x
            for block in blocks:
                if checkpointed:
                    h = checkpoint(block, h, use_reentrant=False)
                else:
                    h = block(h)
        h.sum().backward()
    return saved, counter.get_total_flops(), [p.grad for p in params]


plain, checkpointed = train_step(False), train_step(True)
for name, (saved, flops, _) in (("plain", plain),
                                ("checkpointed", checkpointed)):
    print(f"{name:12}  {saved:>6,} bytes saved  {flops:>7,} FLOPs")
pairs = zip(plain[2], checkpointed[2], strict=True)
print("same gradients:", all(torch.equal(a, b) for a, b in pairs))
