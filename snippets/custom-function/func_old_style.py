import torch
from torch.func import grad


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):  # ctx in forward: the old, combined style
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x**2


x = torch.tensor([1.0, 2.0, 3.0])
grad(lambda t: Cube.apply(t).sum())(x)
