import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
hidden = x * 3
hidden.retain_grad()  # before backward: keep this non-leaf's gradient too
hidden.sum().backward()
print(hidden.grad, x.grad)
