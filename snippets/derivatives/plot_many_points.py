import matplotlib.pyplot as plt
import torch

x = torch.linspace(-3, 3, 121, requires_grad=True)
y = torch.sin(x)
y.backward(gradient=torch.ones_like(y))  # the derivative at all 121 points

print(torch.allclose(x.grad, torch.cos(x.detach())))
fig, ax = plt.subplots(figsize=(4.2, 3.6))
ax.plot(x.detach(), y.detach(), lw=2, label="y = sin(x)")
ax.plot(x.detach(), x.grad, lw=2, ls="--",
        label="x.grad, with gradient=ones_like(y)")
ax.axhline(0, lw=0.8, color=plt.rcParams["axes.edgecolor"])
ax.set_xlabel("x", size=12)
ax.set_yticks([-1, -0.5, 0, 0.5, 1])
ax.tick_params(labelsize=11)
ax.legend(loc="lower left", bbox_to_anchor=(-0.02, 1.02), frameon=False,
          fontsize=11, handlelength=2.5, borderaxespad=0)
