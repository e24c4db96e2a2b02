import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
c = x.detach()
print(c.requires_grad, c.grad_fn, c.data_ptr() == x.data_ptr())

c[0] = 10.0  # an in-place change to c ...
print(x)  # ... changes x: one block of memory, two tensors

copy = x.detach().clone()  # memory of its own: change it freely
copy[1] = 20.0
print(x)
