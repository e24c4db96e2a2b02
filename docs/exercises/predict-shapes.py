# %% [markdown]
# # Exercise: predict the shapes
#
# For each pair of shapes of `x` and `y = f(x)` below, predict the shape of the
# Jacobian that `torch.autograd.functional.jacobian(f, x)` returns and the
# shape of `x.grad` after `y.backward(gradient=v)`. Write each shape as a
# tuple, `()` for a 0-dimensional tensor. The rule is on the page [Tensors of
# any shape](../../vjp/#tensors-of-any-shape).
#
# | case | `x.shape` | `y.shape` |
# | --- | --- | --- |
# | a | `(3,)` | `(2,)` |
# | b | `()` | `(4,)` |
# | c | `(2, 3)` | `()` |
# | d | `(1, 2)` | `(1, 2)` |
# | e | `(4, 3)` | `(4, 2)` |

# %% tags=["checks"]

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
check(shapes, expected)

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
