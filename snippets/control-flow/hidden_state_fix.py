import torch

w = torch.tensor(2.0, requires_grad=True)
h = torch.tensor(1.0)
for step in range(2):
    h = h.detach()  # the same value, without the history of earlier steps
    for _ in range(2):  # the steps that are backpropagated through
        h = w * h
    loss = h
    loss.backward()
    print(step, h.item(), w.grad)
    w.grad = None
