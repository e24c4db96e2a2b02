import torch
from torch.func import vmap


def f(x):
    """f(x1, x2, x3) = (x1 x2, x2 + x3^2), for one point x of shape (3,)."""
    return torch.stack([x[0] * x[1], x[1] + x[2] ** 2])


points = torch.tensor(
    [[1.0, 2.0, 3.0], [0.0, 1.0, 2.0], [2.0, 2.0, 2.0], [1.0, 0.0, 1.0]]
)
print(vmap(f)(points))  # f applied to each row, without a loop
