# %% [markdown]
# # Exercise: the chain rule, and where ones go wrong
#
# The `gradient` of
# [`y.backward(gradient=v)`](https://docs.pytorch.org/docs/stable/generated/torch.Tensor.backward.html)
# is the gradient of some scalar with respect to `y`, and
# [`x.grad`](https://docs.pytorch.org/docs/stable/generated/torch.Tensor.grad.html)
# receives the gradient of that scalar with respect to `x`: the vector-Jacobian
# product $v^\top J$. The first two questions choose $v$ for a loss computed
# elsewhere ([the chain rule](../../vjp/#the-chain-rule)); the last two show
# why
# [`torch.ones_like(y)`](https://docs.pytorch.org/docs/stable/generated/torch.ones_like.html)
# gives the derivative at each point only when the Jacobian is diagonal
# ([the `sum()` trick](../../vjp/#the-sum-trick)). Each solution is hidden
# under its check: try first.

# %% tags=["checks"]

# %% [markdown]
# ## 1. A mean squared error
#
# A linear layer computes four predictions `y` from three numbers `x`. Another
# part of the program computes the loss, the mean squared error against the
# targets `t`,
#
# $$
# \ell(y) = \frac{1}{4} \sum_{i=1}^{4} (y_i - t_i)^2,
# $$
#
# and you do not call `backward` on it. Choose `v`, a tensor shaped like `y`,
# so that `y.backward(gradient=v)` puts the gradient of $\ell(y(x))$ with
# respect to `x` in `x.grad`. Write the gradient of $\ell$ by hand.

# %%
torch.manual_seed(0)
W = torch.randn(4, 3)
x = torch.randn(3, requires_grad=True)
t = torch.randn(4)
y = W @ x

# %% tags=["answer"]
v = ...  # your answer: a tensor shaped like y

# %% tags=["check"]
(loss_gradient,) = torch.autograd.grad(((W @ x - t) ** 2).mean(), x)
error = y.detach() - t
check_gradient(y, x, v, loss_gradient, mistakes=[
    (torch.ones(4), "you passed a tensor of ones: that gives the gradient of "
     "y.sum(), not of the loss. gradient must be the gradient of the loss "
     "with respect to y."),
    (2 * error, "that is the gradient of the sum of the squares: the mean "
     "also divides by the number of entries, 4."),
    (-2 * error / 4, "the sign is flipped: the derivative of (y_i - t_i)^2 "
     "with respect to y_i is 2 (y_i - t_i)."),
    (error**2 / 4, "that is each entry's share of the loss, not its "
     "derivative with respect to y_i."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# v = 2 * (y.detach() - t) / 4
# ```
#
# By the chain rule, the gradient of the loss with respect to `x` is its
# gradient with respect to `y` times the Jacobian of `y`: a vector-Jacobian
# product, with `v` the gradient with respect to `y`, whose entry `i` is
# `2 * (y[i] - t[i]) / 4`.
# [`y.detach()`](https://docs.pytorch.org/docs/stable/generated/torch.Tensor.detach.html)
# says that `v` is a constant: that gradient's value at the current `y`.
#
# </details>

# %% [markdown]
# ## 2. A gradient received from elsewhere
#
# Here the program is split in two. The first part computes `y` from `x`;
# the second receives the values of `y` as a new leaf, `y_received`, computes
# a loss from it and calls `backward` on that loss, which fills
# `y_received.grad`:

# %%
def f(x):
    return torch.stack([x[0] * x[1], x[1] * x[2], x[2] * x[0]])


x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = f(x)

y_received = y.detach().requires_grad_()  # the second part starts here
loss = torch.log1p(y_received**2).sum()
loss.backward()

# %% [markdown]
# Choose `v` so that `y.backward(gradient=v)` completes the computation:
# `x.grad` must hold the gradient of `loss` with respect to `x`.

# %% tags=["answer"]
v = ...  # your answer: a tensor shaped like y

# %% tags=["check"]
(loss_gradient,) = torch.autograd.grad(torch.log1p(f(x) ** 2).sum(), x)
check_gradient(y, x, v, loss_gradient, mistakes=[
    (torch.ones(3), "you passed a tensor of ones: that gives the gradient of "
     "y.sum(), the column sums of the Jacobian of y, as if the loss weighed "
     "every entry of y by 1. The second part has computed how much the loss "
     "changes with each entry of y: use that."),
    (y.detach(), "you passed the values of y, not the gradient of the loss "
     "with respect to y."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# v = y_received.grad
# ```
#
# `y_received.grad` is the gradient of the loss with respect to `y`: exactly
# the `v` of the chain rule. This is how a gradient crosses from one part of
# a program (or one device, or one process) to the other.
#
# </details>

# %% [markdown]
# ## 3. One running total
#
# [`torch.cumsum`](https://docs.pytorch.org/docs/stable/generated/torch.cumsum.html)
# computes running totals, $y_j = x_1 + \dots + x_j$. Choose `v` so that
# `x.grad` holds the gradient of the **third** running total alone,
# $y_3 = x_1 + x_2 + x_3$, which is $(1, 1, 1, 0)$.

# %%
x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
y = torch.cumsum(x, dim=0)

# %% tags=["answer"]
v = ...  # your answer: a tensor shaped like y

# %% tags=["check"]
check_gradient(y, x, v, torch.tensor([1.0, 1.0, 1.0, 0.0]), mistakes=[
    (torch.ones(4), "you passed a tensor of ones: that gives the column sums "
     "of the Jacobian, (4, 3, 2, 1), the gradient of y.sum(). A cumulative "
     "sum mixes its inputs, so its Jacobian is not diagonal, and ones add up "
     "every output instead of picking one."),
    (torch.tensor([1.0, 1.0, 1.0, 0.0]), "you passed the gradient you want "
     "as v, but v weighs the outputs, not the inputs: this one adds up "
     "y_1 + y_2 + y_3. Give the third output the weight 1 and the others 0."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# v = torch.tensor([0.0, 0.0, 1.0, 0.0])
# ```
#
# A one-hot vector selects one row of the Jacobian: row 3 (index 2), the
# gradient of the third output.
#
# </details>

# %% [markdown]
# ## 4. The diagonal of the softmax's Jacobian
#
# [`torch.softmax`](https://docs.pytorch.org/docs/stable/generated/torch.softmax.html)
# turns four numbers into four probabilities. Compute `d`, the derivative of
# each output with respect to its own input,
# $d_j = \partial y_j / \partial x_j$: a tensor of shape `(4,)`. Let autograd
# compute the derivatives.

# %%
x = torch.tensor([1.0, 2.0, 0.5, -1.0], requires_grad=True)
y = torch.softmax(x, dim=0)

# %% tags=["answer"]
d = ...  # your answer: a tensor of shape (4,)

# %% tags=["check"]
p = y.detach()
softmax_jacobian = torch.diag(p) - torch.outer(p, p)  # dy_i/dx_k
check(d, torch.diagonal(softmax_jacobian), "d", mistakes=[
    (torch.zeros(4), "this is the column sums of the Jacobian, what "
     "y.backward(gradient=torch.ones_like(y)) or y.sum().backward() puts in "
     "x.grad: zero, since the probabilities always sum to 1. Column sums are "
     "the derivatives at each point only when the Jacobian is diagonal, and "
     "the softmax's is not: each output depends on every input."),
    (softmax_jacobian, "that is the whole 4 x 4 Jacobian; the derivative of "
     "each output with respect to its own input is its diagonal."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# J = torch.autograd.functional.jacobian(
#     lambda t: torch.softmax(t, dim=0), x.detach()
# )
# d = torch.diagonal(J)
# ```
#
# No single vector-Jacobian product gives the diagonal of a Jacobian that is
# not diagonal: it takes the Jacobian, or one product per output. Here `d`
# is `y * (1 - y)`.
#
# </details>
