import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
print(y.detach().numpy())  # the numbers, outside autograd
print(y.tolist())  # or as Python numbers
