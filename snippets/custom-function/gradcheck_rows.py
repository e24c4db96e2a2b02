import torch


class Mix(torch.autograd.Function):
    """y = (x1, 2 x2, x1 x2): 2 inputs, 3 outputs."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.stack([x[0], 2 * x[1], x[0] * x[1]])

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        v1, v2, v3 = grad_output
        # wrong: the derivative of y2 = 2 x2 with respect to x2 is 2, not 3
        return torch.stack([v1 + v3 * x[1], 3 * v2 + v3 * x[0]])


x = torch.tensor([1.0, 5.0], dtype=torch.float64, requires_grad=True)
torch.autograd.gradcheck(Mix.apply, (x,))
