"""The exercises (docs/exercises/*.py), run in a real Jupyter kernel: with their solutions every
check says the answer is right, with each of its typical wrong answers it says exactly what is
wrong, and unanswered it asks for an answer. A cell that raises fails the build with the
exercise and the cell named."""

import concurrent.futures
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import nbformat
import pytest

from sitebuild import exercises
from sitebuild.cache import Blobs
from tests.conftest import BuiltSite

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "docs" / "exercises"
CHECKS = FOLDER / exercises.CHECKS

# The classes of the exercise on custom backward passes, with a backward to fill in.
BACKWARD = {
    "Swish": textwrap.dedent("""\
        class Swish(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * torch.sigmoid(x)

            @staticmethod
            def backward(ctx, grad_output):
                (x,) = ctx.saved_tensors
                {}
        """),
    "MatVec": textwrap.dedent("""\
        class MatVec(torch.autograd.Function):
            @staticmethod
            def forward(ctx, A, x):
                ctx.save_for_backward(A, x)
                return A @ x

            @staticmethod
            def backward(ctx, grad_output):
                A, x = ctx.saved_tensors
                {}
        """),
}
# The loop of the debugging exercise, with code to put before its backward and after it.
LOOP = textwrap.dedent("""\
    w.grad = None
    grads = []
    for inputs, targets in batches:
    {before}    loss = ((inputs @ w - targets) ** 2).mean()
        loss.backward()
        grads.append(w.grad.clone())
    {after}grads = torch.stack(grads)
    """)

# Typical wrong answers for each answer cell of each exercise (at least one per cell), and what
# its check must say about each, exactly: a message that names the mistake when the check knows
# it, and otherwise what is wrong (the shape, the entries, the type).
WRONG = {
    "choose-gradient": [
        [("v = torch.ones(5) * 2", "Not yet: 5 of 5 entries of x.grad are wrong, at 0, 1, 2, 3, "
                                   "4."),
         ("v = torch.cos(x)", "Not yet: you passed the derivatives themselves. v holds weights: "
                              "x.grad receives v times the derivative, here cos(x) squared.")],
        # the gradient of the first output, (2, 1, 0): only its middle entry matches
        [("v = torch.tensor([1.0, 0.0])", "Not yet: 2 of 3 entries of x.grad are wrong, at 0, 2."),
         ("v = torch.ones_like(y)", "Not yet: you passed a tensor of ones: x.grad then holds the "
                                    "gradient of y_1 + y_2, the column sums of the Jacobian. The "
                                    "weight of the first output must be 0.")],
        [("v = torch.ones(5)", "Not yet: v has shape (5,), but gradient must have the shape of "
                               "y, (5, 1)."),
         ("v = torch.ones(1, 5)", "Not yet: v has shape (1, 5), but gradient must have the "
                                  "shape of y, (5, 1).")],
        [("v = torch.ones_like(y)", "Not yet: you passed a tensor of ones: x.grad then holds the "
                                    "gradient of y_1 + y_2. v holds the weight of each output in "
                                    "the sum."),
         ("v = torch.tensor([1.0, 2.0])", "Not yet: that gives the gradient of y_1 + 2 y_2: the "
                                          "sign of a weight counts."),
         ("v = torch.tensor([-2.0, 1.0])", "Not yet: the weights are in the wrong order: v[0] "
                                           "weighs y_1 and v[1] weighs y_2.")],
    ],
    "jacobian-from-selectors": [
        # J is [[2, 1, 0], [0, 1, 6], [3, 0, 1]]: the identity matches it in five places
        [("J = torch.eye(3)", "Not yet: 4 of 9 entries of J are wrong, at (0, 0), (0, 1), "
                              "(1, 2), (2, 0)."),
         # one backward per row, x.grad never cleared
         ("J = torch.zeros(3, 3)\n"
          "for i in range(3):\n"
          "    y.backward(torch.eye(3)[i], retain_graph=True)\n"
          "    J[i] = x.grad",
          "Not yet: row i is the sum of the first i + 1 rows of the Jacobian: backward adds to "
          "x.grad, so clear it (x.grad = None) before each row, or use torch.autograd.grad, "
          "which returns the product instead of adding it."),
         ("(g,) = torch.autograd.grad(y, x, torch.ones(3), retain_graph=True)\n"
          "J = torch.stack([g, g, g])",
          "Not yet: every row is the column sums of the Jacobian, what a gradient of ones "
          "gives: each row needs its own one-hot vector."),
         ("J = torch.autograd.functional.jacobian(f, x).T",
          "Not yet: that is the transpose of the Jacobian: row i must be the gradient of output "
          "i, with one entry per input.")],
        [("J_by_columns = torch.stack([torch.func.jvp(f, (x.detach(),), (u,))[1]\n"
          "                            for u in torch.eye(3)])",
          "Not yet: you have put each Jacobian-vector product in a row. J e_j is column j of J: "
          "the derivatives of every output with respect to input j."),
         ("_, Ju = torch.func.jvp(f, (x.detach(),), (torch.ones(3),))\n"
          "J_by_columns = torch.stack([Ju, Ju, Ju], dim=1)",
          "Not yet: every column is J times a vector of ones, the row sums of J: each column "
          "needs its own one-hot direction u.")],
    ],
    "predict-shapes": [
        [('shapes = {"a": ((3, 2), (3,)), "b": ((4,), ()), "c": ((2, 3), (2, 3)), '
          '"d": ((2, 2), (1, 2)), "e": ((4, 2, 4, 3), (4, 3))}',
          "Not yet: a, d are wrong, the others are right."),
         ('shapes = {"a": ((3, 2), (3,)), "b": ((4,), ()), "c": ((2, 3), (2, 3)), '
          '"d": ((1, 2, 1, 2), (1, 2)), "e": ((4, 3, 4, 2), (4, 3))}',
          "Not yet: every Jacobian has its dimensions in the wrong order: its shape is y.shape "
          "+ x.shape, the outputs' dimensions first."),
         ('shapes = {"a": ((2, 3), (2,)), "b": ((4,), (4,)), "c": ((2, 3), ()), '
          '"d": ((1, 2, 1, 2), (1, 2)), "e": ((4, 2, 4, 3), (4, 2))}',
          "Not yet: x.grad always has the shape of x, whatever the shape of y: the product sums "
          "over all of y's dimensions."),
         ('shapes = {"a": ((2, 3), (3,))}', "Not answered yet: fill in b, c, d, e.")],
        [('products = {"v": (2, 3), "x.grad": (4,), "u": (4,), "J u": (2, 3)}',
          "Not yet: you have swapped the two products. backward's gradient v is shaped like y "
          "and gives x.grad, shaped like x; jvp's direction u is shaped like x and gives J u, "
          "shaped like y."),
         ('products = {"v": (4,), "x.grad": (6,), "u": (6,), "J u": (4,)}',
          "Not yet: x.grad, u are wrong, the others are right.")],
    ],
    "fix-shape-error": [
        [('cause = "C"', "Not yet: a y with more than one entry is exactly when backward needs "
                         "a gradient; what the message refuses is its shape."),
         ('cause = "A"', "Not yet: backward works for tensors of any shape, rows included. Read "
                         "the message again: it compares the shape of gradient with the shape "
                         "of y."),
         ('cause = "b"', "Not yet: the explanation is 'b', which is not right.")],
        [("v = torch.ones(1, 3) * 2", "Not yet: 3 of 3 entries of x.grad are wrong, at (0, 0), "
                                      "(0, 1), (0, 2)."),
         ("v = torch.ones(3)", "Not yet: v has shape (3,), but gradient must have the shape of "
                               "y, (1, 3)."),
         ("v = 2 * x", "Not yet: you passed the derivative 2x as gradient. gradient holds "
                       "weights: x.grad receives them times the derivative, here 4x^2.")],
    ],
    "per-sample-gradients": [
        [("per_sample = torch.zeros(4, 3)", "Not yet: per_sample has shape (4, 3); it should "
                                            "have shape (4, 1, 3)."),
         ("model.zero_grad()\n"
          "((model(inputs).squeeze(1) - targets) ** 2).mean().backward()\n"
          "per_sample = model.weight.grad.expand(4, 1, 3)",
          "Not yet: every sample has the gradient of the batch's mean loss; each needs the "
          "gradient of its own loss alone."),
         ("model.zero_grad()\n"
          "((model(inputs).squeeze(1) - targets) ** 2).sum().backward()\n"
          "per_sample = torch.stack([model.weight.grad] * 4)",
          "Not yet: every sample has the gradient of the whole batch's summed loss; each needs "
          "the gradient of its own loss alone."),
         ("def loss(params, x, target):\n"
          "    prediction = torch.func.functional_call(model, params, (x,)).squeeze()\n"
          "    return (prediction - target) ** 2\n"
          "params = dict(model.named_parameters())\n"
          "per_sample = torch.func.vmap(torch.func.grad(loss), in_dims=(None, 0, 0))(\n"
          "    params, inputs, targets)",
          "Not yet: per_sample should be a tensor, not dict.")],
    ],
    "chain-rule-and-traps": [
        [("v = torch.ones_like(y)", "Not yet: you passed a tensor of ones: that gives the "
                                    "gradient of y.sum(), not of the loss. gradient must be the "
                                    "gradient of the loss with respect to y."),
         ("v = 2 * (y.detach() - t)", "Not yet: that is the gradient of the sum of the squares: "
                                      "the mean also divides by the number of entries, 4."),
         ("v = 2 * (t - y.detach()) / 4", "Not yet: the sign is flipped: the derivative of "
                                          "(y_i - t_i)^2 with respect to y_i is 2 (y_i - t_i)."),
         ("v = (y.detach() - t) ** 2 / 4", "Not yet: that is each entry's share of the loss, "
                                           "not its derivative with respect to y_i."),
         ("v = 2 * (y.detach() - t).mean()", "Not yet: v has shape (), but gradient must have "
                                             "the shape of y, (4,).")],
        [("v = torch.ones_like(y)", "Not yet: you passed a tensor of ones: that gives the "
                                    "gradient of y.sum(), the column sums of the Jacobian of y, "
                                    "as if the loss weighed every entry of y by 1. The second "
                                    "part has computed how much the loss changes with each "
                                    "entry of y: use that."),
         ("v = y_received", "Not yet: you passed the values of y, not the gradient of the loss "
                            "with respect to y."),
         ("v = loss", "Not yet: v has shape (), but gradient must have the shape of y, (3,).")],
        [("v = torch.ones_like(y)", "Not yet: you passed a tensor of ones: that gives the "
                                    "column sums of the Jacobian, (4, 3, 2, 1), the gradient of "
                                    "y.sum(). A cumulative sum mixes its inputs, so its "
                                    "Jacobian is not diagonal, and ones add up every output "
                                    "instead of picking one."),
         ("v = torch.tensor([1.0, 1.0, 1.0, 0.0])",
          "Not yet: you passed the gradient you want as v, but v weighs the outputs, not the "
          "inputs: this one adds up y_1 + y_2 + y_3. Give the third output the weight 1 and the "
          "others 0."),
         ("v = torch.tensor([0.0, 1.0, 0.0, 0.0])", "Not yet: 1 of 4 entries of x.grad is "
                                                    "wrong, at 2.")],
        [("y.backward(gradient=torch.ones_like(y))\nd = x.grad",
          "Not yet: this is the column sums of the Jacobian, what "
          "y.backward(gradient=torch.ones_like(y)) or y.sum().backward() puts in x.grad: zero, "
          "since the probabilities always sum to 1. Column sums are the derivatives at each "
          "point only when the Jacobian is diagonal, and the softmax's is not: each output "
          "depends on every input."),
         ("d = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, dim=0), x)",
          "Not yet: that is the whole 4 x 4 Jacobian; the derivative of each output with respect "
          "to its own input is its diagonal."),
         ("d = torch.sigmoid(x) * (1 - torch.sigmoid(x))", "Not yet: 4 of 4 entries of d are "
                                                           "wrong, at 0, 1, 2, 3.")],
    ],
    "products": [
        [("_, vjp_fn = torch.func.vjp(f, x)\n(Ju,) = vjp_fn(u)",
          "Not yet: that is u^T J, the vector-Jacobian product, which combines the rows of J "
          "(what backward computes). J u combines its columns: the derivatives of every output "
          "along u."),
         ("Ju, _ = torch.func.jvp(f, (x,), (u,))",
          "Not yet: that is f(x), the first of the two tensors jvp returns; J u is the second."),
         ("Ju = torch.func.jacrev(f)(x)", "Not yet: that is the whole Jacobian; J u is its "
                                          "product with u, one entry per output.")],
        [("_, vjp_fn = torch.func.vjp(f, x)\nvJ = vjp_fn(v)",
          "Not yet: the function vjp returns gives a tuple, one gradient per input of f: take "
          "its one entry, (vJ,) = ..."),
         ("_, vJ = torch.func.jvp(f, (x,), (v,))",
          "Not yet: that is J v, the Jacobian-vector product (what jvp computes); v^T J "
          "combines the rows of J, weighted by v.")],
        [("Hv = torch.func.grad(g)(x)", "Not yet: that is the gradient of g at x. H v is the "
                                        "derivative of the gradient in the direction v."),
         ("Hv = torch.func.grad(g)(x) * v", "Not yet: that is the gradient times v, entry by "
                                            "entry. H v is the derivative of the gradient in "
                                            "the direction v."),
         ("Hv = torch.func.hessian(g)(x)", "Not yet: that is the whole Hessian, which the "
                                           "question asks you not to form; H v is its product "
                                           "with v.")],
        [("per_point = torch.func.jacrev(h_batch)(points)",
          "Not yet: that is the Jacobian of the batched function, shape (B, out, B, in) = "
          "(5, 2, 5, 3): every output against every point's input, mostly zeros. Take the "
          "Jacobian of h for one point and map it over the points."),
         ("per_point = torch.func.jacrev(h)(points[0])",
          "Not yet: that is the Jacobian at the first point only; map the Jacobian over the "
          "points to get all five."),
         ("per_point = torch.func.vmap(torch.func.jacrev(h))(points).transpose(1, 2)",
          "Not yet: each Jacobian is transposed: its rows must be the outputs and its columns "
          "the inputs, shape (out, in) = (2, 3).")],
        [('cheaper = {"function": "jacrev", "products": 1000}',
          "Not yet: jacrev computes one vector-Jacobian product per output, a row of J each: "
          "1000 here. jacfwd computes one Jacobian-vector product per input."),
         ('cheaper = {"function": "jacfwd", "products": 1000}',
          "Not yet: jacfwd is the cheaper one, but it computes one Jacobian-vector product per "
          "input, a column of J each, not one per output."),
         ('cheaper = {"function": "jacrev", "products": 2}',
          "Not yet: jacrev computes one vector-Jacobian product per output, a row of J each, so "
          "it would need 1000; the function with one product per input is the other one."),
         ('cheaper = "jacfwd"', "Not yet: your answer should be a dict, not str.")],
    ],
    "custom-backward": [
        [(BACKWARD["Swish"].format("sigma = torch.sigmoid(x)\n"
                                   "        return sigma + x * sigma * (1 - sigma)"),
          "Not yet: your backward returns the derivative s'(x) and leaves grad_output out: it "
          "must return v^T J, which for a function applied entry by entry is grad_output times "
          "s'(x)."),
         (BACKWARD["Swish"].format("return grad_output * torch.sigmoid(x)"),
          "Not yet: your backward returns grad_output times sigma(x), as if sigma(x) were a "
          "constant: by the product rule, x sigma(x) has a second term, x sigma(x) "
          "(1 - sigma(x))."),
         (BACKWARD["Swish"].format("return grad_output"),
          "Not yet: your backward returns grad_output unchanged, as if s(x) were x."),
         (BACKWARD["Swish"].format("sigma = torch.sigmoid(x)\n"
                                   "        return grad_output * (sigma + x * sigma * (1 + sigma))"),
          "Not yet: gradcheck compared your backward with finite differences of forward: "
          "Jacobian mismatch for output 0 with respect to input 0."),
         # an error other than autograd's RuntimeError: a message, not a traceback
         (BACKWARD["Swish"].format("sigma = x.sigmoid\n"
                                   "        return grad_output * (sigma + x * sigma * (1 - sigma))"),
          "Not yet: your backward failed: TypeError: unsupported operand type(s) for *: 'Tensor' "
          "and 'builtin_function_or_method'")],
        [(BACKWARD["MatVec"].format("return torch.outer(grad_output, x), A.sum(dim=0)"),
          "Not yet: the gradient for x leaves grad_output out: A.sum(dim=0) is v^T A for "
          "v = (1, 1) only. The rows of A must be weighed by grad_output."),
         (BACKWARD["MatVec"].format("return grad_output @ A, torch.outer(grad_output, x)"),
          "Not yet: the two gradients are in the wrong order: backward returns one per input of "
          "forward, in the same order, A first."),
         (BACKWARD["MatVec"].format("return torch.outer(x, grad_output), grad_output @ A"),
          "Not yet: your backward failed: Function MatVecBackward returned an invalid gradient "
          "at index 0 - got [3, 2] but expected shape compatible with [2, 3]"),
         (BACKWARD["MatVec"].format("return grad_output @ A"),
          "Not yet: your backward failed: function MatVecBackward returned an incorrect number "
          "of gradients (expected 2, got 1)"),
         (BACKWARD["MatVec"].format("return torch.outer(grad_output, x), A.T @ grad_output * 2"),
          "Not yet: gradcheck compared your backward with finite differences of forward: "
          "Jacobian mismatch for output 0 with respect to input 1.")],
    ],
    "debugging": [
        [("x_grad = torch.tensor([0.0, 4.0, 12.0])",
          "Not yet: that is what the second call alone gives. backward adds to x.grad, and the "
          "first call's gradient, 2x = (2, 4, 6), is still there."),
         ("x_grad = torch.tensor([2.0, 4.0, 6.0])",
          "Not yet: that is what the first call alone gives. The second call adds its own "
          "vector-Jacobian product to it."),
         ("x_grad = torch.tensor([1.0, 2.0, 3.0])",
          "Not yet: that is the sum of the two gradient arguments. Each call adds v times the "
          "derivative of y, 2x, to x.grad."),
         ("x_grad = [2.0, 8.0, 18.0]", "Not yet: x_grad should be a tensor, not list.")],
        [(LOOP.format(before="", after=""),
          "Not yet: row i is the sum of the gradients of the first i + 1 batches: backward "
          "adds to w.grad, so each batch's gradient is added to the ones before it. Clear "
          "w.grad before each backward."),
         (LOOP.format(before="", after="    w.grad.zero_()\n").replace("w.grad.clone()", "w.grad"),
          "Not yet: every row is zero: the list holds w.grad itself, the same tensor three "
          "times, and zero_() emptied it. Append a copy, w.grad.clone(), or set w.grad = None "
          "instead."),
         (LOOP.format(before="", after="").replace("w.grad = None\n", ""),
          "Not yet: every row also holds what was left in w.grad before your loop, and the "
          "gradients of the batches before it: backward adds to w.grad. Clear w.grad before "
          "each backward."),
         (LOOP.format(before="    w.grad = None\n", after="").replace("torch.stack", "torch.cat"),
          "Not yet: grads has shape (9,); it should have shape (3, 3).")],
        [("w = torch.tensor([1.0, -2.0, 0.5], requires_grad=True).to(torch.float64)",
          "Not yet: w is not a leaf: it is the result of an operation (ToCopyBackward0), so "
          "backward fills the .grad of the tensor it was made from, and w.grad stays None."),
         ("w = torch.tensor([1.0, -2.0, 0.5]).double()",
          "Not yet: w does not require grad, so backward gives it no gradient."),
         ("w = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)",
          "Not yet: w has dtype torch.float32; it should have dtype torch.float64."),
         ("w = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64, requires_grad=True)",
          "Not yet: 1 of 3 entries of w is wrong, at 1.")],
    ],
}


def _checks_said(cells: list[nbformat.NotebookNode]) -> list[str]:
    return ["".join(o.get("text", "") for o in cell.outputs).strip()
            for cell in cells if "check" in cell.metadata.get("tags", [])]


def _stderr(cells: list[nbformat.NotebookNode]) -> str:
    return "".join(o.get("text", "") for cell in cells for o in cell.get("outputs", [])
                   if o.get("name") == "stderr")


def passes(name: str) -> list[list[tuple[str, str]]]:
    """The wrong answers of an exercise as passes through it: pass k gives each answer cell its
    k-th typical wrong answer (cycling through them when it has fewer), so that every wrong
    answer is run at least once."""
    cells = WRONG[name]
    return [[cell[k % len(cell)] for cell in cells] for k in range(max(map(len, cells)))]


def _solved_then_wrong(source: Path) -> dict[str, Any]:
    """The exercise run with its solutions in a new kernel, then once with each pass of its
    wrong answers in the same kernel, each run after a ``%reset -f``: one kernel for all the
    runs instead of one per run.

    In the later runs the earlier runs' names are gone, not what they left in the process: a
    warning shown once would not show again, so the first run must print nothing to stderr
    (checked), and torch's settings and random state stay as the first run left them (no
    exercise changes a setting; those that draw random numbers seed them first). Each
    wrong answer must still get exactly its message."""
    notebook = exercises.read(source, CHECKS)
    solved = exercises.with_answers(notebook, exercises.solutions(notebook))
    n = len(solved.cells)  # (each run is a copy of the exercise: one can take the other's cells)
    runs = passes(source.stem)
    for run in runs:
        wrong = exercises.with_answers(notebook, [answer for answer, _ in run])
        solved.cells += [nbformat.v4.new_code_cell("%reset -f"), *wrong.cells]
    ran = exercises.execute(solved, f"{source.name} (cells 1 to {n}: the solutions; then "
                                    f"{len(runs)} runs of {n + 1} cells, each a %reset and "
                                    "the exercise with wrong answers)", ROOT)
    first = ran.cells[:n]
    starts = [n + 1 + k * (n + 1) for k in range(len(runs))]  # each run's first cell
    return {"solved": _checks_said(first), "solved stderr": _stderr(first),
            "wrong": [_checks_said(ran.cells[start:start + n]) for start in starts]}


SOURCES = exercises.sources(FOLDER)


def test_every_exercise_has_wrong_answers_to_test_with() -> None:
    """Every answer cell has at least one typical wrong answer, none of them its solution nor
    another's copy, and every message says what is wrong (or, for a dict, what is missing)."""
    assert sorted(s.stem for s in SOURCES) == sorted(WRONG)
    for source in SOURCES:
        notebook = exercises.read(source, CHECKS)
        solutions = exercises.solutions(notebook)
        assert len(WRONG[source.stem]) == len(solutions), source.stem
        for number, (cell, solution) in enumerate(zip(WRONG[source.stem], solutions,
                                                      strict=True), start=1):
            assert cell, f"{source.stem}: answer {number} has no wrong answer"
            for answer, message in cell:
                assert answer.strip() != solution.strip(), f"{source.stem}: answer {number}"
                assert message.startswith(("Not yet: ", "Not answered yet: fill in")), message
            assert len({answer for answer, _ in cell}) == len(cell), source.stem


# What each exercise's checks said, by (exercise, run): "solved", "solved stderr", "wrong" (a
# list per pass of wrong answers) and "blank".
Said = dict[tuple[str, str], Any]


@pytest.fixture(scope="module")
def runs(built_site: BuiltSite) -> Said:
    """Every exercise run with its solutions and with wrong answers (one kernel for each
    exercise, two at a time); and unanswered, as the site offers it (executed by the site's
    build)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        jobs = {source.stem: pool.submit(_solved_then_wrong, source) for source in SOURCES}
        said = {(name, what): value for name, job in jobs.items()
                for what, value in job.result().items()}
    for source in SOURCES:
        offered = built_site.path / exercises.FOLDER / source.stem / f"{source.stem}.ipynb"
        said[source.stem, "blank"] = _checks_said(nbformat.read(offered, as_version=4).cells)
    return said


@pytest.mark.parametrize("name", sorted(WRONG))
def test_solutions_are_right(runs: Said, name: str) -> None:
    said = runs[name, "solved"]
    assert said and all(s.startswith("Right") for s in said), said
    assert runs[name, "solved stderr"] == ""


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_answers_are_reported_with_what_is_wrong(runs: Said, name: str) -> None:
    assert runs[name, "wrong"] == [[message for _, message in run] for run in passes(name)]


@pytest.mark.parametrize("name", sorted(WRONG))
def test_unanswered_questions_ask_for_an_answer(runs: Said, name: str) -> None:
    """In the notebook a reader downloads, every check asks for an answer."""
    said = runs[name, "blank"]
    assert said and all(s.startswith("Not answered yet") for s in said), said


def test_a_cell_that_raises_fails_the_build_naming_the_exercise_and_cell(tmp_path: Path) -> None:
    """Through `mkdocs build`: one line naming the exercise and the cell, no traceback."""
    site = tmp_path / "site"
    (site / "docs" / "exercises").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Home\n")
    (site / "docs" / "exercises" / "broken.py").write_text(
        (FOLDER / "fix-shape-error.py").read_text().replace(
            "    print(f\"RuntimeError: {error}\")", "    raise"))
    (site / "docs" / "exercises" / exercises.CHECKS).write_text(CHECKS.read_text())
    (site / "node_modules").symlink_to(ROOT / "node_modules")
    (site / "mkdocs.yml").write_text(textwrap.dedent("""\
        site_name: fixture
        theme: material
        exclude_docs: exercises/*.py
        markdown_extensions: [pymdownx.snippets]
        plugins:
          - sitebuild:
              cache: false
        """))
    result = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-q"],
                            cwd=site, capture_output=True, text=True)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if "broken.py" in line]
    assert len(errors) == 1 and re.search(
        r"broken\.py: cell 3 raised RuntimeError: .*Mismatch in shape", errors[0]), result.stderr
    assert "Traceback" not in result.stderr


def test_code_in_a_heading_is_refused(tmp_path: Path) -> None:
    """mkdocs-jupyter's table of contents drops code from headings, so its links would miss."""
    source = tmp_path / "coded.py"
    source.write_text((FOLDER / "choose-gradient.py").read_text().replace(
        "# # Exercise: choose the gradient", "# # Exercise: choose `gradient`"))
    with pytest.raises(exercises.ExerciseError,
                       match=r"coded\.py: cell 1: no code in a heading \('# Exercise: choose "):
        exercises.read(source, CHECKS)


def test_executed_exercises_are_cached_by_content(tmp_path: Path) -> None:
    source = tmp_path / "choose-gradient.py"
    source.write_text((FOLDER / "choose-gradient.py").read_text())
    (tmp_path / exercises.CHECKS).write_text(CHECKS.read_text())
    key = exercises.key(source, tmp_path / exercises.CHECKS)
    cache = Blobs(tmp_path / "cache")
    cache.put(key, b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    [built] = exercises.build(tmp_path, tmp_path / "out", cache, tmp_path)
    assert '"cells": []' in built.read_text()  # from the cache: not executed again
    source.write_text(source.read_text() + "\n# changed\n")
    assert exercises.key(source, tmp_path / exercises.CHECKS) != key
