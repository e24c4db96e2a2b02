import torch

w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
b = torch.tensor([0.5, -0.5], requires_grad=True)
x = torch.tensor([1.0, -1.0])
y = w @ x + b

grad_w, grad_b = torch.autograd.grad(y, (w, b), grad_outputs=torch.ones(2))
print(grad_w)  # one result per input, shaped like it
print(grad_b)
