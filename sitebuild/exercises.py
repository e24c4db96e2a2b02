"""Exercise notebooks: jupytext percent-format sources, executed by the build, rendered by
mkdocs-jupyter.

An exercise is ``docs/exercises/<name>.py``. Its cells tagged ``answer`` hold what the reader
writes (``...`` until then), each followed by a cell tagged ``check`` that says in words
whether the answer is right and which entries are wrong, and by a Markdown cell with the
solution in a collapsed ``<details>`` block. The cell tagged ``checks`` receives, at build
time, the helpers of ``docs/exercises/checks.py``, so that a downloaded notebook stands alone,
and the check of the reader's torch version that every notebook of the site starts with.

The build executes each notebook in a Jupyter kernel (nbclient, as mkdocs-jupyter would); an
error in any cell fails the build with the exercise and the cell named. Executed notebooks are
kept in the build's cache under a key made of the source, the helpers and the versions of
Python, torch and the kernel.
"""

from __future__ import annotations

import concurrent.futures
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import nbformat

from . import cache, notebooks

FOLDER = "exercises"
CHECKS = "checks.py"
_FENCED_SOLUTION = re.compile(r"```python\n(.*?)```", re.S)
_HEADING = re.compile(r"^#{1,6} .*$", re.M)


class ExerciseError(Exception):
    """An exercise that cannot be built; the message names the file and the cell."""


def sources(folder: Path) -> list[Path]:
    """The exercise sources of ``docs/exercises``, the helpers left out."""
    return sorted(p for p in folder.glob("*.py") if p.name != CHECKS)


def read(source: Path, checks: Path) -> nbformat.NotebookNode:
    """The notebook of an exercise source, with the checking helpers put in."""
    import jupytext

    notebook = jupytext.read(source, fmt="py:percent")
    slots = [c for c in notebook.cells if "checks" in c.metadata.get("tags", [])]
    if len(slots) != 1:
        raise ExerciseError(f"{source}: needs exactly one cell tagged checks (for the helpers), "
                            f"found {len(slots)}")
    slots[0].source = (checks.read_text(encoding="utf-8").strip() + "\n\n\n"
                       + notebooks.version_check([notebooks.torch_version()]))
    slots[0].metadata["jupyter"] = {"source_hidden": True}
    answers = [i for i, c in enumerate(notebook.cells) if "answer" in c.metadata.get("tags", [])]
    if not answers:
        raise ExerciseError(f"{source}: has no cell tagged answer")
    for cell in notebook.cells:  # what the checks compute would give the answers away
        if "check" in cell.metadata.get("tags", []):
            cell.metadata["jupyter"] = {"source_hidden": True}
    for index in answers:
        following = notebook.cells[index + 1:index + 3]
        tags = [c.metadata.get("tags", []) for c in following]
        if len(following) < 2 or "check" not in tags[0] or following[1].cell_type != "markdown" \
                or "<details" not in following[1].source:
            raise ExerciseError(f"{source}: the answer cell {index + 1} must be followed by a "
                                "check cell and a solution in <details>")
    for number, cell in enumerate(notebook.cells, start=1):
        cell.id = f"{source.stem}-{number}"
        headings = _HEADING.findall(cell.source) if cell.cell_type == "markdown" else []
        for heading in headings:
            if "`" in heading:
                raise ExerciseError(
                    f"{source}: cell {number}: no code in a heading ({heading.strip()!r}): "
                    "mkdocs-jupyter's table of contents drops it, and its links miss the heading")
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return notebook  # type: ignore[no-any-return]


def solutions(notebook: nbformat.NotebookNode) -> list[str]:
    """The code of each solution, in the order of the answer cells."""
    found = []
    for index, cell in enumerate(notebook.cells):
        if "answer" in cell.metadata.get("tags", []):
            match = _FENCED_SOLUTION.search(notebook.cells[index + 2].source)
            found.append(match.group(1) if match else "")
    return found


def with_answers(notebook: nbformat.NotebookNode, answers: Sequence[str]) -> nbformat.NotebookNode:
    """A copy of ``notebook`` whose answer cells hold ``answers``."""
    copy = nbformat.from_dict(notebook)
    cells = [c for c in copy.cells if "answer" in c.metadata.get("tags", [])]
    if len(cells) != len(answers):
        raise ValueError(f"{len(answers)} answers for {len(cells)} answer cells")
    for cell, answer in zip(cells, answers, strict=True):
        cell.source = answer
    return copy  # type: ignore[no-any-return]


def execute(notebook: nbformat.NotebookNode, where: str, cwd: Path,
            timeout: int = 300) -> nbformat.NotebookNode:
    """Run every cell in a new kernel; ExerciseError names the cell that raised."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from traitlets.config import Config

    # The kernel talks over Unix sockets in a folder of its own (over TCP, ipykernel warns on
    # stderr that the channel is unencrypted), and no execution times go into the cells'
    # metadata: the same exercise gives the same notebook. Once every cell's output is in, the
    # kernel is stopped at once (asked to shut down, it spends half a second unloading torch).
    with tempfile.TemporaryDirectory(prefix="sitebuild-kernel-") as sockets:
        settings = Config()
        settings.KernelManager.transport = "ipc"
        settings.KernelManager.ip = str(Path(sockets) / "kernel")
        client = NotebookClient(notebook, config=settings, kernel_name="python3",
                                timeout=timeout, allow_errors=False, record_timing=False,
                                shutdown_kernel="immediate",
                                resources={"metadata": {"path": str(cwd)}})
        try:
            client.execute()
        except CellExecutionError as e:
            index = next((i for i, c in enumerate(notebook.cells) if any(
                o.get("output_type") == "error" for o in c.get("outputs", []))), None)
            cell = f"cell {index + 1}" if index is not None else "a cell"
            raise ExerciseError(f"{where}: {cell} raised {e.ename}: {e.evalue}") from None
    return notebook


def key(source: Path, checks: Path) -> str:
    return cache.key(source.read_text(encoding="utf-8"), checks.read_text(encoding="utf-8"),
                     sys.version, Path(__file__).read_text(encoding="utf-8"),
                     versions=("torch", "ipykernel", "nbclient"))


def build(folder: Path, out: Path, kept: cache.Blobs, root: Path) -> list[Path]:
    """Executed notebooks for every exercise of ``folder``, written to ``out``, executed only
    when the cache does not hold them; two at a time."""
    checks = folder / CHECKS
    jobs = []
    written = []
    out.mkdir(parents=True, exist_ok=True)
    for source in sources(folder):
        target = out / f"{source.stem}.ipynb"
        written.append(target)
        stored = kept.get(key(source, checks))
        if stored is not None:
            target.write_bytes(stored)
        else:
            jobs.append((source, target))

    def run(source: Path, target: Path) -> None:
        where = source.relative_to(root).as_posix() if root in source.parents else str(source)
        notebook = execute(read(source, checks), where, root)
        nbformat.write(notebook, target)
        kept.put(key(source, checks), target.read_bytes())

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(run, *job) for job in jobs]:
            future.result()
    return written
