import torch

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
y = x * 2
y = torch.stack([row * 10 for row in y])  # new rows, stacked into a new y
y.sum().backward()
print(x.grad)
