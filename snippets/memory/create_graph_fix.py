import warnings

import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    (g,) = torch.autograd.grad((x**3).sum(), x, create_graph=True)
print(len(caught), "warnings;", "x.grad:", x.grad)
print(g)  # 3x^2, returned, not stored in x.grad
(h,) = torch.autograd.grad(g.sum(), x)  # differentiate it again: 6x
print(h)
