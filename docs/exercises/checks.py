# The checks of this exercise. Run this cell first; you need not read it.
#
# Each check says whether an answer is right. A check may also be given `mistakes`: pairs of
# a typical wrong answer and what is wrong with it, so that an answer that makes one of them
# is told which one, in words.
import torch
from torch.autograd.gradcheck import GradcheckError


def _same(answer, value):
    """Whether `answer` is `value`: tensors of the same shape and (to rounding) the same
    entries, tuples of such tensors, or anything else equal by ==."""
    if isinstance(value, torch.Tensor):
        return (
            isinstance(answer, torch.Tensor)
            and answer.shape == value.shape
            and torch.allclose(answer.detach().to(value.dtype), value, rtol=1e-4, atol=1e-6)
        )
    if isinstance(value, tuple):
        return (
            isinstance(answer, tuple)
            and len(answer) == len(value)
            and all(_same(a, b) for a, b in zip(answer, value, strict=True))
        )
    return not isinstance(answer, torch.Tensor) and answer == value


def _known_mistake(answer, mistakes):
    """Say what is wrong if `answer` is one of the known `mistakes`; whether it was."""
    for wrong, message in mistakes:
        if _same(answer, wrong):
            print(f"Not yet: {message}")
            return True
    return False


def check(answer, expected, what="your answer", mistakes=()):
    """Say whether `answer` equals `expected` (a tensor, or anything comparable with ==)."""
    if answer is ...:
        print(
            "Not answered yet: replace the ... above with your answer, then run this cell."
        )
        return None
    if _known_mistake(answer, mistakes):
        return None
    if isinstance(expected, dict):
        if not isinstance(answer, dict):
            print(
                f"Not yet: {what} should be a dict, not {type(answer).__name__}."
            )
            return None
        wrong = [
            name
            for name in expected
            if answer.get(name, ...) != expected[name]
        ]
        missing = [name for name in expected if answer.get(name, ...) is ...]
        if missing:
            print(f"Not answered yet: fill in {', '.join(missing)}.")
            return None
        if wrong:
            print(
                f"Not yet: {', '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} wrong, "
                f"the other{'s are' if len(expected) - len(wrong) != 1 else ' is'} right."
            )
            return None
        count = "both" if len(expected) == 2 else f"all {len(expected)}"
        print(f"Right: {count} are right.")
        return None
    if not isinstance(expected, torch.Tensor):
        if answer == expected:
            print("Right.")
            return None
        print(f"Not yet: {what} is {answer!r}, which is not right.")
        return None
    if not isinstance(answer, torch.Tensor):
        print(
            f"Not yet: {what} should be a tensor, not {type(answer).__name__}."
        )
        return None
    if answer.shape != expected.shape:
        print(
            f"Not yet: {what} has shape {tuple(answer.shape)}; "
            f"it should have shape {tuple(expected.shape)}."
        )
        return None
    close = torch.isclose(
        answer.detach().to(expected.dtype), expected, rtol=1e-4, atol=1e-6
    )
    if not close.all():
        places = [tuple(i.tolist()) for i in (~close).nonzero()]
        shown = ", ".join(str(p if len(p) != 1 else p[0]) for p in places[:6])
        more = f" and {len(places) - 6} more" if len(places) > 6 else ""
        print(
            f"Not yet: {len(places)} of {expected.numel()} entries of {what} "
            f"{'is' if len(places) == 1 else 'are'} wrong, at {shown}{more}."
        )
        return None
    print(f"Right: every entry of {what} matches.")
    return None


def check_gradient(y, x, v, expected, mistakes=()):
    """Say whether y.backward(gradient=v) puts `expected` in x.grad; `mistakes` are typical
    wrong values of v."""
    if v is ...:
        check(..., expected)
        return None
    if _known_mistake(v, mistakes):
        return None
    if not isinstance(v, torch.Tensor):
        print(f"Not yet: gradient should be a tensor, not {type(v).__name__}.")
        return None
    if v.shape != y.shape:
        print(
            f"Not yet: v has shape {tuple(v.shape)}, but gradient must have the shape "
            f"of y, {tuple(y.shape)}."
        )
        return None
    (grad,) = torch.autograd.grad(y, x, grad_outputs=v, retain_graph=True)
    check(grad, expected, "x.grad")
    return None


def check_backward(function, inputs, v, mistakes=()):
    """Say whether the backward of `function`, a torch.autograd.Function, is right. What it
    returns for the gradient `v` (a tensor, or a tuple of one per input) is compared with the
    typical wrong ones in `mistakes`; then torch.autograd.gradcheck compares the whole
    Jacobian that backward gives with finite differences of forward, in float64."""
    inputs = tuple(t.detach().double().requires_grad_() for t in inputs)
    returned = []

    def backward(ctx, *grad_outputs):  # the same backward, keeping what it returns
        returned.append(function.backward(ctx, *grad_outputs))
        return returned[-1]

    recorded = type(function.__name__, (function,), {"backward": staticmethod(backward)})
    failure = None
    try:
        torch.autograd.grad(recorded.apply(*inputs), inputs, v.double(), allow_unused=True)
    except Exception as error:  # any error of the reader's backward, shown as a message
        failure = error
    result = returned[0] if returned else None
    if isinstance(result, tuple) and len(result) == 1:
        (result,) = result
    if result is ...:
        check(..., None)
        return None
    if returned and _known_mistake(result, mistakes):
        return None
    if failure is not None:
        print(f"Not yet: your backward failed: {_error(failure)}")
        return None
    try:
        torch.autograd.gradcheck(function.apply, inputs)
    except GradcheckError as error:
        print(
            "Not yet: gradcheck compared your backward with finite differences of forward: "
            + str(error).splitlines()[0].rstrip(",") + "."
        )
        return None
    except Exception as error:  # the reader's backward failed under gradcheck
        print(f"Not yet: your backward failed under gradcheck: {_error(error)}")
        return None
    print("Right: gradcheck finds that your backward matches forward's finite differences.")
    return None


def _error(error):
    """An exception as one line: its message, after its type unless it is a RuntimeError
    (autograd's own errors, whose messages say what is wrong)."""
    message = str(error).strip()
    if type(error) is RuntimeError:
        return message
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def check_leaf(tensor, expected, what="w"):
    """Say whether `tensor` is a leaf that requires grad (a tensor whose .grad backward
    fills), with the dtype and the values of `expected`."""
    if tensor is ... or not isinstance(tensor, torch.Tensor):
        check(tensor, expected, what)
    elif tensor.grad_fn is not None:
        print(
            f"Not yet: {what} is not a leaf: it is the result of an operation "
            f"({type(tensor.grad_fn).__name__}), so backward fills the .grad of the tensor "
            f"it was made from, and {what}.grad stays None."
        )
    elif not tensor.requires_grad:
        print(f"Not yet: {what} does not require grad, so backward gives it no gradient.")
    elif tensor.dtype != expected.dtype:
        print(f"Not yet: {what} has dtype {tensor.dtype}; it should have dtype {expected.dtype}.")
    else:
        check(tensor, expected, what)
    return None
