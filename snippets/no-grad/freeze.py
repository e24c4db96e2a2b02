import torch

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1))
for p in model[1].parameters():  # freeze the second layer
    p.requires_grad_(False)

x = torch.tensor([[1.0, 2.0]])
model(x).sum().backward()
print(model[1].weight.grad, model[1].bias.grad)  # frozen: no gradient
print(model[0].bias.grad)  # the first layer gets one, which goes ...
print(model[1].weight[0])  # ... through the frozen weight: it is this row
