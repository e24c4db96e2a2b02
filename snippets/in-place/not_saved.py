import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x + 1  # addition saves nothing: its derivative is 1
h.mul_(3)  # so h may be changed in place
print(h._version)
h.sum().backward()
print(x.grad)  # the derivative of 3 (x + 1)
