# %% [markdown]
# # Exercise: predict the shapes
#
# Predict the shapes of Jacobians, gradients and the vectors that go with
# them, without running anything. Write each shape as a tuple, `()` for a
# 0-dimensional tensor. The rule is on the page [Tensors of any
# shape](../../vjp/#tensors-of-any-shape).

# %% tags=["checks"]

# %% [markdown]
# ## 1. Jacobians and gradients
#
# For each pair of shapes of `x` and `y = f(x)` below, predict the shape of the
# Jacobian that
# [`torch.autograd.functional.jacobian(f, x)`](https://docs.pytorch.org/docs/stable/generated/torch.autograd.functional.jacobian.html)
# returns and the shape of
# [`x.grad`](https://docs.pytorch.org/docs/stable/generated/torch.Tensor.grad.html)
# after
# [`y.backward(gradient=v)`](https://docs.pytorch.org/docs/stable/generated/torch.Tensor.backward.html).
#
# | case | shape of `x` | shape of `y` |
# | --- | --- | --- |
# | a | `(3,)` | `(2,)` |
# | b | `()` | `(4,)` |
# | c | `(2, 3)` | `()` |
# | d | `(1, 2)` | `(1, 2)` |
# | e | `(4, 3)` | `(4, 2)` |

# %% tags=["answer"]
shapes = ...  # your answer: {"a": (J shape, x.grad shape), "b": ..., ...}

# %% tags=["check"]
cases = {"a": ((3,), (2,)), "b": ((), (4,)), "c": ((2, 3), ()),
         "d": ((1, 2), (1, 2)), "e": ((4, 3), (4, 2))}
expected = {}
for name, (x_shape, y_shape) in cases.items():
    def f(t, y_shape=y_shape):  # any function from x_shape to y_shape
        return torch.ones(y_shape) * t.sum()
    x = torch.ones(x_shape, requires_grad=True)
    f(x).backward(gradient=torch.ones(y_shape))
    J = torch.autograd.functional.jacobian(f, torch.ones(x_shape))
    expected[name] = (tuple(J.shape), tuple(x.grad.shape))
check(shapes, expected, mistakes=[
    ({name: (xs + ys, xs) for name, (xs, ys) in cases.items()}, "every "
     "Jacobian has its dimensions in the wrong order: its shape is y.shape + "
     "x.shape, the outputs' dimensions first."),
    ({name: (ys + xs, ys) for name, (xs, ys) in cases.items()}, "x.grad "
     "always has the shape of x, whatever the shape of y: the product sums "
     "over all of y's dimensions."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# shapes = {"a": ((2, 3), (3,)), "b": ((4,), ()), "c": ((2, 3), (2, 3)),
#           "d": ((1, 2, 1, 2), (1, 2)), "e": ((4, 2, 4, 3), (4, 3))}
# ```
#
# The Jacobian has shape `y.shape + x.shape`, one entry for each pair of an
# entry of `y` and an entry of `x`; `x.grad` always has the shape of `x`.
#
# </details>

# %% [markdown]
# ## 2. The two products
#
# Now `x` has shape `(2, 3)` and `y = f(x)` has shape `(4,)`. Predict the
# shapes of the vector `v` of `y.backward(gradient=v)`, of the `x.grad` it
# gives ($v^\top J$), of the direction `u` of
# [`torch.func.jvp(f, (x,), (u,))`](https://docs.pytorch.org/docs/stable/generated/torch.func.jvp.html),
# and of the product $J u$ it returns (see [forward
# mode](../../forward-mode/#tensors-of-any-shape)).

# %% tags=["answer"]
products = ...  # your answer: {"v": shape, "x.grad": shape, ...}

# %% tags=["check"]
def f(t):  # a function from shape (2, 3) to shape (4,)
    return torch.ones(4) * t.sum()


x = torch.ones(2, 3, requires_grad=True)
y = f(x)
v = torch.ones(y.shape)  # backward's gradient has the shape of y
y.backward(gradient=v)
u = torch.ones(x.shape)  # jvp's direction has the shape of x
_, Ju = torch.func.jvp(f, (x.detach(),), (u,))
expected = {"v": tuple(v.shape), "x.grad": tuple(x.grad.shape),
            "u": tuple(u.shape), "J u": tuple(Ju.shape)}
check(products, expected, mistakes=[
    ({"v": (2, 3), "x.grad": (4,), "u": (4,), "J u": (2, 3)}, "you have "
     "swapped the two products. backward's gradient v is shaped like y and "
     "gives x.grad, shaped like x; jvp's direction u is shaped like x and "
     "gives J u, shaped like y."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# products = {"v": (4,), "x.grad": (2, 3), "u": (2, 3), "J u": (4,)}
# ```
#
# A vector-Jacobian product sums over all of `y`'s dimensions and leaves the
# shape of `x`; a Jacobian-vector product sums over all of `x`'s dimensions
# and leaves the shape of `y`.
#
# </details>
