import torch

# three points of R^4, one per row
x = torch.arange(12.0).reshape(3, 4).requires_grad_()
# shape (3, 2): y[k, i] is component i at point k
y = torch.stack([x.sum(dim=1), (x**2).sum(dim=1)], dim=1)
print("y:")
print(y.detach())

for i in range(2):
    v = torch.zeros_like(y)
    v[:, i] = 1.0  # component i, at every point
    x.grad = None
    y.backward(gradient=v, retain_graph=True)
    print(f"gradients of y_{i + 1}, one row per point:")
    print(x.grad)
