import torch
from torch.autograd.functional import jacobian

x = torch.tensor([0.5, 1.0, 2.0, 3.0])
J = jacobian(lambda x: x**2, x)
print(J)  # diagonal: output j depends on input j only
print(torch.ones(4) @ J)  # a row of ones picks the diagonal: 2x at each point
