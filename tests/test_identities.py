"""Every identity the site states, tested on random shapes (0-d to 3-d for x and y) in float32
and float64. Each test names the page section that states it.

The functions are smooth and mix every entry of x into every entry of y (a random linear map
followed by tanh and a square), so that Jacobians are dense, except where a property is about
elementwise functions. Hypothesis runs derandomized: the same examples on every run.
"""

import math
from collections.abc import Callable
from typing import TypedDict

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import Tensor
from torch.func import hessian, jacfwd, jacrev, jvp, vjp


class Tolerance(TypedDict):
    rtol: float
    atol: float


Function = Callable[[Tensor], Tensor]
# f, x, v (shaped like f(x)), u (shaped like x), and the tolerance of their dtype.
Problem = tuple[Function, Tensor, Tensor, Tensor, Tolerance]

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, database=None)
TOLERANCE: dict[torch.dtype, Tolerance] = {torch.float32: {"rtol": 1e-4, "atol": 1e-5},
                                           torch.float64: {"rtol": 1e-10, "atol": 1e-12}}

shapes = st.lists(st.integers(1, 3), min_size=0, max_size=3).map(tuple)
dtypes = st.sampled_from([torch.float32, torch.float64])


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    """A smooth function from tensors of one random shape to tensors of another, a point x,
    a vector v shaped like y and u shaped like x."""
    x_shape, y_shape, dtype = draw(shapes), draw(shapes), draw(dtypes)
    generator = torch.Generator().manual_seed(draw(st.integers(0, 2**31 - 1)))
    n, m = math.prod(x_shape), math.prod(y_shape)
    A = torch.randn(m, n, generator=generator, dtype=dtype)
    B = torch.randn(m, n, generator=generator, dtype=dtype)

    def f(x: Tensor) -> Tensor:
        flat = x.reshape(-1)
        return (torch.tanh(A @ flat) + (B @ flat) ** 2).reshape(y_shape)

    def sample(shape: tuple[int, ...]) -> Tensor:
        return torch.randn(shape, generator=generator, dtype=dtype)

    return f, sample(x_shape), sample(y_shape), sample(x_shape), TOLERANCE[dtype]


def jacobian(f: Function, x: Tensor) -> Tensor:
    J: Tensor = torch.autograd.functional.jacobian(f, x)
    return J


def backward_product(f: Function, x: Tensor, v: Tensor) -> Tensor | None:
    x = x.clone().requires_grad_()
    f(x).backward(gradient=v)
    return x.grad


@SETTINGS
@given(problems())
def test_backward_is_the_contraction_of_v_with_the_jacobian(problem: Problem) -> None:
    """vjp.md#tensors-of-any-shape: backward(v) equals tensordot(v, J, y.ndim)."""
    f, x, v, _, tol = problem
    y = f(x)
    expected = torch.tensordot(v, jacobian(f, x), dims=y.ndim)
    torch.testing.assert_close(backward_product(f, x, v), expected, **tol)


@SETTINGS
@given(problems(), st.data())
def test_a_one_hot_gradient_gives_that_outputs_gradient(problem: Problem, data: st.DataObject) -> None:
    """vjp.md#selecting-one-output-the-one-hot-vector: a one-hot v gives the gradient of the
    output it selects."""
    f, x, _, _, tol = problem
    y = f(x)
    index = tuple(data.draw(st.integers(0, size - 1)) for size in y.shape)
    one_hot = torch.zeros_like(y)
    one_hot[index] = 1
    x_ = x.clone().requires_grad_()
    f(x_)[index].backward()
    torch.testing.assert_close(backward_product(f, x, one_hot), x_.grad, **tol)
    torch.testing.assert_close(x_.grad, jacobian(f, x)[index], **tol)


@SETTINGS
@given(shapes, dtypes, st.integers(0, 2**31 - 1))
def test_ones_on_an_elementwise_function_give_its_derivative_at_each_point(
        shape: tuple[int, ...], dtype: torch.dtype, seed: int) -> None:
    """vjp.md#derivatives-at-many-points: for an elementwise f, ones give f'(x) pointwise;
    vjp.md#derivatives-at-many-points: any v gives v * f'(x)."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(shape, generator=generator, dtype=dtype)
    v = torch.randn(shape, generator=generator, dtype=dtype)

    def f(t: Tensor) -> Tensor:
        return torch.sin(t) * t

    derivative = torch.cos(x) * x + torch.sin(x)
    tol = TOLERANCE[dtype]
    torch.testing.assert_close(backward_product(f, x, torch.ones_like(x)), derivative, **tol)
    torch.testing.assert_close(backward_product(f, x, v), v * derivative, **tol)


@SETTINGS
@given(problems())
def test_the_sum_trick_is_backward_with_ones(problem: Problem) -> None:
    """vjp.md#the-sum-trick: y.sum().backward() equals y.backward(ones_like(y))."""
    f, x, _, _, tol = problem
    x_ = x.clone().requires_grad_()
    f(x_).sum().backward()
    torch.testing.assert_close(x_.grad, backward_product(f, x, torch.ones_like(f(x))), **tol)


@SETTINGS
@given(problems())
def test_gradient_is_the_weights_of_a_sum(problem: Problem) -> None:
    """vjp.md#gradient-as-weights-of-a-sum: (y * v).sum().backward() equals
    y.backward(v) for a constant v."""
    f, x, v, _, tol = problem
    x_ = x.clone().requires_grad_()
    (f(x_) * v).sum().backward()
    torch.testing.assert_close(x_.grad, backward_product(f, x, v), **tol)


@SETTINGS
@given(problems())
def test_batched_one_hot_rows_give_the_whole_jacobian(problem: Problem) -> None:
    """autograd-grad.md#a-whole-jacobian-in-one-call: is_grads_batched with the rows of an
    identity gives the full Jacobian."""
    f, x, _, _, tol = problem
    x_ = x.clone().requires_grad_()
    y = f(x_)
    rows = torch.eye(y.numel(), dtype=y.dtype).reshape(-1, *y.shape)
    (J,) = torch.autograd.grad(y, x_, grad_outputs=rows, is_grads_batched=True)
    torch.testing.assert_close(J.reshape(y.shape + x.shape), jacobian(f, x), **tol)


@SETTINGS
@given(problems())
def test_jvp_is_J_u_vjp_is_vT_J_and_they_are_adjoint(problem: Problem) -> None:
    """forward-mode.md: jvp gives J u (tensors-of-any-shape), vjp gives v^T J, and
    <v, J u> = <v^T J, u> (how-it-relates-to-the-vector-jacobian-product)."""
    f, x, v, u, tol = problem
    J = jacobian(f, x)
    # (torch.func types jvp and vjp as giving two values, or three with has_aux=True)
    y, Ju = jvp(f, (x,), (u,))[:2]
    torch.testing.assert_close(Ju, torch.tensordot(J, u, dims=x.ndim), **tol)
    _, pullback = vjp(f, x)[:2]
    (vJ,) = pullback(v)
    torch.testing.assert_close(vJ, torch.tensordot(v, J, dims=y.ndim), **tol)
    torch.testing.assert_close((v * Ju).sum(), (vJ * u).sum(), **tol)


@SETTINGS
@given(problems())
def test_jacfwd_equals_jacrev(problem: Problem) -> None:
    """forward-mode.md#when-jacfwd-beats-jacrev and jacobians-without-loops.md: jacfwd and
    jacrev give the same Jacobian, of shape y.shape + x.shape."""
    f, x, _, _, tol = problem
    forward, reverse = jacfwd(f)(x), jacrev(f)(x)
    assert forward.shape == f(x).shape + x.shape
    torch.testing.assert_close(forward, reverse, **tol)


@SETTINGS
@given(problems())
def test_the_hessian_of_a_smooth_function_is_symmetric(problem: Problem) -> None:
    """higher-order.md#the-hessian: the Hessian of a smooth scalar function is symmetric, and
    higher-order.md#hessian-vector-products-without-the-hessian: H v without forming H."""
    f, x, _, u, tol = problem

    def scalar(t: Tensor) -> Tensor:
        return (f(t) ** 2).sum()

    H = hessian(scalar)(x).reshape(x.numel(), x.numel())
    torch.testing.assert_close(H, H.T, **tol)
    _, Hu = jvp(torch.func.grad(scalar), (x,), (u,))[:2]
    torch.testing.assert_close(Hu.reshape(-1), H @ u.reshape(-1), **tol)


@pytest.mark.parametrize("page", ["vjp.md", "mechanics.md", "autograd-grad.md",
                                  "forward-mode.md", "higher-order.md"])
def test_every_page_named_here_exists(page: str) -> None:
    from pathlib import Path

    assert (Path(__file__).resolve().parents[1] / "docs" / page).is_file()
