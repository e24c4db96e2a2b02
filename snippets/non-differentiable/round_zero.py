import torch

x = torch.tensor([0.2, 1.7, -0.6], requires_grad=True)
for f in (torch.round, torch.floor, torch.sign):
    x.grad = None
    f(x).sum().backward()
    print(f.__name__, x.grad)
print((x > 0).dtype, (x > 0).requires_grad)  # a comparison: no history
