import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
loss = (x**2).mean()  # 0-dimensional: shape ()
loss.backward(torch.ones(1))  # shape (1,): one element, but not the shape
