import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = torch.stack([x[0] * x[1], x[1] + x[2] ** 2])  # y = (x1 x2, x2 + x3^2)
v = torch.tensor([2.0, -1.0])

(returned,) = torch.autograd.grad(y, x, grad_outputs=v, retain_graph=True)
print(returned)
print(x.grad)  # grad returns the product: it does not touch x.grad

y.backward(gradient=v)  # the same product, added to x.grad
print(x.grad)
