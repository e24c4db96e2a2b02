import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
(w**2).sum().backward()  # w.grad = 2w = [2, 4]

with torch.no_grad():
    w -= 0.1 * w.grad  # in place and not recorded: w stays a leaf
w.grad = None  # clear it before the next backward
print(w, w.is_leaf)
