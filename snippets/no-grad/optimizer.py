import torch

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1))
model[1].requires_grad_(False)  # every parameter of the second layer
print([p.requires_grad for p in model.parameters()])

optimizer = torch.optim.SGD(model.parameters(), lr=0.1)  # all four
first, second = model[0].weight.clone(), model[1].weight.clone()
model(torch.tensor([[1.0, 2.0]])).sum().backward()
optimizer.step()  # skips every parameter whose .grad is None
print(torch.equal(model[0].weight, first))  # changed
print(torch.equal(model[1].weight, second))  # not changed
