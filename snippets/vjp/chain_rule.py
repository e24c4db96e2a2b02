import torch


def f(x):
    return torch.stack([x[0] * x[1], x[1] + x[2] ** 2])


def loss(y):
    return (y**2).sum()  # a scalar function of y, with gradient 2 y


# Route 1: differentiate loss(f(x)) directly.
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
loss(f(x)).backward()
print("gradient of loss(f(x)):", x.grad)

# Route 2: a vector-Jacobian product of f, v = gradient of loss at y = f(x).
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = f(x)
y.backward(gradient=2 * y.detach())
print("v^T J with v = 2 y:    ", x.grad)
