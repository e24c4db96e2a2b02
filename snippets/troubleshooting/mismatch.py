import torch

x = torch.tensor([[1.0, 2.0, 3.0]], requires_grad=True)  # a row: shape (1, 3)
y = x**2
y.backward(gradient=torch.ones(3))  # shape (3,), not y's (1, 3)
