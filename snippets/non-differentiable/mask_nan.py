import torch

x = torch.tensor([-1.0, 0.0, 4.0], requires_grad=True)
mask = x > 0
y = mask * torch.sqrt(x)  # the same trap: 0 * nan and 0 * inf
y.sum().backward()
print(x.grad)

x.grad = None
torch.sqrt(x)[mask].sum().backward()  # indexing after sqrt: the same
print(x.grad)

x.grad = None
safe = torch.where(mask, x, 1.0)  # the same fix
y = mask * torch.sqrt(safe)
y.sum().backward()
print(x.grad)
