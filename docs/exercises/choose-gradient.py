# %% [markdown]
# # Exercise: choose the gradient
#
# For each function below, choose the `gradient` argument `v` that makes
# [`y.backward(gradient=v)`](https://docs.pytorch.org/docs/stable/generated/torch.Tensor.backward.html)
# put the asked-for numbers in
# [`x.grad`](https://docs.pytorch.org/docs/stable/generated/torch.Tensor.grad.html),
# then run the check under it. The rules are on the page [Choosing
# `gradient`](../../choosing-gradient/). Each solution is hidden under the
# check: try first.

# %% tags=["checks"]

# %% [markdown]
# ## 1. The derivative of sin at many points
#
# `x` holds five points and `y` is
# [`torch.sin(x)`](https://docs.pytorch.org/docs/stable/generated/torch.sin.html).
# Choose `v` so that `x.grad` holds the derivative $\cos x_j$ at every point.

# %%
x = torch.linspace(-1, 1, 5, requires_grad=True)
y = torch.sin(x)

# %% tags=["answer"]
v = ...  # your answer: a tensor

# %% tags=["check"]
check_gradient(y, x, v, torch.cos(x.detach()), mistakes=[
    (torch.cos(x.detach()), "you passed the derivatives themselves. v holds "
     "weights: x.grad receives v times the derivative, here cos(x) squared."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# v = torch.ones_like(y)
# ```
#
# `sin` works entry by entry, so its Jacobian is diagonal and a row of ones
# picks up the diagonal: one derivative per point.
# [`torch.ones_like(y)`](https://docs.pytorch.org/docs/stable/generated/torch.ones_like.html)
# has the shape of `y`, as `gradient` must.
#
# </details>

# %% [markdown]
# ## 2. The gradient of one output
#
# $f(x_1, x_2, x_3) = (x_1 x_2,\; x_2 + x_3^2)$. Choose `v` so that `x.grad`
# holds the gradient of the **second** output alone, $(0, 1, 2x_3)$.

# %%
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = torch.stack([x[0] * x[1], x[1] + x[2] ** 2])

# %% tags=["answer"]
v = ...  # your answer: a tensor

# %% tags=["check"]
check_gradient(y, x, v, torch.tensor([0.0, 1.0, 6.0]), mistakes=[
    (torch.ones(2), "you passed a tensor of ones: x.grad then holds the "
     "gradient of y_1 + y_2, the column sums of the Jacobian. The weight of "
     "the first output must be 0."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# v = torch.tensor([0.0, 1.0])
# ```
#
# A one-hot vector selects one row of the Jacobian: here the second.
#
# </details>

# %% [markdown]
# ## 3. Points stored as a column
#
# The same five points as in question 1, stored as a $5 \times 1$ column.
# Choose `v` so that `x.grad` holds the derivative of $x^2$ at every point.

# %%
x = torch.linspace(-1, 1, 5).reshape(5, 1).requires_grad_()
y = x**2

# %% tags=["answer"]
v = ...  # your answer: a tensor

# %% tags=["check"]
check_gradient(y, x, v, 2 * x.detach())

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# v = torch.ones_like(y)
# ```
#
# `gradient` always has the shape of `y`: here a column, `(5, 1)`.
# [`torch.ones(5)`](https://docs.pytorch.org/docs/stable/generated/torch.ones.html)
# has the wrong shape.
#
# </details>

# %% [markdown]
# ## 4. Weights of a sum
#
# The function of question 2 again. Choose `v` so that `x.grad` holds the
# gradient of $y_1 - 2 y_2$, which is $(2, -1, -12)$.

# %%
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = torch.stack([x[0] * x[1], x[1] + x[2] ** 2])

# %% tags=["answer"]
v = ...  # your answer: a tensor

# %% tags=["check"]
check_gradient(y, x, v, torch.tensor([2.0, -1.0, -12.0]), mistakes=[
    (torch.ones(2), "you passed a tensor of ones: x.grad then holds the "
     "gradient of y_1 + y_2. v holds the weight of each output in the sum."),
    (torch.tensor([1.0, 2.0]), "that gives the gradient of y_1 + 2 y_2: the "
     "sign of a weight counts."),
    (torch.tensor([-2.0, 1.0]), "the weights are in the wrong order: v[0] "
     "weighs y_1 and v[1] weighs y_2."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# v = torch.tensor([1.0, -2.0])
# ```
#
# `y.backward(gradient=v)` gives the gradient of `v[0] * y[0] + v[1] * y[1]`,
# the sum of the outputs weighted by `v` (see [`gradient` as weights of a
# sum](../../vjp/#gradient-as-weights-of-a-sum)).
#
# </details>
