import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)  # made by you: a leaf
y = x * 3  # made by an operation on x, which requires grad: not a leaf
print(x.is_leaf, x.grad_fn)
print(y.is_leaf, type(y.grad_fn).__name__)

c = torch.tensor([1.0, 2.0])  # requires no grad: a leaf too
d = c * 3  # computed from tensors that require no grad: no history, a leaf
print(c.is_leaf, d.is_leaf, d.grad_fn)

y.retain_grad()  # ask autograd to keep the gradient of this non-leaf
y.sum().backward()
print(x.grad, y.grad)
