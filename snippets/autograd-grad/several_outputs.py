import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y1 = x**2  # shape (2,)
y2 = x.prod()  # shape ()
v1 = torch.tensor([1.0, 1.0])
v2 = torch.tensor(10.0)

# Several outputs, one vector each: the result is the sum of the products.
(both,) = torch.autograd.grad(
    [y1, y2], x, grad_outputs=[v1, v2], retain_graph=True
)
(first,) = torch.autograd.grad(y1, x, v1, retain_graph=True)
(second,) = torch.autograd.grad(y2, x, v2)
print(both, first + second)
