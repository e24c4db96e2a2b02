import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(3, 1)
batches = [(torch.randn(4, 3), torch.randn(4, 1)) for _ in range(3)]

total = 0
for x, target in batches:  # evaluation: no backward, no no_grad
    total += nn.functional.mse_loss(model(x), target)
total.backward()  # works: every batch's saved tensors are still in memory
print(model.weight.grad)

with torch.no_grad():  # what evaluation should run under
    total = sum(nn.functional.mse_loss(model(x), t) for x, t in batches)
print(total.requires_grad)
