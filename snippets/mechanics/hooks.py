import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 3  # a non-leaf: its .grad stays None without retain_grad()
h.register_hook(lambda grad: print("gradient at h:", grad))  # only reads it
y = (h**2).sum()
y.backward()
print("x.grad:", x.grad)

x.grad = None
h = x * 3
h.register_hook(lambda grad: grad.clamp(max=10.0))  # returns a new gradient
(h**2).sum().backward()
print("x.grad:", x.grad)  # computed from the clamped gradient at h
