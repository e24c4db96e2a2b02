import torch

torch.manual_seed(0)
model = torch.nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
x, target = torch.randn(8, 3), torch.randn(8, 1)

for step in range(3):
    optimizer.zero_grad()  # backward adds: start from no gradient
    y = model(x)
    with torch.no_grad():
        dloss_dy = 2 * (y - target) / y.numel()  # from anywhere: here, by hand
    y.backward(gradient=dloss_dy)  # fills model.weight.grad, model.bias.grad
    optimizer.step()  # weight -= lr * weight.grad, and the same for the bias
    loss = torch.nn.functional.mse_loss(model(x), target)
    print(f"step {step}: loss {loss.item():.4f}")
