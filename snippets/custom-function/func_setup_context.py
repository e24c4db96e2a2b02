import torch
from torch.func import grad, jacrev, vmap


class Cube(torch.autograd.Function):
    generate_vmap_rule = True  # let vmap batch forward and backward

    @staticmethod
    def forward(x):  # no ctx: forward only computes
        return x**3

    @staticmethod
    def setup_context(ctx, inputs, output):  # what forward saved, here
        (x,) = inputs
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x**2


x = torch.tensor([1.0, 2.0, 3.0])
print(grad(lambda t: Cube.apply(t).sum())(x))
print(vmap(Cube.apply)(x))
print(jacrev(Cube.apply)(x))

xr = x.clone().requires_grad_()
Cube.apply(xr).backward(gradient=torch.ones(3))  # backward works as before
print(xr.grad)
