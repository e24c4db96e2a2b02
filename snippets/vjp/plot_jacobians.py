import matplotlib.pyplot as plt
import torch
from torch.autograd.functional import jacobian

x = torch.tensor([1.0, 2.0, 3.0, 4.0])
v = torch.ones(4)
cases = {"x ** 2, elementwise": lambda t: t**2,
         "cumsum(x)": lambda t: t.cumsum(0)}

fig, axes = plt.subplots(3, 2, figsize=(6.4, 5.2), height_ratios=[1, 4, 1])
for column, (name, f) in enumerate(cases.items()):
    J = jacobian(f, x)
    vJ = v @ J
    print(f"{name}: v^T J = {vJ.tolist()}")
    rows = [("v (shaped like y)", v[None, :], [f"y{i + 1}" for i in range(4)]),
            (f"J of {name}", J, [f"x{j + 1}" for j in range(4)]),
            ("v^T J = x.grad", vJ[None, :], [f"x{j + 1}" for j in range(4)])]
    for row, (title, values, labels) in enumerate(rows):
        ax = axes[row, column]
        top = max(float(values.max()), 1.0)  # each panel on its own scale
        ax.imshow(values, cmap="viridis", vmin=0, vmax=top)
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                shade = "black" if values[i, j] > top / 2 else "white"
                ax.text(j, i, f"{values[i, j]:g}", ha="center", va="center",
                        color=shade)
        ax.set_xticks(range(4), labels)
        ax.set_yticks([])
        ax.set_title(title, fontsize=9)
        if row == 1:
            ax.set_yticks(range(4), [f"y{i + 1}" for i in range(4)])
            ax.set_xlabel("one column per input")
            ax.set_ylabel("one row per output")
fig.tight_layout()
