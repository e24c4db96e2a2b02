import torch
from torch.autograd.functional import jacobian


def f(x):
    return torch.stack([x[0] * x[1], x[1] + x[2] ** 2])


x = torch.tensor([1.0, 2.0, 3.0])
J = jacobian(f, x)  # 2 x 3
v = torch.tensor([2.0, -1.0])

row = v.reshape(1, 2) @ J  # v^T J: a 1 x 3 row
column = J.T @ v.reshape(2, 1)  # J^T v: a 3 x 1 column
print(row)
print(column)
print(torch.equal(row, column.T))
