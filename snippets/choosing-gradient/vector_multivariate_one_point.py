import torch

x = torch.arange(4.0, requires_grad=True)  # the point (0, 1, 2, 3)
y = torch.stack([x.sum(), (x**2).sum()])  # (x1 + ... + x4, x1^2 + ... + x4^2)
print("y:", y.detach())

for i in range(2):
    v = torch.zeros_like(y)
    v[i] = 1.0
    x.grad = None
    y.backward(gradient=v, retain_graph=True)
    print(f"gradient of y_{i + 1}:", x.grad)
