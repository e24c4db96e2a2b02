import torch

w = torch.tensor([1.0, 2.0], requires_grad=True).to(torch.float64)
(w**2).sum().backward()
print(w.is_leaf, w.grad)
