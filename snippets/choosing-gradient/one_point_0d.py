import torch

x = torch.tensor(1.0, requires_grad=True)
y = x**2
v = torch.ones_like(y)  # the default for a scalar y: backward() does the same
y.backward(gradient=v)
print("x.shape: ", tuple(x.shape))
print("y.shape: ", tuple(y.shape))
print("gradient:", v)
print("x.grad:  ", x.grad)
