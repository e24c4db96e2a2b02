import warnings

import torch


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x**2  # correct


x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)  # float32
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print(torch.autograd.gradcheck(Cube.apply, (x,), raise_exception=False))
print(str(caught[0].message).strip())

h = 1e-6  # gradcheck's step, eps
with torch.no_grad():
    print((x + h) - x, x - (x - h))  # the steps really taken, rounded
    print((Cube.apply(x + h) - Cube.apply(x - h)) / (2 * h))  # 0.75, 3, 12
