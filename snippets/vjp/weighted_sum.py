import torch

x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
v = torch.tensor([3.0, 0.5, -2.0])  # a constant: it does not require grad

torch.sin(x * x).backward(gradient=v)
with_gradient = x.grad
x.grad = None

(torch.sin(x * x) * v).sum().backward()
print(with_gradient)
print(x.grad)
print(torch.equal(with_gradient, x.grad))
