import torch

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Dropout(p=0.5))
x = torch.tensor([[1.0, 2.0]])

model.eval()
y = model(x)
print(model.training, y.requires_grad, type(y.grad_fn).__name__)

model.eval()  # evaluation: both eval() and no_grad()
with torch.no_grad():
    y = model(x)
print(model.training, y.requires_grad, y.grad_fn)
model.train()  # back to training mode before the next training step
