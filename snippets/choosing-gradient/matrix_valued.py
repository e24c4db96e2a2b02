import itertools

import torch

x = torch.tensor(1.0, requires_grad=True)
# [[1, x], [x^2, x^3], [x^4, x^5]]
y = torch.stack([x**k for k in range(6)]).reshape(3, 2)
print(y.detach())

derivatives = torch.zeros_like(y)
for i, j in itertools.product(range(3), range(2)):
    v = torch.zeros_like(y)
    v[i, j] = 1.0  # select entry (i, j) of the matrix
    x.grad = None
    y.backward(gradient=v, retain_graph=True)
    derivatives[i, j] = x.grad
print(derivatives)
