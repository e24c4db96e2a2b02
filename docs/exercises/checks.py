# The checks of this exercise. Run this cell first; you need not read it.
import torch


def check(answer, expected, what="your answer"):
    """Say whether `answer` equals `expected` (a tensor, or anything comparable with ==)."""
    if answer is ...:
        print(
            "Not answered yet: replace the ... above with your answer, then run this cell."
        )
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
        print(f"Right: all {len(expected)} are right.")
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
            f"Not yet: {len(places)} of {expected.numel()} entries of {what} are wrong, "
            f"at {shown}{more}."
        )
        return None
    print(f"Right: every entry of {what} matches.")
    return None


def check_gradient(y, x, v, expected):
    """Say whether y.backward(gradient=v) puts `expected` in x.grad."""
    if v is ...:
        check(..., expected)
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
