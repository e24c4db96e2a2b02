# --8<-- [start:full]
import torch
from torch.autograd.functional import jacobian
from torch.func import jacrev, vmap


def f(x):
    """f(x1, x2, x3) = (x1 x2, x2 + x3^2), for one point x of shape (3,)."""
    return torch.stack([x[0] * x[1], x[1] + x[2] ** 2])


def f_batch(points):
    """f of each row: (B, 3) -> (B, 2)."""
    x1, x2, x3 = points.unbind(dim=1)
    return torch.stack([x1 * x2, x2 + x3**2], dim=1)


points = torch.tensor(
    [[1.0, 2.0, 3.0], [0.0, 1.0, 2.0], [2.0, 2.0, 2.0], [1.0, 0.0, 1.0]]
)
J = jacobian(f_batch, points)
print(J.shape)  # (B, out, B, in): each output against each input of each point
print(J[0, :, 1, :])  # output of point 0 against input of point 1: always zero
# --8<-- [end:full]

# --8<-- [start:per_point]
per_point = vmap(jacrev(f))(points)  # one (2, 3) Jacobian per point
print(per_point.shape)
print(per_point[0])
# --8<-- [end:per_point]

# --8<-- [start:sum_trick]
# Outputs of point i depend on point i only, so summing over the batch loses
# nothing: the Jacobian of the sum has shape (out, B, in), and moving B first
# gives (B, out, in).
summed = jacobian(lambda p: f_batch(p).sum(dim=0), points).movedim(1, 0)
print(summed.shape, torch.equal(summed, per_point))
# J[i, :, i, :] for each i
diagonal_blocks = J.diagonal(dim1=0, dim2=2).movedim(-1, 0)
print(torch.equal(diagonal_blocks, per_point))
# --8<-- [end:sum_trick]
