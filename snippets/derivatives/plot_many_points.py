import matplotlib.pyplot as plt
import torch

x = torch.linspace(-3, 3, 121, requires_grad=True)
y = torch.sin(x)
y.backward(gradient=torch.ones_like(y))  # the derivative at all 121 points

print(torch.allclose(x.grad, torch.cos(x.detach())))
fig, ax = plt.subplots(figsize=(6, 2.6))
ax.plot(x.detach(), y.detach(), label="y = sin(x)")
ax.plot(x.detach(), x.grad, label="x.grad, with gradient=ones_like(y)")
ax.axhline(0, linewidth=0.5, color="0.5")
ax.set_xlabel("x")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, 1.25), ncol=2,
          frameon=False)
