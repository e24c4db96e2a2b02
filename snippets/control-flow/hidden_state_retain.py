import torch

w = torch.tensor(2.0, requires_grad=True)
h = torch.tensor(1.0)
for step in range(3):
    h = w * h
    loss = h
    loss.backward(retain_graph=True)  # keeps every earlier step alive
    print(step, h.item(), w.grad)
    w.grad = None
