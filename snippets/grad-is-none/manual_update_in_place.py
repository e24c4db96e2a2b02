import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
(x**2).sum().backward()
x -= 0.1 * x.grad  # in place, but recorded by autograd
