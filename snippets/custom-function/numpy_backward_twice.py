import numpy as np
import torch


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors  # 3 x^2 computed in NumPy: a constant
        three_x2 = torch.from_numpy(3 * np.square(x.detach().numpy()))
        return grad_output * three_x2


x = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (Cube.apply(x) ** 2).sum()  # x^6 summed
(g,) = torch.autograd.grad(loss, x, create_graph=True)
print(g.detach())  # 6 x^5: right
g.sum().backward()
print(x.grad)  # 18 x^4, but the second derivative of x^6 is 30 x^4
