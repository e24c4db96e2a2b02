import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
e = x.exp()  # the backward of exp needs its result, e
e.add_(1)  # ... which this changes in place
e.sum().backward()
