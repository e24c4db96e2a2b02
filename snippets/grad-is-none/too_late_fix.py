import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
x = torch.tensor([3.0, 4.0], requires_grad=True)  # before the computation
loss = (w * x).sum()
loss.backward()
print(w.grad, x.grad)
