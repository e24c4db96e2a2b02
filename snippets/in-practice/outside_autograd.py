# --8<-- [start:by_hand]
import torch

torch.manual_seed(0)
model = torch.nn.Linear(3, 1)
x, target = torch.randn(8, 3), torch.randn(8, 1)

y = model(x)
# The gradient of the mean squared error with respect to y, worked out by hand:
# d/dy mean((y - t)^2) = 2 (y - t) / N. No autograd graph is built for it.
with torch.no_grad():
    dloss_dy = 2 * (y - target) / y.numel()
y.backward(gradient=dloss_dy)
by_hand = model.weight.grad.clone()
# --8<-- [end:by_hand]

model.zero_grad()
torch.nn.functional.mse_loss(model(x), target).backward()
print(by_hand)
print(torch.allclose(by_hand, model.weight.grad))
