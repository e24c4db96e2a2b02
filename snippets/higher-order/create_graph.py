import torch

x = torch.tensor(2.0, requires_grad=True)
y = x**3

# 3x^2, itself differentiable thanks to create_graph=True
(dy,) = torch.autograd.grad(y, x, create_graph=True)
(d2y,) = torch.autograd.grad(dy, x)  # 6x
print(dy, d2y)
