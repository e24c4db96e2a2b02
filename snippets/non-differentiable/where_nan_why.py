import torch

x = torch.tensor([-1.0, 0.0, 4.0], requires_grad=True)
s = torch.sqrt(x)  # computed at every entry, chosen or not
s.register_hook(lambda v: print("vector reaching sqrt:", v))
y = torch.where(x > 0, s, 0.0)
y.sum().backward()
print("sqrt's derivative:   ", 1 / (2 * s.detach()))
print("x.grad:              ", x.grad)
print(0 * torch.tensor(float("inf")))
