import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 3
h.retain_grad()  # before backward: keep the gradient of this non-leaf too
(h**2).sum().backward()
print(h.grad)  # 2h
print(x.grad)  # the leaf's gradient, 3 * 2h: usually the one you want
