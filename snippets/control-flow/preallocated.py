import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = torch.zeros(3)  # does not require grad
for k in range(3):
    out[k] = x[k] ** 2  # recorded: out now has a history
print(out)
out.sum().backward()
print(x.grad)
