import torch

w = torch.tensor([1.0, -1.0], requires_grad=True)
loss = w.exp().sum()  # exp saves its result for the backward pass

loss.backward()
loss.backward()
