import torch

x = torch.arange(6.0).reshape(3, 2).requires_grad_()
y = (x**2).sum()  # one scalar from all six entries of x
y.backward()
print("x.shape: ", tuple(x.shape))
print("y.shape: ", tuple(y.shape))
print("x.grad:")
print(x.grad)  # 2 x, shaped like x
