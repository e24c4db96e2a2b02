import matplotlib.pyplot as plt
import torch
from matplotlib.patches import FancyArrowPatch, Rectangle
from torch.autograd.functional import jacobian

x = torch.tensor([1.0, 2.0, 3.0, 4.0])
v = torch.ones(4)
cases = {"x ** 2, elementwise": lambda t: t**2,
         "cumsum(x)": lambda t: t.cumsum(0)}
results = []
for name, f in cases.items():
    J = jacobian(f, x)
    vJ = v @ J
    print(f"{name}: v^T J = {vJ.tolist()}")
    results.append((name, J, vJ))

# The drawing: the two cases, one above the other. Positions in inches.
ink = plt.rcParams["text.color"]
grid = plt.rcParams["axes.edgecolor"]  # also the colour of the zeros
entry, back = plt.rcParams["axes.prop_cycle"].by_key()["color"][:2]
fig = plt.figure(figsize=(4.2, 9.7))
ax = fig.add_axes((0, 0, 1, 1), xlim=(0, 4.2), ylim=(0, 9.7))
ax.axis("off")
left, cell, tall = 0.95, 0.62, 0.4  # where the grids start, cell size
mid = left + 2 * cell


def row(top, values, label, tint, font="sans-serif"):
    for j, value in enumerate(values.tolist()):
        corner = (left + j * cell, top - tall)
        ax.add_patch(Rectangle(corner, cell, tall, fill=False, ec=grid,
                               lw=0.8))
        if value != 0:  # a tint under the entries that are not zero
            ax.add_patch(Rectangle(corner, cell, tall, color=tint,
                                   alpha=0.3, lw=0, zorder=0))
        ax.text(left + (j + 0.5) * cell, top - tall / 2, f"{value:g}",
                ha="center", va="center", size=12,
                color=ink if value != 0 else grid)
    ax.text(left - 0.12, top - tall / 2, label, ha="right", va="center",
            size=12, family=font)
    return top - tall


def names(top, letter):  # y1 ... y4 or x1 ... x4 above the columns
    for j in range(4):
        ax.text(left + (j + 0.5) * cell, top - 0.15, f"{letter}{j + 1}",
                ha="center", va="center", size=12)
    return top - 0.3


def case(top, title, J, vJ, n):  # the drawing of one case, with arrow n
    ax.text(0.05, top, title, va="center", size=12)
    top = names(top - 0.3, "y")
    top = row(top, v, "v", back)
    ax.text(left + 4 * cell + 0.12, top + tall / 2, "ones", va="center",
            size=12)
    top = names(top - 0.2, "x")
    for i in range(4):
        top = row(top, J[i], f"y{i + 1}", entry)
    ax.text(left + 4 * cell + 0.12, top + 2 * tall, "J", va="center",
            size=12)
    ax.add_patch(FancyArrowPatch((mid, top - 0.1), (mid, top - 0.55),
                                 color=ink, arrowstyle="-|>", lw=1.3,
                                 mutation_scale=12, gid=f"arrow{n}"))
    ax.text(mid + 0.15, top - 0.33, "sums of the columns", va="center",
            size=12)
    top = row(top - 0.65, vJ, "x.grad", back, font="monospace")
    ax.text(mid, top - 0.25, "vᵀJ, one entry per input",
            ha="center", va="center", size=12)
    return top - 0.45


top = case(9.55, "(a) x ** 2, elementwise: J is diagonal", *results[0][1:], 1)
case(top - 0.4, "(b) cumsum(x): J is lower triangular", *results[1][1:], 2)
