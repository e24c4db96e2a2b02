import torch
from torch.autograd.functional import jacobian


def f(x):
    return torch.stack([x[0] * x[1], x[1] + x[2] ** 2])


x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = f(x)
for i in range(y.numel()):
    v = torch.zeros_like(y)
    v[i] = 1.0  # one-hot: selects output i
    x.grad = None  # backward adds to x.grad, so clear it first
    y.backward(gradient=v, retain_graph=True)
    print(f"gradient of f_{i + 1}:", x.grad)

print(jacobian(f, x))
