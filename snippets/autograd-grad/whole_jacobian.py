import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = torch.stack([x[0] * x[1], x[1] + x[2] ** 2])

# Row i of the identity is the one-hot vector selecting output i: the batch
# of all of them gives every row of the Jacobian, in one call.
rows = torch.eye(y.numel()).reshape(-1, *y.shape)
(J,) = torch.autograd.grad(y, x, grad_outputs=rows, is_grads_batched=True)
print(rows.shape, "->", J.shape)
print(J)
