import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
optimizer = torch.optim.SGD([w], lr=0.1, weight_decay=0.5)
(w**2).sum().backward()
optimizer.zero_grad(set_to_none=False)  # fills .grad with zeros
print(w.grad)

w.requires_grad_(False)  # frozen now, with a .grad of zeros, not None
optimizer.step()
print(w)  # weight decay moved it anyway: w - 0.1 * 0.5 * w
