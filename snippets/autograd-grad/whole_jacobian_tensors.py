import torch

torch.manual_seed(0)
x = torch.randn(2, 3, requires_grad=True)
y = x.sum(dim=1, keepdim=True) * x  # y has the shape of x: (2, 3)

# 6 one-hot tensors, each shaped like y
rows = torch.eye(y.numel()).reshape(-1, *y.shape)
(J,) = torch.autograd.grad(y, x, grad_outputs=rows, is_grads_batched=True)
J = J.reshape(*y.shape, *x.shape)  # one entry per (entry of y, entry of x)
print(J.shape)
print(torch.allclose(J, torch.autograd.functional.jacobian(
    lambda t: t.sum(dim=1, keepdim=True) * t, x)))
