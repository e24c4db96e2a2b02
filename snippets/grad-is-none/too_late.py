import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
x = torch.tensor([3.0, 4.0])
loss = (w * x).sum()
x.requires_grad_()  # too late: loss was computed without recording x
loss.backward()
print(w.grad, x.grad)
