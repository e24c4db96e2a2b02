import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

model(torch.ones(1, 2)).sum().backward()
optimizer.step()
optimizer.zero_grad()  # sets every .grad to None
print(model.weight.grad)
print(model.weight.grad.norm())  # code that expects zeros
