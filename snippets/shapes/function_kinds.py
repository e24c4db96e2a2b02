import torch

t = torch.tensor(2.0)  # one scalar input
p = torch.tensor([1.0, 2.0, 3.0])  # one point of R^3

kinds = {
    "univariate, scalar-valued": (t, t**2),
    "univariate, vector-valued": (t, torch.stack([t, t**2, t**3])),
    "multivariate, scalar-valued": (p, (p**2).sum()),
    "multivariate, vector-valued": (p, torch.stack([p.sum(), (p**2).sum()])),
}
for kind, (x, y) in kinds.items():
    print(f"{kind:<28} x.shape={tuple(x.shape)!s:<5} y.shape={tuple(y.shape)}")
