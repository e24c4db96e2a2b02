import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
optimizer = torch.optim.SGD([x], lr=0.1)

(x**2).sum().backward()
x.grad = None  # forget the gradient
(x**2).sum().backward()
print(x.grad)

x.grad.zero_()  # or keep the tensor and fill it with zeros
(x**2).sum().backward()
print(x.grad)

optimizer.zero_grad()  # what a training loop calls: sets x.grad to None
print(x.grad)
