import torch
from torch.func import grad


def loss_fn(w, inputs, targets):
    predictions = inputs @ w
    loss = ((predictions - targets) ** 2).mean()
    return loss, predictions  # a tuple: the loss and something to keep


w = torch.tensor([1.0, -1.0])
inputs = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
targets = torch.tensor([0.0, 1.0])
grad(loss_fn)(w, inputs, targets)
