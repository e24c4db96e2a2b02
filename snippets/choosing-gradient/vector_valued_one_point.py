import torch

x = torch.tensor(1.0, requires_grad=True)
y = torch.stack([-(x**3), 5 * x])  # f(x) = (-x^3, 5x)

for i, name in enumerate(["f_1'(1)", "f_2'(1)"]):
    v = torch.zeros_like(y)
    v[i] = 1.0
    x.grad = None
    y.backward(gradient=v, retain_graph=True)  # keep it for the next call
    print(f"gradient {v} -> {name} = {x.grad}")
