import numpy as np
import torch


class NumpySin(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        # x still requires grad, but grad mode is off: .numpy() is allowed.
        print("in forward:", x.requires_grad, torch.is_grad_enabled())
        return torch.from_numpy(np.sin(x.numpy()))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        print("in backward:", torch.is_grad_enabled())
        # Grad mode is on under create_graph=True, where x.numpy() would fail.
        return grad_output * torch.from_numpy(np.cos(x.detach().numpy()))


x = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
y = NumpySin.apply(x)
y.backward(gradient=torch.ones_like(y))
print(y)
print(x.grad)
print(torch.cos(x.detach()))  # the derivative of sin, for comparison

# backward once more, recorded this time (as for a second derivative)
torch.autograd.grad(NumpySin.apply(x).sum(), x, create_graph=True)
