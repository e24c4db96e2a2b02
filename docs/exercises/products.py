# %% [markdown]
# # Exercise: Jacobian-vector, vector-Jacobian and Hessian-vector products
#
# `torch.func` computes the products of a Jacobian with a vector from either
# side, without forming the Jacobian:
# [`torch.func.jvp`](https://docs.pytorch.org/docs/stable/generated/torch.func.jvp.html)
# gives $J u$, with $u$ shaped like the input, and
# [`torch.func.vjp`](https://docs.pytorch.org/docs/stable/generated/torch.func.vjp.html)
# gives $v^\top J$, with $v$ shaped like the output (see [forward
# mode](../../forward-mode/)). Products of the Hessian come the same way (see
# [higher order](../../higher-order/)), and so do Jacobians at many points at
# once (see [Jacobians without loops](../../jacobians-without-loops/)). Each
# solution is hidden under its check: try first.

# %% tags=["checks"]

# %%
def f(x):
    """f(x1, x2, x3) = (x1 x2, x2 + x3^2, x1 x3)."""
    return torch.stack([x[0] * x[1], x[1] + x[2] ** 2, x[0] * x[2]])


x = torch.tensor([1.0, 2.0, 3.0])

# %% [markdown]
# ## 1. A directional derivative
#
# Compute `Ju`, the Jacobian of `f` at `x` times $u = (1, 0, -1)$: the rate at
# which $f(x + s u)$ changes with $s$, a tensor of shape `(3,)`. Use
# `torch.func.jvp`.

# %%
u = torch.tensor([1.0, 0.0, -1.0])

# %% tags=["answer"]
Ju = ...  # your answer: a tensor of shape (3,)

# %% tags=["check"]
J = torch.autograd.functional.jacobian(f, x)
check(Ju, J @ u, "Ju", mistakes=[
    (u @ J, "that is u^T J, the vector-Jacobian product, which combines the "
     "rows of J (what backward computes). J u combines its columns: the "
     "derivatives of every output along u."),
    (f(x), "that is f(x), the first of the two tensors jvp returns; J u is "
     "the second."),
    (J, "that is the whole Jacobian; J u is its product with u, one entry "
     "per output."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# _, Ju = torch.func.jvp(f, (x,), (u,))
# ```
#
# `jvp` takes the inputs and the directions as tuples, one entry per input
# of `f`, and returns `f(x)` and the product, computed in one forward pass.
#
# </details>

# %% [markdown]
# ## 2. A vector-Jacobian product without backward
#
# Compute `vJ`, the product $v^\top J$ for $v = (1, -1, 2)$, a tensor of
# shape `(3,)`, with `torch.func.vjp`: it returns $f(x)$ and a function to
# call with $v$.

# %%
v = torch.tensor([1.0, -1.0, 2.0])

# %% tags=["answer"]
vJ = ...  # your answer: a tensor of shape (3,)

# %% tags=["check"]
J = torch.autograd.functional.jacobian(f, x)
check(vJ, v @ J, "vJ", mistakes=[
    ((v @ J,), "the function vjp returns gives a tuple, one gradient per "
     "input of f: take its one entry, (vJ,) = ..."),
    (J @ v, "that is J v, the Jacobian-vector product (what jvp computes); "
     "v^T J combines the rows of J, weighted by v."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# _, vjp_fn = torch.func.vjp(f, x)
# (vJ,) = vjp_fn(v)
# ```
#
# `vjp_fn(v)` is what
# [`y.backward(gradient=v)`](https://docs.pytorch.org/docs/stable/generated/torch.Tensor.backward.html)
# would put in
# [`x.grad`](https://docs.pytorch.org/docs/stable/generated/torch.Tensor.grad.html)
# (for `y = f(x)`), as a tuple with one entry per input of `f`.
#
# </details>

# %% [markdown]
# ## 3. A Hessian-vector product
#
# For $g(x) = x_1 x_2^2 + e^{x_3} x_1$, compute `Hv`, the Hessian of `g` at
# $x = (1, -1, 0.5)$ times $v = (1, 2, -1)$, a tensor of shape `(3,)`, without
# forming the $3 \times 3$ Hessian. (In a model with millions of parameters
# the Hessian does not fit in memory, and this product still costs about two
# gradients.)

# %%
def g(x):
    return x[0] * x[1] ** 2 + torch.exp(x[2]) * x[0]


x = torch.tensor([1.0, -1.0, 0.5])
v = torch.tensor([1.0, 2.0, -1.0])

# %% tags=["answer"]
Hv = ...  # your answer: a tensor of shape (3,)

# %% tags=["check"]
H = torch.func.hessian(g)(x)  # formed here to check; your answer need not
gradient = torch.func.grad(g)(x)
check(Hv, H @ v, "Hv", mistakes=[
    (gradient, "that is the gradient of g at x. H v is the derivative of the "
     "gradient in the direction v."),
    (gradient * v, "that is the gradient times v, entry by entry. H v is the "
     "derivative of the gradient in the direction v."),
    (H, "that is the whole Hessian, which the question asks you not to "
     "form; H v is its product with v."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# _, Hv = torch.func.jvp(torch.func.grad(g), (x,), (v,))
# ```
#
# The Hessian is the Jacobian of the gradient, so the Jacobian-vector product
# of the gradient along `v` is the Hessian times `v`: forward mode over
# reverse mode. The reverse-over-reverse way, the gradient with
# `create_graph=True` and then its vector-Jacobian product with `v`, gives
# the same numbers.
#
# </details>

# %% [markdown]
# ## 4. One Jacobian per point
#
# `h` takes one point of three coordinates and returns two numbers;
# `h_batch` does the same for a batch of points, one per row. Compute
# `per_point`, the Jacobian of `h` at each of the five points of `points`: a
# tensor of shape `(5, 2, 3)`, (batch, outputs, inputs). Use
# [`vmap`](https://docs.pytorch.org/docs/stable/generated/torch.func.vmap.html)
# and [`jacrev`](https://docs.pytorch.org/docs/stable/generated/torch.func.jacrev.html),
# and no loop.

# %%
def h(p):
    """One point p of shape (3,) -> (p1 p2 p3, p1 + p2^2)."""
    return torch.stack([p[0] * p[1] * p[2], p[0] + p[1] ** 2])


def h_batch(points):
    """h of each row: (B, 3) -> (B, 2)."""
    p1, p2, p3 = points.unbind(dim=1)
    return torch.stack([p1 * p2 * p3, p1 + p2**2], dim=1)


torch.manual_seed(0)
points = torch.randn(5, 3)

# %% tags=["answer"]
per_point = ...  # your answer: a tensor of shape (5, 2, 3)

# %% tags=["check"]
jacobian = torch.autograd.functional.jacobian
expected = torch.stack([jacobian(h, p) for p in points])
check(per_point, expected, "per_point", mistakes=[
    (jacobian(h_batch, points), "that is the Jacobian of the batched "
     "function, shape (B, out, B, in) = (5, 2, 5, 3): every output against "
     "every point's input, mostly zeros. Take the Jacobian of h for one "
     "point and map it over the points."),
    (expected[0], "that is the Jacobian at the first point only; map the "
     "Jacobian over the points to get all five."),
    (expected.mT, "each Jacobian is transposed: its rows must be the outputs "
     "and its columns the inputs, shape (out, in) = (2, 3)."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# per_point = torch.func.vmap(torch.func.jacrev(h))(points)
# ```
#
# `jacrev(h)` is the function returning the 2 by 3 Jacobian at one point;
# `vmap` applies it to every row of `points` and stacks the results.
#
# </details>

# %% [markdown]
# ## 5. Forward or reverse?
#
# A curve $c(a) = a_1 \cos t + a_2 \sin t$, sampled at 1000 times $t$, has
# two inputs and 1000 outputs: its Jacobian is $1000 \times 2$. Which of
# `jacrev` and
# [`jacfwd`](https://docs.pytorch.org/docs/stable/generated/torch.func.jacfwd.html)
# computes it with fewer products, and how many products does it compute?
# Answer with a dict, for instance `{"function": "jacrev", "products": 7}`.

# %% tags=["answer"]
cheaper = ...  # your answer: {"function": ..., "products": ...}

# %% tags=["check"]
check(cheaper, {"function": "jacfwd", "products": 2}, mistakes=[
    ({"function": "jacrev", "products": 1000}, "jacrev computes one "
     "vector-Jacobian product per output, a row of J each: 1000 here. "
     "jacfwd computes one Jacobian-vector product per input."),
    ({"function": "jacfwd", "products": 1000}, "jacfwd is the cheaper one, "
     "but it computes one Jacobian-vector product per input, a column of J "
     "each, not one per output."),
    ({"function": "jacrev", "products": 2}, "jacrev computes one "
     "vector-Jacobian product per output, a row of J each, so it would "
     "need 1000; the function with one product per input is the other one."),
])

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# cheaper = {"function": "jacfwd", "products": 2}
# ```
#
# Forward mode computes one column of the Jacobian per input: 2 products
# for this tall Jacobian, where reverse mode needs one row per output, 1000.
#
# </details>
