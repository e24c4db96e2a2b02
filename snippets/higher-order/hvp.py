import torch
from torch.func import grad, hessian, jvp


def f(x):
    return x[0] ** 2 * x[1] + torch.sin(x[2]) * x[0]


x = torch.tensor([1.0, 2.0, 0.5], requires_grad=True)
v = torch.tensor([1.0, -1.0, 2.0])

# Reverse over reverse: the gradient, kept differentiable, then its
# vector-Jacobian product with v.
(g,) = torch.autograd.grad(f(x), x, create_graph=True)
(Hv_reverse,) = torch.autograd.grad(g, x, grad_outputs=v)

# Forward over reverse: the directional derivative of the gradient along v.
_, Hv_forward = jvp(grad(f), (x.detach(),), (v,))

print(Hv_reverse)
print(Hv_forward)
print(hessian(f)(x.detach()) @ v)  # the same, but forming the 3 x 3 Hessian
