import torch
from torch.autograd.functional import jacobian

# m = 1: the Jacobian of a scalar function is its gradient.
w = torch.tensor([3.0, 5.0])
J = jacobian(lambda x: (w * x**2).sum(), torch.tensor([-1.0, 2.0]))
print("m = 1:", J)

# n = 1: the Jacobian of a function of one variable: the column of derivatives.
J = jacobian(lambda x: torch.stack([-(x**3), 5 * x]), torch.tensor(1.0))
print("n = 1:", J)
