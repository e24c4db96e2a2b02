"""The exercises (docs/exercises/*.py), run in a real Jupyter kernel: with their solutions every
check says the answer is right, with a wrong answer it says what is wrong, and unanswered it
asks for an answer. A cell that raises fails the build with the exercise and the cell named."""

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

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "docs" / "exercises"
CHECKS = FOLDER / exercises.CHECKS

# A wrong answer for each answer cell, and what its check must say about it.
WRONG = {
    "choose-gradient": [
        ("v = torch.ones(5) * 2", "Not yet: 5 of 5 entries of x.grad are wrong, at 0, 1, 2, 3, 4."),
        # the gradient of the first output, (2, 1, 0): only its middle entry matches
        ("v = torch.tensor([1.0, 0.0])", "Not yet: 2 of 3 entries of x.grad are wrong, at 0, 2."),
        ("v = torch.ones(5)", "Not yet: v has shape (5,), but gradient must have the shape of "
                              "y, (5, 1)."),
    ],
    "jacobian-from-selectors": [
        # J is [[2, 1, 0], [0, 1, 6], [3, 0, 1]]: the identity matches it in five places
        ("J = torch.eye(3)", "Not yet: 4 of 9 entries of J are wrong, at (0, 0), (0, 1), "
                             "(1, 2), (2, 0)."),
    ],
    "predict-shapes": [
        ('shapes = {"a": ((3, 2), (3,)), "b": ((4,), ()), "c": ((2, 3), (2, 3)), '
         '"d": ((2, 2), (1, 2)), "e": ((4, 2, 4, 3), (4, 3))}',
         "Not yet: a, d are wrong, the others are right."),
    ],
    "fix-shape-error": [
        ('cause = "C"', "Not yet: the explanation is 'C', which is not right."),
        ("v = torch.ones(1, 3) * 2", "Not yet: 3 of 3 entries of x.grad are wrong, at (0, 0), "
                                     "(0, 1), (0, 2)."),
    ],
    "per-sample-gradients": [
        ("per_sample = torch.zeros(4, 3)", "Not yet: per_sample has shape (4, 3); it should "
                                           "have shape (4, 1, 3)."),
    ],
}


def _checks_said(cells) -> list[str]:
    return ["".join(o.get("text", "") for o in cell.outputs).strip()
            for cell in cells if "check" in cell.metadata.get("tags", [])]


def _stderr(cells) -> str:
    return "".join(o.get("text", "") for cell in cells for o in cell.get("outputs", [])
                   if o.get("name") == "stderr")


def _solved_then_wrong(source: Path) -> dict[str, Any]:
    """The exercise run with its solutions in a new kernel, then (after ``%reset -f``) with
    its wrong answers in the same kernel: one kernel instead of two.

    In the second run the first run's names are gone, not what it left in the process: a
    warning shown once would not show again, so the first run must print nothing to stderr
    (checked), and torch's settings and random state stay as the first run left them (no
    exercise changes a setting; the one that draws random numbers seeds them first). Each
    wrong answer must still get exactly its message."""
    notebook = exercises.read(source, CHECKS)
    solved = exercises.with_answers(notebook, exercises.solutions(notebook))
    wrong = exercises.with_answers(notebook, [answer for answer, _ in WRONG[source.stem]])
    n = len(solved.cells)  # (each is a copy of the exercise: one can take the other's cells)
    solved.cells += [nbformat.v4.new_code_cell("%reset -f"), *wrong.cells]
    ran = exercises.execute(solved, f"{source.name} (cells 1 to {n}: the solutions; cell "
                                    f"{n + 1}: %reset; from cell {n + 2}: the wrong answers)", ROOT)
    first, second = ran.cells[:n], ran.cells[n + 1:]
    return {"solved": _checks_said(first), "solved stderr": _stderr(first),
            "wrong": _checks_said(second)}


SOURCES = exercises.sources(FOLDER)


def test_every_exercise_has_wrong_answers_to_test_with():
    assert sorted(s.stem for s in SOURCES) == sorted(WRONG)
    for source in SOURCES:
        notebook = exercises.read(source, CHECKS)
        assert len(WRONG[source.stem]) == len(exercises.solutions(notebook))


@pytest.fixture(scope="module")
def runs(built_site):
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
def test_solutions_are_right(runs, name):
    said = runs[name, "solved"]
    assert said and all(s.startswith("Right") for s in said), said
    assert runs[name, "solved stderr"] == ""


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_answers_are_reported_with_what_is_wrong(runs, name):
    assert runs[name, "wrong"] == [message for _, message in WRONG[name]]


@pytest.mark.parametrize("name", sorted(WRONG))
def test_unanswered_questions_ask_for_an_answer(runs, name):
    """In the notebook a reader downloads, every check asks for an answer."""
    said = runs[name, "blank"]
    assert said and all(s.startswith("Not answered yet") for s in said), said


def test_a_cell_that_raises_fails_the_build_naming_the_exercise_and_cell(tmp_path):
    """Through `mkdocs build`: one line naming the exercise and the cell, no traceback."""
    site = tmp_path / "site"
    (site / "docs" / "exercises").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Home\n")
    (site / "docs" / "exercises" / "broken.py").write_text(
        (FOLDER / "fix-shape-error.py").read_text().replace(
            "    print(f\"RuntimeError: {error}\")", "    raise"))
    (site / "docs" / "exercises" / exercises.CHECKS).write_text(CHECKS.read_text())
    (site / "node_modules").symlink_to(ROOT / "node_modules")
    (site / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: fixture
        theme: material
        exclude_docs: exercises/*.py
        markdown_extensions: [pymdownx.snippets]
        hooks:
          - {ROOT}/sitebuild/events.py
        extra:
          sitebuild: {{cache: false}}
        """))
    result = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-q"],
                            cwd=site, capture_output=True, text=True)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if "broken.py" in line]
    assert len(errors) == 1 and re.search(
        r"broken\.py: cell 3 raised RuntimeError: .*Mismatch in shape", errors[0]), result.stderr
    assert "Traceback" not in result.stderr


def test_code_in_a_heading_is_refused(tmp_path):
    """mkdocs-jupyter's table of contents drops code from headings, so its links would miss."""
    source = tmp_path / "coded.py"
    source.write_text((FOLDER / "choose-gradient.py").read_text().replace(
        "# # Exercise: choose the gradient", "# # Exercise: choose `gradient`"))
    with pytest.raises(exercises.ExerciseError,
                       match=r"coded\.py: cell 1: no code in a heading \('# Exercise: choose "):
        exercises.read(source, CHECKS)


def test_executed_exercises_are_cached_by_content(tmp_path):
    source = tmp_path / "choose-gradient.py"
    source.write_text((FOLDER / "choose-gradient.py").read_text())
    (tmp_path / exercises.CHECKS).write_text(CHECKS.read_text())
    key = exercises.key(source, tmp_path / exercises.CHECKS)
    cache = tmp_path / "cache"
    (cache / f"{key}.ipynb").parent.mkdir()
    (cache / f"{key}.ipynb").write_text('{"cells": [], "metadata": {}, "nbformat": 4, '
                                        '"nbformat_minor": 5}')
    [built] = exercises.build(tmp_path, tmp_path / "out", cache, tmp_path)
    assert '"cells": []' in built.read_text()  # from the cache: not executed again
    source.write_text(source.read_text() + "\n# changed\n")
    assert exercises.key(source, tmp_path / exercises.CHECKS) != key
