# %% [markdown]
# # Exercise: write a backward
#
# A
# [`torch.autograd.Function`](https://docs.pytorch.org/docs/stable/autograd.html#torch.autograd.Function)
# gives an operation a forward computation and a derivative of your own. When
# [`y.backward(gradient=v)`](https://docs.pytorch.org/docs/stable/generated/torch.Tensor.backward.html)
# reaches the operation, its `backward` receives `grad_output`, the $v$ that
# has arrived there, shaped like the operation's output, and returns
# $v^\top J$, shaped like its input: one gradient per input of `forward` (see
# [writing your own backward](../../custom-function/)).
# Each check runs your `backward`, then
# [`torch.autograd.gradcheck`](https://docs.pytorch.org/docs/stable/generated/torch.autograd.gradcheck.gradcheck.html),
# which compares the Jacobian your `backward` gives with finite differences of
# `forward`, in `float64` (see [checking a backward with
# gradcheck](../../custom-function/#checking-a-backward-with-gradcheck)).
# Each solution is hidden under its check: try first.

# %% tags=["checks"]

# %% [markdown]
# ## 1. Swish
#
# Swish, $s(x) = x\, \sigma(x)$ with $\sigma$ the sigmoid, is applied entry by
# entry. Its derivative is
#
# $$
# s'(x) = \sigma(x) + x\, \sigma(x) \bigl(1 - \sigma(x)\bigr).
# $$
#
# Complete `backward`: it must return the gradient with respect to `x`, a
# tensor shaped like `x`. `forward` has kept `x` for it with
# [`ctx.save_for_backward`](https://docs.pytorch.org/docs/stable/generated/torch.autograd.function.FunctionCtx.save_for_backward.html).

# %% tags=["answer"]
class Swish(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * torch.sigmoid(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return ...  # your answer: a tensor shaped like x


# %% tags=["check"]
x = torch.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
v = torch.tensor([1.0, -2.0, 0.5, 3.0, -1.0])
sigma = torch.sigmoid(x)
check_backward(Swish, (x,), v, mistakes=[
    (sigma + x * sigma * (1 - sigma), "your backward returns the derivative "
     "s'(x) and leaves grad_output out: it must return v^T J, which for a "
     "function applied entry by entry is grad_output times s'(x)."),
    (v * sigma, "your backward returns grad_output times sigma(x), as if "
     "sigma(x) were a constant: by the product rule, x sigma(x) has a "
     "second term, x sigma(x) (1 - sigma(x))."),
    (v, "your backward returns grad_output unchanged, as if s(x) were x."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# class Swish(torch.autograd.Function):
#     @staticmethod
#     def forward(ctx, x):
#         ctx.save_for_backward(x)
#         return x * torch.sigmoid(x)
#
#     @staticmethod
#     def backward(ctx, grad_output):
#         (x,) = ctx.saved_tensors
#         sigma = torch.sigmoid(x)
#         return grad_output * (sigma + x * sigma * (1 - sigma))
# ```
#
# The Jacobian of a function applied entry by entry is diagonal, so the
# vector-Jacobian product is `grad_output` times the derivative, entry by
# entry.
#
# </details>

# %% [markdown]
# ## 2. Two inputs
#
# `MatVec` computes $y = A x$ for a $2 \times 3$ matrix $A$ and a vector $x$
# of length 3. Complete `backward`: it must return two gradients, in the
# order of the inputs of `forward`: the gradient with respect to `A`, shaped
# like `A`, then the one with respect to `x`, shaped like `x`. With $v$ =
# `grad_output`, they are $\partial (v^\top A x) / \partial A_{ij} = v_i x_j$
# and $\partial (v^\top A x) / \partial x_j = \sum_i v_i A_{ij}$ (see [one
# gradient per
# input](../../custom-function/#several-inputs-one-gradient-per-input)).

# %% tags=["answer"]
class MatVec(torch.autograd.Function):
    @staticmethod
    def forward(ctx, A, x):
        ctx.save_for_backward(A, x)
        return A @ x

    @staticmethod
    def backward(ctx, grad_output):
        A, x = ctx.saved_tensors
        return ...  # your answer: (gradient for A, gradient for x)


# %% tags=["check"]
A = torch.tensor([[1.0, 2.0, 0.0], [-1.0, 0.5, 3.0]])
x = torch.tensor([2.0, -1.0, 0.5])
v = torch.tensor([1.0, -2.0])
check_backward(MatVec, (A, x), v, mistakes=[
    ((torch.outer(v, x), A.sum(dim=0)), "the gradient for x leaves "
     "grad_output out: A.sum(dim=0) is v^T A for v = (1, 1) only. The rows "
     "of A must be weighed by grad_output."),
    ((v @ A, torch.outer(v, x)), "the two gradients are in the wrong order: "
     "backward returns one per input of forward, in the same order, A "
     "first."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# class MatVec(torch.autograd.Function):
#     @staticmethod
#     def forward(ctx, A, x):
#         ctx.save_for_backward(A, x)
#         return A @ x
#
#     @staticmethod
#     def backward(ctx, grad_output):
#         A, x = ctx.saved_tensors
#         return torch.outer(grad_output, x), grad_output @ A
# ```
#
# `grad_output @ A` weighs the rows of `A` by `grad_output`, and is shaped
# like `x`; the outer product of `grad_output` and `x` is shaped like `A`.
# Neither needs the Jacobian of `A @ x` with respect to `A`, a tensor of
# shape `(2, 2, 3)`.
#
# </details>
