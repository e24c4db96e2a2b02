import torch

w = torch.tensor([3.0, 5.0])
x = torch.tensor([-1.0, 2.0], requires_grad=True)
y = (w * x**2).sum()  # f(x1, x2) = 3 x1^2 + 5 x2^2, a scalar
v = torch.ones_like(y)
y.backward(gradient=v)
print("x.shape: ", tuple(x.shape))
print("y.shape: ", tuple(y.shape))
print("gradient:", v)
print("x.grad:  ", x.grad)
