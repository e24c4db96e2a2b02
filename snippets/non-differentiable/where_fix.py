import torch

x = torch.tensor([-1.0, 0.0, 4.0], requires_grad=True)
chosen = x > 0
safe = torch.where(chosen, x, 1.0)  # 1.0 wherever sqrt is not chosen
y = torch.where(chosen, torch.sqrt(safe), 0.0)
y.sum().backward()
print(y)
print(x.grad)
