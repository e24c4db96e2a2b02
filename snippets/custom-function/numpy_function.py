import numpy as np
import torch


class NumpySin(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        # Inside forward, x does not require grad: .numpy() is allowed.
        return torch.from_numpy(np.sin(x.numpy()))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * torch.from_numpy(np.cos(x.numpy()))


x = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
y = NumpySin.apply(x)
y.backward(gradient=torch.ones_like(y))
print(y)
print(x.grad)
print(torch.cos(x.detach()))  # the derivative of sin, for comparison
