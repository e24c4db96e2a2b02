import warnings

import torch
from torch.utils.checkpoint import checkpoint

torch.manual_seed(0)
block, head = torch.nn.Linear(3, 3), torch.nn.Linear(3, 1)
optimizer = torch.optim.SGD([*block.parameters(), *head.parameters()], lr=0.1)
x = torch.randn(2, 3)  # a batch of data: it requires no grad
before = block.weight.detach().clone()

with warnings.catch_warnings(record=True) as caught:  # what Python shows
    for _ in range(3):
        optimizer.zero_grad()
        y = checkpoint(block, x, use_reentrant=True)
        head(y).sum().backward()
        optimizer.step()
for warning in caught:
    print("UserWarning:", warning.message)
print(y.requires_grad, block.weight.grad)  # no gradient for the block
print(torch.equal(block.weight, before))  # after 3 steps, unchanged

y = checkpoint(block, x, use_reentrant=False)
y.sum().backward()
print(y.requires_grad, block.weight.grad is not None)
