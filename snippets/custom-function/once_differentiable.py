import numpy as np
import torch
from torch.autograd.function import once_differentiable


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    @once_differentiable  # this backward cannot be differentiated
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        three_x2 = torch.from_numpy(3 * np.square(x.detach().numpy()))
        return grad_output * three_x2


x = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (Cube.apply(x) ** 2).sum()
(g,) = torch.autograd.grad(loss, x, create_graph=True)
print(g.detach())  # 6 x^5: the first derivative is fine
g.sum().backward()  # the second goes through Cube's backward
