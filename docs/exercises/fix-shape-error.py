# %% [markdown]
# # Exercise: explain and fix a shape error
#
# This code stops with an error (the cell catches it to show it):

# %% tags=["checks"]

# %%
x = torch.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
y = x**2
try:
    y.backward(gradient=torch.ones(3))
except RuntimeError as error:
    print(f"RuntimeError: {error}")

# %% [markdown]
# ## 1. Why?
#
# Which explanation is right? Answer `"A"`, `"B"` or `"C"`.
#
# - **A.** `backward` cannot compute gradients of $x^2$ for a row vector.
# - **B.** `gradient` must have exactly the shape of `y`, `(1, 3)`, and
#   `torch.ones(3)` has shape `(3,)`: autograd does not broadcast it.
# - **C.** `y` has more than one entry, so `backward` takes no `gradient` at
#   all.

# %% tags=["answer"]
cause = ...  # your answer: "A", "B" or "C"

# %% tags=["check"]
check(cause, "B", "the explanation")

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# cause = "B"
# ```
#
# The message says it: `grad_output[0]` (the `gradient`) has shape `(3,)` and
# `output[0]` (the `y`) has shape `(1, 3)`. Broadcasting does not apply to
# `gradient`.
#
# </details>

# %% [markdown]
# ## 2. The fix
#
# Write the `gradient` that makes `x.grad` hold $2x$, the derivative at each
# entry.

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
# Build `gradient` from `y` itself and its shape is always right.
#
# </details>
