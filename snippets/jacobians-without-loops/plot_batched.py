import matplotlib.pyplot as plt
import torch
from matplotlib.colors import ListedColormap, to_rgb
from torch.autograd.functional import jacobian


def f_batch(points):
    """f(x1, x2, x3) = (x1 x2, x2 + x3^2) of each row: (B, 3) -> (B, 2)."""
    x1, x2, x3 = points.unbind(dim=1)
    return torch.stack([x1 * x2, x2 + x3**2], dim=1)


points = torch.tensor(
    [[1.0, 2.0, 3.0], [0.0, 1.0, 2.0], [2.0, 2.0, 2.0], [1.0, 0.0, 1.0]]
)
J = jacobian(f_batch, points)  # (B, out, B, in) = (4, 2, 4, 3)
flat = J.reshape(4 * 2, 4 * 3)  # one row per output, one column per input
print(J.shape, "->", flat.shape, "non-zero entries:", int((flat != 0).sum()))

fig, ax = plt.subplots(figsize=(6, 4.2))
color = plt.rcParams["axes.prop_cycle"].by_key()["color"][0]
shown = ListedColormap([(0, 0, 0, 0), color])  # zeros transparent
ink = "black" if sum(to_rgb(color)) > 1.5 else "white"  # readable on the fill
ax.imshow(flat != 0, cmap=shown, vmin=0, vmax=1)
for i in range(flat.shape[0]):
    for j in range(flat.shape[1]):
        if flat[i, j] != 0:
            ax.text(j, i, f"{flat[i, j]:g}", ha="center", va="center",
                    color=ink, fontsize=8, fontweight="bold")
for edge in range(1, 4):  # borders between the points
    ax.axhline(2 * edge - 0.5, linewidth=0.8, color="0.5")
    ax.axvline(3 * edge - 0.5, linewidth=0.8, color="0.5")
inputs = [f"p{k}.x{d + 1}" for k in range(4) for d in range(3)]
ax.set_xticks(range(12), inputs, rotation=90, fontsize=8)
ax.set_yticks(range(8), [f"p{k}.y{c + 1}" for k in range(4) for c in range(2)],
              fontsize=8)
ax.set_xlabel("inputs: point k, coordinate d")
ax.set_ylabel("outputs: point k, component c")
