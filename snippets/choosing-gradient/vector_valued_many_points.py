import torch

x = torch.arange(3.0, requires_grad=True)  # the points 0, 1, 2
# one row per point, one column per component: shape (points, components)
y = torch.stack([-(x**3), 5 * x], dim=1)
print("y.shape:", tuple(y.shape))

for i in range(2):
    v = torch.zeros_like(y)
    v[:, i] = 1.0  # ones in column i: component i at every point
    x.grad = None
    y.backward(gradient=v, retain_graph=True)
    print(f"f_{i + 1}' at 0, 1, 2:", x.grad)
