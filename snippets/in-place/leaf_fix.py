import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():  # a change to the parameter, not a computation
    w += 1
print(w, w.is_leaf)

v = w + 1  # out of place: a new tensor, computed from w
v.sum().backward()
print(v.is_leaf, w.grad)  # the gradient still reaches the leaf w
