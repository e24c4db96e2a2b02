import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
total = x.sum()  # a tensor: part of the graph
loss = x.sum() * total
loss.backward()
print(x.grad)

# Choosing a branch with .item() is fine: only the choice is a Python
# bool, and the operations of the branch taken are recorded as usual.
x.grad = None
if x.sum().item() > 0:
    loss = (x**2).sum()
else:
    loss = x.sum()
loss.backward()
print(x.grad)
