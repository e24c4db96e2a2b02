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
# - **A.**
#   [`backward`](https://docs.pytorch.org/docs/stable/generated/torch.Tensor.backward.html)
#   cannot compute gradients of $x^2$ for a row vector.
# - **B.** `gradient` must have exactly the shape of `y`, `(1, 3)`, and
#   [`torch.ones(3)`](https://docs.pytorch.org/docs/stable/generated/torch.ones.html)
#   has shape `(3,)`: autograd does not broadcast it.
# - **C.** `y` has more than one entry, so `backward` takes no `gradient` at
#   all.

# %% tags=["answer"]
cause = ...  # your answer: "A", "B" or "C"

# %% tags=["check"]
check(cause, "B", "the explanation", mistakes=[
    ("A", "backward works for tensors of any shape, rows included. Read the "
     "message again: it compares the shape of gradient with the shape of y."),
    ("C", "a y with more than one entry is exactly when backward needs a "
     "gradient; what the message refuses is its shape."),
])

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
# Write the `gradient` that makes
# [`x.grad`](https://docs.pytorch.org/docs/stable/generated/torch.Tensor.grad.html)
# hold $2x$, the derivative at each entry.

# %% tags=["answer"]
v = ...  # your answer: a tensor

# %% tags=["check"]
check_gradient(y, x, v, 2 * x.detach(), mistakes=[
    (2 * x.detach(), "you passed the derivative 2x as gradient. gradient "
     "holds weights: x.grad receives them times the derivative, here 4x^2."),
])

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
