import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor(0.5, requires_grad=True)
penalty = (w**2).sum().item()  # a Python float: 5.0, with no history
loss = 3 * b + penalty
loss.backward()
print(w.grad, b.grad)
