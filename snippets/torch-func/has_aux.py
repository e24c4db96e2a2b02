import torch
from torch.func import grad, grad_and_value


def loss_fn(w, inputs, targets):
    predictions = inputs @ w
    loss = ((predictions - targets) ** 2).mean()
    return loss, predictions  # differentiate the first, carry the second


w = torch.tensor([1.0, -1.0])
inputs = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
targets = torch.tensor([0.0, 1.0])

gradient, predictions = grad(loss_fn, has_aux=True)(w, inputs, targets)
print(gradient, predictions)

gradient, (loss, predictions) = grad_and_value(loss_fn, has_aux=True)(
    w, inputs, targets
)
print(gradient, loss, predictions)
