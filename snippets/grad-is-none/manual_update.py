import warnings

import torch

warnings.filterwarnings("ignore", "The .grad attribute")  # shown above

x = torch.tensor([1.0, 2.0], requires_grad=True)
lr = 0.1
for step in range(2):
    loss = (x**2).sum()
    loss.backward()
    print(f"step {step}: x.is_leaf={x.is_leaf}, x.grad={x.grad}")
    x = x - lr * x.grad  # a new tensor computed from x: not a leaf
