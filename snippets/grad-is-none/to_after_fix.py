import torch

# The final dtype (and device="cuda" on a GPU) at creation: w is the leaf.
w = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
(w**2).sum().backward()
print(w.is_leaf, w.grad)
