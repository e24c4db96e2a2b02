import itertools

import matplotlib.pyplot as plt
import torch
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

W = torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]], requires_grad=True)
x = torch.tensor([1.0, 2.0, -1.0], requires_grad=True)
h = W @ x  # shape (2,)
a = torch.tanh(h)  # shape (2,)
y = a.sum()  # shape (): a scalar
tensors = {"y": y, "a": a, "h": h, "W": W, "x": x}
for t in (y, a, h):
    t.retain_grad()  # keep the vector that reaches these non-leaf tensors
y.backward()  # the vector starts as 1 at y


def name_of(node):  # the tensor that a node of the graph outputs
    for name, t in tensors.items():
        if t.grad_fn is node or getattr(node, "variable", None) is t:
            return name


def show(t):  # two decimals, one line per row
    if t.ndim == 0:
        return f"{t.item():.2f}"
    return "[" + (",\n " if t.ndim > 1 else ", ").join(map(show, t)) + "]"


node_of, todo = {}, [y.grad_fn]
while todo:  # walk the graph from y back to the leaves
    node = todo.pop(0)
    node_of[name_of(node)] = type(node).__name__
    todo += [child for child, _ in node.next_functions if child is not None]
for name, kind in node_of.items():
    t = tensors[name]
    vector = show(t.grad).replace("\n", "\n" + " " * 34)
    print(f"{kind:<15} {name} {str(tuple(t.shape)):<8} {name}.grad: {vector}")

# Forward goes up, backward comes down. Positions in inches.
ink = plt.rcParams["text.color"]
forward, backward = plt.rcParams["axes.prop_cycle"].by_key()["color"][:2]
fig = plt.figure(figsize=(4.4, 8.0))
ax = fig.add_axes((0, 0, 1, 1), xlim=(0, 4.4), ylim=(-0.35, 7.65))
ax.axis("off")
mono = {"family": "monospace", "size": 12, "va": "center"}
arrows = itertools.count(1)  # every arrow gets its own id: arrow1, arrow2...


def box(cx, cy, width, height, color=ink, dashed=False):
    ax.add_patch(FancyBboxPatch(
        (cx - width / 2, cy - height / 2), width, height, fill=False,
        ec=color, lw=1.2, ls="--" if dashed else "-",
        boxstyle="round,pad=0,rounding_size=0.08"))


def node(cx, cy, kind, code, width=2.0):  # a node: its name, its code
    box(cx, cy, width, 0.66)
    ax.text(cx, cy + 0.14, kind, ha="center", va="center", size=12)
    ax.text(cx, cy - 0.15, code, ha="center", **mono)


def arrow(start, end, color, dashed=False):
    ax.add_patch(FancyArrowPatch(
        start, end, arrowstyle="-|>", mutation_scale=12, color=color,
        lw=1.5, ls="--" if dashed else "-", shrinkA=0, shrinkB=0,
        gid=f"arrow{next(arrows)}"))


def pair(low, high, name, side=-1, vector=None):  # the edge of one tensor
    # forward arrow up on one side (side=-1: the left), backward arrow down
    # on the other, the tensor's shape and its vector beside them
    (x0, y0), (x1, y1) = low, high
    off = 0.14 * side
    arrow((x0 + off, y0), (x1 + off, y1), forward)
    arrow((x1 - off, y1), (x0 - off, y0), backward, dashed=True)
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    label = f"{name} {tuple(tensors[name].shape)}"
    ax.text(mx + 0.32 * side, my, label, color=forward,
            ha="right" if side < 0 else "left", **mono)
    if vector is not None:
        ax.text(mx - 0.32 * side, my, vector, color=backward,
                ha="left" if side < 0 else "right", **mono)


cx = 2.2
ax.text(0.05, 7.5, "forward, up: each tensor and its shape", color=forward,
        va="center", size=12)
ax.text(0.05, 7.18, "backward, down: the vector at that tensor",
        color=backward, va="center", size=12)
ax.text(cx, 6.75, "y.backward()", ha="center", **mono)
code = {"y": "y = a.sum()", "a": "a = torch.tanh(h)", "h": "h = W @ x"}
top = 6.55
for name, cy in (("y", 5.45), ("a", 4.05), ("h", 2.65)):
    pair((cx, cy + 0.38), (cx, top), name, vector=show(tensors[name].grad))
    node(cx, cy, node_of[name], code[name])
    top = cy - 0.38
for name, side in (("W", -1), ("x", 1)):  # the leaves
    lx = cx + 1.1 * side
    pair((lx, 1.76), (cx + 0.5 * side, top), name, side=side)
    node(lx, 1.4, node_of[name], f"leaf {name}", width=1.65)
    arrow((lx, 1.03), (lx, 0.78), backward, dashed=True)
    grad = f"{name}.grad\n{show(tensors[name].grad)}"
    lines = grad.count("\n") + 1
    width = 2.24 if lines > 2 else 1.94  # the box of .grad, under the leaf,
    bx = 0.04 + width / 2 if side < 0 else 4.36 - width / 2  # at the edge
    cy = 0.66 - 0.12 * lines
    box(bx, cy, width, 0.24 * lines + 0.16, backward, dashed=True)
    ax.text(bx, cy, grad, ha="center", multialignment="left",
            color=backward, linespacing=1.3, **mono)
