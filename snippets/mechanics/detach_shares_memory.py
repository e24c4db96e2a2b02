import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
c = x.detach()
print(c.data_ptr() == x.data_ptr())  # the same memory

c[0] = 10.0  # an in-place change to c ...
print(x)  # ... is a change to x

safe = x.detach().clone()  # a copy of its own, when you mean to change it
safe[1] = 20.0
print(x)
