import torch
from torch.func import vmap


class Cube(torch.autograd.Function):
    # no generate_vmap_rule = True, and no vmap staticmethod

    @staticmethod
    def forward(x):
        return x**3

    @staticmethod
    def setup_context(ctx, inputs, output):
        (x,) = inputs
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x**2


vmap(Cube.apply)(torch.tensor([1.0, 2.0, 3.0]))
