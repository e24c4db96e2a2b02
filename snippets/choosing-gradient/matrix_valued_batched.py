import torch

x = torch.tensor(1.0, requires_grad=True)
y = torch.stack([x**k for k in range(6)]).reshape(3, 2)

# all six one-hot 3 x 2 matrices, stacked along a new first dimension
selectors = torch.eye(y.numel()).reshape(-1, *y.shape)
(grads,) = torch.autograd.grad(
    y, x, grad_outputs=selectors, is_grads_batched=True
)
print(selectors.shape, "->", grads.shape)
print(grads.reshape(y.shape))
