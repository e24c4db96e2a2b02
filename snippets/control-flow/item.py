import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
total = x.sum().item()  # 3.0, a Python float: a constant for autograd
loss = x.sum() * total  # has the value (x1 + x2)**2 = 9
loss.backward()
print(loss)
print(x.grad)  # the derivative of (x1 + x2)**2 is 2 * (x1 + x2) = 6
