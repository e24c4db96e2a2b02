import torch

for value in (3.0, 30.0):
    x = torch.tensor(value, requires_grad=True)
    y = x
    steps = 0
    while y < 100:  # a Python bool: decides, is not differentiated
        y = y * 2
        steps += 1
    y.backward()
    print(value, steps, y.item(), x.grad)  # y = 2**steps * x
