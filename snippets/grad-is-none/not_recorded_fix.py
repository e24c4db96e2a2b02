import torch

x = torch.tensor([1.0, 2.0])
b = torch.tensor(3.0, requires_grad=True)

with torch.no_grad():  # say, evaluation code around a step that needs it
    with torch.enable_grad():  # recorded again
        hb = b * x
hb.sum().backward()
print(b.grad)
