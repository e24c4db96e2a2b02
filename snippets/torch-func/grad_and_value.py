import torch
from torch.func import grad, grad_and_value


def f(x):
    print("f runs")
    return (x**2).sum()  # a scalar: x_1^2 + x_2^2 + x_3^2


x = torch.tensor([1.0, 2.0, 3.0])
df = grad(f)  # a new function: x -> the gradient of f at x
print(df(x))  # 2x
gradient, value = grad_and_value(f)(x)  # both, from one call of f
print(gradient, value)
