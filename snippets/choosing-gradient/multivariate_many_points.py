import torch

w = torch.tensor([-1.0, 1.0])
# three points of R^2, one per row
x = torch.arange(6.0).reshape(3, 2).requires_grad_()
y = (w * x**2).sum(dim=1)  # f(x1, x2) = -x1^2 + x2^2 at each point
v = torch.ones_like(y)
y.backward(gradient=v)
print("x.shape: ", tuple(x.shape))
print("y.shape: ", tuple(y.shape))
print("gradient:", v)
print("x.grad:")
print(x.grad)  # row k: the gradient (-2 x1, 2 x2) at point k
