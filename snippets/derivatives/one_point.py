import torch

x = torch.tensor(1.0, requires_grad=True)
y = x**2  # a 0-d tensor: a scalar
y.backward()  # no gradient argument needed for a scalar output
print(x.grad)
