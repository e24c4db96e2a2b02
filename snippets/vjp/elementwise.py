import torch

x = torch.tensor([0.0, 0.5, 1.0, 2.0], requires_grad=True)
v = torch.tensor([1.0, -2.0, 0.5, 3.0])  # any weights, one per entry of y

torch.sin(x).backward(gradient=v)
print(x.grad)
print(v * torch.cos(x.detach()))  # v times f'(x), entry by entry
