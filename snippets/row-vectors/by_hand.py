import torch
from torch.autograd.functional import jacobian


def func(x):
    y1 = x[0, 0] ** 2 + 3 * x[0, 1]
    y2 = x[0, 1] ** 2 + 2 * x[0, 0]
    return torch.stack([y1, y2]).reshape(1, 2)


x = torch.tensor([[2.0, 3.0]], requires_grad=True)
y = func(x)
y.backward(gradient=torch.ones_like(y))
J = jacobian(func, x)  # shape (1, 2, 1, 2)
v = torch.ones_like(y)  # shape (1, 2), like y

# 1. Contract v with J over both of y's dimensions: the result has x's shape.
contraction = torch.tensordot(v, J, dims=y.ndim)

# 2. Flatten: y and x as plain vectors of length 2, J as a 2 x 2 matrix.
J2 = J.reshape(y.numel(), x.numel())
flattened = (v.reshape(-1) @ J2).reshape(x.shape)

# 3. A row of ones times the 2 x 2 Jacobian: v^T J, no transpose of anything.
row = torch.ones(1, 2) @ J2

# 4. J^T v taken literally: v transposed to a column, the result back to a row.
twice = (J2.T @ v.T).T

results = {"contraction": contraction, "flattened": flattened, "row @ J": row,
           "J^T v, twice": twice}
for name, value in results.items():
    print(f"{name:<12} {value}  equals x.grad: {torch.equal(value, x.grad)}")
