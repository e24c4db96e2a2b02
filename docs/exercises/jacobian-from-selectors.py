# %% [markdown]
# # Exercise: a Jacobian from selector vectors
#
# Build the whole Jacobian of $f(x) = (x_1 x_2,\; x_2 + x_3^2,\; x_1 x_3)$ at
# $x = (1, 2, 3)$, row by row, with one vector-Jacobian product per row and a
# one-hot `grad_outputs` each time (see [the one-hot
# vector](../../vjp/#selecting-one-output-the-one-hot-vector)). Do not write
# the derivatives by hand: let autograd compute them.

# %% tags=["checks"]

# %%
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = torch.stack([x[0] * x[1], x[1] + x[2] ** 2, x[0] * x[2]])

# %% tags=["answer"]
J = ...  # your answer: a 3 x 3 tensor, one row per output

# %% tags=["check"]
def f(t):
    return torch.stack([t[0] * t[1], t[1] + t[2] ** 2, t[0] * t[2]])


check(J, torch.autograd.functional.jacobian(f, x.detach()), "J")

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# J = torch.zeros(3, 3)
# for i in range(3):
#     one_hot = torch.zeros(3)
#     one_hot[i] = 1.0
#     (J[i],) = torch.autograd.grad(
#         y, x, grad_outputs=one_hot, retain_graph=True
#     )
# ```
#
# Row $i$ is $e_i^\top J$, the gradient of output $i$. `retain_graph=True`
# keeps the graph for the next row (`x * x` and friends save tensors that
# `backward` would otherwise free).
#
# </details>
