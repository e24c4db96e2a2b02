import matplotlib.pyplot as plt
import torch

x = torch.tensor([0.5, 1.0], requires_grad=True)
h = x * 3  # recorded as MulBackward0
s = torch.sin(h)  # SinBackward0
y = s.sum()  # SumBackward0: a scalar
for t in (h, s):
    t.retain_grad()  # keep the vector that reaches these non-leaf tensors
y.backward()  # the vector starts as 1 at y

node, chain = y.grad_fn, []
while node is not None:  # walk the graph from y back to x
    chain.append(type(node).__name__)
    node = node.next_functions[0][0] if node.next_functions else None
print(" -> ".join(chain))
print("at s:", s.grad, "at h:", h.grad, "at x:", x.grad)


def show(t):
    return "[" + ", ".join(f"{value:.3g}" for value in t.tolist()) + "]"


nodes = [("x", "leaf", f"x.grad = 3 * cos(h)\n= {show(x.grad)}"),
         ("h = x * 3", chain[2], f"cos(h) * [1, 1]\n= {show(h.grad)}"),
         ("s = sin(h)", chain[1], f"{show(s.grad)}"),
         ("y = s.sum()", chain[0], "1")]
fig, ax = plt.subplots(figsize=(7, 2.6))
ax.set_xlim(-0.6, 3.6)
ax.set_ylim(-1.4, 1.1)
ax.axis("off")
for k, (label, kind, vector) in enumerate(nodes):
    ax.text(k, 0.6, label, ha="center", va="center", fontsize=10,
            bbox={"boxstyle": "round", "fill": False})
    ax.text(k, 0.1, kind, ha="center", va="center", fontsize=8)
    ax.text(k, -0.8, vector, ha="center", va="center", fontsize=8,
            bbox={"boxstyle": "round", "fill": False, "linestyle": "--"})
    if k < 3:
        ax.annotate("", xy=(k + 0.6, 0.6), xytext=(k + 0.4, 0.6),
                    arrowprops={"arrowstyle": "->"})
        ax.annotate("", xy=(k + 0.35, -0.75), xytext=(k + 0.65, -0.75),
                    arrowprops={"arrowstyle": "->", "linestyle": "--"})
ax.text(-0.55, 1.0, "forward: values", fontsize=8)
ax.text(-0.55, -0.3, "backward: the vector at each tensor", fontsize=8)
