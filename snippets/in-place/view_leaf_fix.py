import torch

w = torch.tensor([1.0, 2.0, 3.0])
w[0] = 0.0  # set the values first ...
w.requires_grad_()  # ... then ask for gradients
print(w)

u = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
with torch.no_grad():  # or change a parameter inside no_grad
    u[0] = 0.0
print(u)

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
c = x.clone()  # or change a copy, which autograd records
c[0] = 0.0
(c * c).sum().backward()
print(x.grad)  # 2c, except where c no longer depends on x
