import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
squares = x**2  # torch's square, not NumPy's
parts = torch.stack([squares.sum(), squares.prod()])  # not torch.tensor
parts.sum().backward()  # of x1^2 + x2^2 + x1^2 x2^2
print(parts)
print(x.grad)
