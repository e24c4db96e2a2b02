import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0], requires_grad=True)
loss = (a**2).sum()
print(torch.autograd.grad(loss, [a, b], retain_graph=True, allow_unused=True))
print(torch.autograd.grad(loss, [a, b], allow_unused=True,
                          materialize_grads=True))
