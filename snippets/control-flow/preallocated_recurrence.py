import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = torch.zeros(3)
out[0] = x[0]
for k in range(1, 3):
    out[k] = out[k - 1] * x[k]  # reads out, saves it, then writes into it
out.sum().backward()
