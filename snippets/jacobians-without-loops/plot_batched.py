import matplotlib.pyplot as plt
import torch
from matplotlib.patches import Rectangle
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

# The drawing: the 8 x 12 matrix, blank where it is zero. In inches.
ink = plt.rcParams["text.color"]
edge, thin = plt.rcParams["axes.edgecolor"], plt.rcParams["grid.color"]
block = plt.rcParams["axes.prop_cycle"].by_key()["color"][0]
fig = plt.figure(figsize=(4.3, 4.0))
ax = fig.add_axes((0, 0, 1, 1), xlim=(0, 4.3), ylim=(0, 4.0))
ax.axis("off")
left, top, cell, tall = 1.0, 2.5, 0.27, 0.3  # top left corner, cell size
notes = ["columns: inputs x1, x2, x3 of each point",
         "rows: outputs y1, y2 of each point", "blank cells: 0"]
for n, note in enumerate(notes):
    ax.text(0.05, 3.85 - 0.27 * n, note, size=12, va="center")
for k in range(4):  # the names of the columns and of the rows
    ax.text(left + (3 * k + 1.5) * cell, top + 0.42, f"point {k}",
            ha="center", va="center", size=12)
    ax.text(left - 0.3, top - (2 * k + 1) * tall, f"point {k}", ha="right",
            va="center", size=12)
    for d in range(3):
        ax.text(left + (3 * k + d + 0.5) * cell, top + 0.15, f"x{d + 1}",
                ha="center", va="center", size=12)
    for c in range(2):
        ax.text(left - 0.05, top - (2 * k + c + 0.5) * tall, f"y{c + 1}",
                ha="right", va="center", size=12)
for i in range(8):  # the cells: tinted and numbered where not zero
    for j in range(12):
        corner = (left + j * cell, top - (i + 1) * tall)
        ax.add_patch(Rectangle(corner, cell, tall, fill=False, ec=thin,
                               lw=0.6))
        if flat[i, j] != 0:
            ax.add_patch(Rectangle(corner, cell, tall, color=block,
                                   alpha=0.3, lw=0, zorder=0))
            ax.text(corner[0] + cell / 2, corner[1] + tall / 2,
                    f"{flat[i, j]:g}", ha="center", va="center", size=12,
                    color=ink)
for k in range(1, 4):  # lines between the points
    ax.plot([left + 3 * k * cell] * 2, [top, top - 8 * tall], color=edge,
            lw=0.8)
    ax.plot([left, left + 12 * cell], [top - 2 * k * tall] * 2, color=edge,
            lw=0.8)
ax.add_patch(Rectangle((left, top - 8 * tall), 12 * cell, 8 * tall,
                       fill=False, ec=edge, lw=0.8))
for k in range(4):  # a frame around each point's 2 x 3 block
    ax.add_patch(Rectangle((left + 3 * k * cell, top - (2 * k + 2) * tall),
                           3 * cell, 2 * tall, fill=False, ec=block, lw=1.8,
                           zorder=3))
