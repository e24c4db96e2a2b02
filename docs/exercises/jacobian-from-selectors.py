# %% [markdown]
# # Exercise: a Jacobian from selector vectors
#
# Build the whole Jacobian of $f(x) = (x_1 x_2,\; x_2 + x_3^2,\; x_1 x_3)$ at
# $x = (1, 2, 3)$ twice: row by row, with one vector-Jacobian product per row
# and a one-hot `grad_outputs` each time (see [the one-hot
# vector](../../vjp/#selecting-one-output-the-one-hot-vector)), then column
# by column, with one Jacobian-vector product per column (see [forward
# mode](../../forward-mode/#the-jacobian-vector-product)). Do not write the
# derivatives by hand: let autograd compute them.

# %% tags=["checks"]

# %%
def f(t):
    return torch.stack([t[0] * t[1], t[1] + t[2] ** 2, t[0] * t[2]])


x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = f(x)

# %% [markdown]
# ## 1. Row by row
#
# Compute `J` with
# [`torch.autograd.grad`](https://docs.pytorch.org/docs/stable/generated/torch.autograd.grad.html)
# (or with
# [`y.backward`](https://docs.pytorch.org/docs/stable/generated/torch.Tensor.backward.html)),
# one row per output.

# %% tags=["answer"]
J = ...  # your answer: a 3 x 3 tensor, one row per output

# %% tags=["check"]
expected = torch.autograd.functional.jacobian(f, x.detach())
check(J, expected, "J", mistakes=[
    (expected.T, "that is the transpose of the Jacobian: row i must be the "
     "gradient of output i, with one entry per input."),
    (expected.cumsum(dim=0), "row i is the sum of the first i + 1 rows of "
     "the Jacobian: backward adds to x.grad, so clear it (x.grad = None) "
     "before each row, or use torch.autograd.grad, which returns the "
     "product instead of adding it."),
    (expected.sum(dim=0).expand(3, 3), "every row is the column sums of the "
     "Jacobian, what a gradient of ones gives: each row needs its own "
     "one-hot vector."),
])

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
# Row `i` is the vector-Jacobian product with the one-hot vector of output
# `i`: the gradient of output `i`. `retain_graph=True`
# keeps the graph for the next row (`x * x` and friends save tensors that
# `backward` would otherwise free).
#
# </details>

# %% [markdown]
# ## 2. Column by column
#
# Compute the same Jacobian again, as `J_by_columns`, with
# [`torch.func.jvp`](https://docs.pytorch.org/docs/stable/generated/torch.func.jvp.html):
# one Jacobian-vector product $J u$ per column, with a one-hot $u$ shaped like
# `x` each time.

# %% tags=["answer"]
J_by_columns = ...  # your answer: a 3 x 3 tensor, built one column at a time

# %% tags=["check"]
expected = torch.autograd.functional.jacobian(f, x.detach())
check(J_by_columns, expected, "J_by_columns", mistakes=[
    (expected.T, "you have put each Jacobian-vector product in a row. J e_j "
     "is column j of J: the derivatives of every output with respect to "
     "input j."),
    (expected.sum(dim=1, keepdim=True).expand(3, 3), "every column is J "
     "times a vector of ones, the row sums of J: each column needs its own "
     "one-hot direction u."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# J_by_columns = torch.zeros(3, 3)
# for j in range(3):
#     u = torch.zeros(3)
#     u[j] = 1.0
#     _, J_by_columns[:, j] = torch.func.jvp(f, (x.detach(),), (u,))
# ```
#
# Column `j` is the Jacobian-vector product with the one-hot direction of
# input `j`: the derivatives of every output with respect to input `j`.
# Reverse mode builds a Jacobian one row per output, forward mode one column
# per input.
#
# </details>
