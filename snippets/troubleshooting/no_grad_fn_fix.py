import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (x**2).sum()
print(loss.grad_fn is not None)  # now it has a history to go back through
loss.backward()
print(x.grad)
