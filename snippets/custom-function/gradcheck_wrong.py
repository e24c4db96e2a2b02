import torch


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x  # wrong: the square is missing


x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
torch.autograd.gradcheck(Cube.apply, (x,))
