import torch


class ClipGrad(torch.autograd.Function):
    """The identity in forward; backward clamps v to [-bound, bound]."""

    @staticmethod
    def forward(ctx, x, bound):
        ctx.bound = bound  # not a tensor: an attribute of ctx
        return x.clone()

    @staticmethod
    def backward(ctx, grad_output):
        clipped = grad_output.clamp(-ctx.bound, ctx.bound)
        return clipped, None  # one per input of forward; bound is a float


x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = ClipGrad.apply(x, 1.0)
y.backward(gradient=torch.tensor([0.5, -4.0, 10.0]))
print(y.detach(), x.grad)

# The same with a hook, and no Function: h stands for any intermediate result.
x.grad = None
h = x * 1
h.register_hook(lambda grad: grad.clamp(-1.0, 1.0))  # the clipped gradient
h.backward(gradient=torch.tensor([0.5, -4.0, 10.0]))
print(x.grad)
