import torch

x = torch.tensor([1.0, 2.0, 3.0])
print(x._version)  # internal: how many times x was changed in place
x.add_(1)  # a trailing underscore: changes x
x += 1  # augmented assignment on a tensor: changes x
x[0] = 0.0  # assignment to an element or a slice: changes x
torch.mul(x, 2, out=x)  # out=: writes the result into x
print(x, x._version)

y = x + 1  # out of place: a new tensor, x unchanged
x = x * 2  # out of place too: the name x now holds a new tensor
print(y._version, x._version)

v = y[:2]  # a view shares y's memory, and its version counter
v.mul_(10)
print(y, y._version)
