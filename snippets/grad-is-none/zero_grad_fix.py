import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

model(torch.ones(1, 2)).sum().backward()
optimizer.step()
optimizer.zero_grad(set_to_none=False)  # fills with zeros instead
print(model.weight.grad, model.weight.grad.norm())
model.zero_grad()  # a module's zero_grad has the same default: None
print(model.weight.grad)
