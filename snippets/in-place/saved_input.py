import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 2  # not a leaf: an in-place change is allowed
y = h * h  # saves h: the derivative of h * h is 2h
h.add_(1)  # changes the saved h
print(h._version)
y.sum().backward()
