import torch

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
y = x * 2
for row in y:  # iterating over y unbinds it into views of its rows
    row.mul_(10)
