import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
e = x.exp()
shifted = e + 1  # a new tensor: the saved e is left as it was
shifted.sum().backward()
print(x.grad)
