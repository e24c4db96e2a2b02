import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x**2
y.backward()  # y is not a scalar, so backward needs to be told which vector to use
