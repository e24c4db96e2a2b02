import matplotlib.pyplot as plt
import torch
from matplotlib.patches import FancyArrowPatch, Rectangle
from torch.autograd.functional import jacobian


def f(x):  # from R^4 to R^3
    return torch.stack([x[0] * x[1], x[1] + x[2] ** 2, x[2] * x[3] - x[0]])


def show(t):  # a row of numbers, without trailing zeros
    return "[" + ", ".join(f"{value + 0.0:g}" for value in t.tolist()) + "]"


x = torch.tensor([1.0, 2.0, 3.0, 1.0], requires_grad=True)
y = f(x)
J = jacobian(f, x)
print("J:", *map(show, J))


def backward_with(v):  # what y.backward(gradient=v) puts in x.grad
    x.grad = None
    y.backward(gradient=v, retain_graph=True)
    return x.grad


v = torch.tensor([0.0, 1.0, 0.0])  # one-hot: selects output 2
grad = backward_with(v)
print("v =", show(v))
print("  x.grad:      ", show(grad))
print("  row 2 of J:  ", show(J[1]))
w = torch.tensor([2.0, -1.0, 0.5])  # any weights
grad_w = backward_with(w)
weighted = w[:, None] * J  # row i of J times w_i
print("v =", show(w))
print("  x.grad:      ", show(grad_w))
print("  rows times v:", *map(show, weighted))
print("  their sum:   ", show(weighted.sum(0)))

# The drawing: two panels, one above the other. Positions in inches.
ink = plt.rcParams["text.color"]
grid = plt.rcParams["axes.edgecolor"]
pick, back = plt.rcParams["axes.prop_cycle"].by_key()["color"][:2]
fig = plt.figure(figsize=(4.3, 9.1))
ax = fig.add_axes((0, 0, 1, 1), xlim=(0, 4.3), ylim=(-0.05, 9.05))
ax.axis("off")
left, cell, tall = 1.2, 0.58, 0.4  # where the grid starts, cell size


def num(value):
    return f"{value + 0.0:g}".replace("-", "\N{MINUS SIGN}")


def row(top, values, label, color=ink, frame=None, font="sans-serif"):
    for j, value in enumerate(values.tolist()):
        ax.add_patch(Rectangle((left + j * cell, top - tall), cell, tall,
                               fill=False, ec=grid, lw=0.8))
        ax.text(left + (j + 0.5) * cell, top - tall / 2, num(value),
                ha="center", va="center", size=12, color=color)
    if frame is not None:  # a thick outline, and a tint if it is the pick
        ax.add_patch(Rectangle((left, top - tall), 4 * cell, tall, lw=2.2,
                               ec=frame, fill=False, zorder=3))
        if frame == pick:
            ax.add_patch(Rectangle((left, top - tall), 4 * cell, tall,
                                   color=pick, alpha=0.25, lw=0, zorder=0))
    ax.text(left - 0.12, top - tall / 2, label, ha="right", va="center",
            size=12, color=back, family=font)


def result(top, values):  # what backward put in x.grad
    row(top, values, "x.grad", back, frame=back, font="monospace")
    ax.text(left + 2 * cell, top - tall - 0.25, "from y.backward(gradient=v)",
            ha="center", va="center", size=12, family="monospace")
    return top - tall - 0.4


def arrow(top, label, n):  # arrow n, down from a grid to the next one
    mid = left + 2 * cell
    ax.add_patch(FancyArrowPatch((mid, top - 0.1), (mid, top - 0.6),
                                 color=ink, arrowstyle="-|>", lw=1.3,
                                 mutation_scale=12, gid=f"arrow{n}"))
    ax.text(mid + 0.15, top - 0.35, label, va="center", size=12)
    return top - 0.7


def matrix(top, rows, labels, name=None, pick_row=None):
    for k in range(3):
        row(top - k * tall, rows[k], labels[k],
            frame=pick if k == pick_row else None)
    if name:
        ax.text(left + 4 * cell + 0.12, top - 1.5 * tall, name, size=12,
                va="center")
    return top - 3 * tall


def header(top, title):
    ax.text(0.05, top, title, va="center", size=12)
    ax.text(left - 0.12, top - 0.38, "v", ha="right", va="center", size=12,
            color=back)
    for j in range(4):
        ax.text(left + (j + 0.5) * cell, top - 0.38, f"x{j + 1}",
                ha="center", va="center", size=12)
    return top - 0.6


i = int(v.argmax())
# (a) a one-hot v picks one row of J
top = header(8.9, "(a) one-hot v: one row of J")
top = matrix(top, J, [num(e) for e in v], "J", pick_row=i)
top = arrow(top, f"picks row {i + 1}", 1)
top = result(top, grad)
# (b) any other v weighs the rows of J and adds them up
top = header(top - 0.35, "(b) any other v: a weighted sum of rows")
top = matrix(top, J, [num(e) for e in w], "J")
top = arrow(top, "each row times its v", 2)
top = matrix(top, weighted, [f"{num(e)} × row {k + 1}"
                             for k, e in enumerate(w)])
top = arrow(top, "adds them up", 3)
result(top, grad_w)
