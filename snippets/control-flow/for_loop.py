import torch

x = torch.tensor(2.0, requires_grad=True)
y = torch.tensor(1.0)
for _ in range(3):
    y = y * x  # one multiplication recorded per iteration
y.backward()
print(y, x.grad)  # y = x**3 = 8, dy/dx = 3 * x**2 = 12
