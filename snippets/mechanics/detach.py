import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)

c = x.detach()  # same numbers, no history: a constant for autograd
y = (x * c).sum()  # d/dx of x * c is c, since c does not depend on x
y.backward()
print(x.grad)

with torch.no_grad():  # nothing computed here is recorded
    z = x * 2
print(z.requires_grad, z.grad_fn)
