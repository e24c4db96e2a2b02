import torch

x = torch.tensor([1.0, 2.0])
a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(3.0, requires_grad=True)
c = torch.tensor(4.0, requires_grad=True)
d = torch.tensor(5.0, requires_grad=True)

with torch.no_grad():
    hb = b * x  # not recorded
hc = c.detach() * x  # c.detach() is a constant for autograd
with torch.inference_mode():
    hd = d * x  # not recorded either
loss = (a * x + hb + hc + hd).sum()
loss.backward()
print(a.grad, b.grad, c.grad, d.grad)
