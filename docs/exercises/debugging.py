# %% [markdown]
# # Exercise: doubled and missing gradients
#
# Two facts about
# [`backward`](https://docs.pytorch.org/docs/stable/generated/torch.Tensor.backward.html)
# are behind many wrong gradients: it **adds** to
# [`x.grad`](https://docs.pytorch.org/docs/stable/generated/torch.Tensor.grad.html)
# instead of replacing it (see [`backward` adds to
# `.grad`](../../mechanics/#backward-adds-to-grad)), and it fills `.grad` for
# leaf tensors only (see [leaf tensors](../../mechanics/#leaf-tensors)).
# Predict what one piece of code gives, then fix two that go wrong. Each
# solution is hidden under its check: try first.

# %% tags=["checks"]

# %% [markdown]
# ## 1. Two calls
#
# Without running it, predict what `x.grad` holds after this code: a tensor
# of shape `(3,)`.
#
# ```python
# x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
# y = x**2
# y.backward(gradient=torch.ones_like(y), retain_graph=True)
# y.backward(gradient=torch.tensor([0.0, 1.0, 2.0]))
# ```

# %% tags=["answer"]
x_grad = ...  # your answer: a tensor of shape (3,)

# %% tags=["check"]
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x**2
y.backward(gradient=torch.ones_like(y), retain_graph=True)
first = x.grad.clone()
y.backward(gradient=torch.tensor([0.0, 1.0, 2.0]))
check(x_grad, x.grad, "x_grad", mistakes=[
    (x.grad - first, "that is what the second call alone gives. backward "
     "adds to x.grad, and the first call's gradient, 2x = (2, 4, 6), is "
     "still there."),
    (first, "that is what the first call alone gives. The second call adds "
     "its own vector-Jacobian product to it."),
    (torch.tensor([1.0, 2.0, 3.0]), "that is the sum of the two gradient "
     "arguments. Each call adds v times the derivative of y, 2x, to x.grad."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# x_grad = torch.tensor([2.0, 8.0, 18.0])
# ```
#
# The Jacobian of `x**2` is diagonal, with `2 * x`, (2, 4, 6), on its
# diagonal. The first call puts 1 times (2, 4, 6) in `x.grad`; the second
# adds (0, 1, 2) times (2, 4, 6), entry by entry: (0, 4, 12).
#
# </details>

# %% [markdown]
# ## 2. A loop that forgets
#
# Three batches of inputs and targets, and a weight `w`:

# %%
torch.manual_seed(0)
w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
batches = [(torch.randn(4, 3), torch.randn(4)) for _ in range(3)]

# %% [markdown]
# This loop is meant to compute the gradient of each batch's loss at the same
# `w`, one row per batch. It clears `w.grad` before it starts, but only the
# first row it prints is right:

# %%
w.grad = None
grads = []
for inputs, targets in batches:
    loss = ((inputs @ w - targets) ** 2).mean()
    loss.backward()
    grads.append(w.grad.clone())
grads = torch.stack(grads)
print(grads)

# %% [markdown]
# Fix it: write the loop again so that `grads` holds the three gradients, a
# tensor of shape `(3, 3)`, one row per batch.

# %% tags=["answer"]
grads = ...  # your answer: the cell above, fixed

# %% tags=["check"]
expected = torch.stack([
    2 * inputs.T @ (inputs @ w.detach() - targets) / len(targets)
    for inputs, targets in batches
])  # the gradient of a mean squared error, written out
check(grads, expected, "grads", mistakes=[
    (expected.cumsum(dim=0), "row i is the sum of the gradients of the "
     "first i + 1 batches: backward adds to w.grad, so each batch's "
     "gradient is added to the ones before it. Clear w.grad before each "
     "backward."),
    (expected.cumsum(dim=0) + expected.sum(dim=0), "every row also holds "
     "what was left in w.grad before your loop, and the gradients of the "
     "batches before it: backward adds to w.grad. Clear w.grad before each "
     "backward."),
    (torch.zeros(3, 3), "every row is zero: the list holds w.grad itself, "
     "the same tensor three times, and zero_() emptied it. Append a copy, "
     "w.grad.clone(), or set w.grad = None instead."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# grads = []
# for inputs, targets in batches:
#     w.grad = None  # before each backward, not once before the loop
#     loss = ((inputs @ w - targets) ** 2).mean()
#     loss.backward()
#     grads.append(w.grad.clone())
# grads = torch.stack(grads)
# ```
#
# Without the reset, each `backward` adds its gradient to the ones before it.
# A training loop does the same with
# [`optimizer.zero_grad()`](https://docs.pytorch.org/docs/stable/generated/torch.optim.Optimizer.zero_grad.html).
#
# </details>

# %% [markdown]
# ## 3. A gradient that never arrives
#
# This code wants `w` in `float64` and its gradient in `w.grad`, but `w.grad`
# stays `None` (and reading it warns), and an optimizer refuses `w`:
# [`torch.optim.SGD([w], lr=0.1)`](https://docs.pytorch.org/docs/stable/generated/torch.optim.SGD.html)
# raises "can't optimize a non-leaf Tensor".

# %%
w = torch.tensor([1.0, -2.0, 0.5], requires_grad=True).double()
loss = (w**2).sum()
loss.backward()
print(w.is_leaf)

# %% [markdown]
# Write `w` again, with the same three values, so that it is a `float64`
# tensor whose `.grad` `backward` fills (see [how a conversion makes a
# non-leaf](../../mechanics/#to-after-requires_gradtrue-makes-a-non-leaf)).

# %% tags=["answer"]
w = ...  # your answer: a float64 tensor that receives its gradient

# %% tags=["check"]
check_leaf(w, torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64), "w")

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# w = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64, requires_grad=True)
# ```
#
# [`.double()`](https://docs.pytorch.org/docs/stable/generated/torch.Tensor.double.html)
# is an operation: the tensor it returns has a history, so it is not a leaf,
# and the leaf that received the gradient was the `float32` tensor thrown
# away. Create the tensor with its final dtype, or convert first and call
# [`requires_grad_()`](https://docs.pytorch.org/docs/stable/generated/torch.Tensor.requires_grad_.html)
# last.
#
# </details>
