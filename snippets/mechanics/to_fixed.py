import torch

# Convert first, then ask for gradients: the tensor you keep is the leaf.
w = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
(w**2).sum().backward()
print(w.is_leaf, w.grad)

# The same with an existing tensor: .to(...), then .requires_grad_().
v = torch.tensor([1.0, 2.0]).to(torch.float64).requires_grad_()
(v**2).sum().backward()
print(v.is_leaf, v.grad)
