import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    print(torch.is_grad_enabled())
    y = x * 2  # computed, not recorded
print(torch.is_grad_enabled())
print(x.requires_grad, y.requires_grad, y.grad_fn)
