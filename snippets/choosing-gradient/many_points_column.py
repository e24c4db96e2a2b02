import torch

x = torch.linspace(-1, 1, 5).reshape(5, 1).requires_grad_()
y = x**2
v = torch.ones_like(y)  # shaped like y: a column too
y.backward(gradient=v)
print("x.shape: ", tuple(x.shape))
print("y.shape: ", tuple(y.shape))
print("gradient:")
print(v)
print("x.grad:")
print(x.grad)
