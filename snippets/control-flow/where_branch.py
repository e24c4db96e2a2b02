import torch

x = torch.tensor([-2.0, 3.0], requires_grad=True)
y = torch.where(x > 0, x**2, 3 * x)  # a branch per entry
y.sum().backward()
print(y)
print(x.grad)  # 3 where 3 * x was chosen, 2 * x where x**2 was
