import torch
from torch.func import jacfwd, jacrev

torch.manual_seed(0)
A = torch.randn(1000, 4)


def tall(x):  # 4 inputs, 1000 outputs: a tall Jacobian
    return torch.tanh(A @ x)


def wide(x):  # 1000 inputs, 4 outputs: a wide Jacobian
    return torch.tanh(A.T @ x)


x_small, x_large = torch.randn(4), torch.randn(1000)
J_tall, J_wide = jacfwd(tall)(x_small), jacrev(wide)(x_large)
print(J_tall.shape, torch.allclose(J_tall, jacrev(tall)(x_small)))
print(J_wide.shape, torch.allclose(J_wide, jacfwd(wide)(x_large)))
