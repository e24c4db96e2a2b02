"""Every page's notebook, as the site offers it for download, run in a real Jupyter kernel
(nbclient, ipykernel): each cell prints what the page shows under its example.

A kernel names a warning's file differently (the cell's temporary file instead of the snippet),
so warnings are compared with the file name left out; everything else must be equal.
"""

import concurrent.futures
import copy
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from docscheck.runner import BUILD_LOCATION, BUILD_PLACEHOLDER
from tests.conftest import ROOT, BuiltSite

_WARNING_FILE = re.compile(r"^\S.*?(?=:\d+: \w*Warning: )", re.M)
# Each notebook by name: as the site offers it, and as a kernel ran it.
Notebooks = dict[str, tuple[nbformat.NotebookNode, nbformat.NotebookNode]]


def _said(cell: nbformat.NotebookNode) -> dict[str, str]:
    outputs = {"stdout": "", "stderr": "", "error": ""}
    for output in cell.outputs:
        if output.output_type == "stream":
            outputs[output.name] += output.text
        elif output.output_type == "error":
            outputs["error"] = f"{output.ename}: {output.evalue}".rstrip("\n")
    outputs["stderr"] = BUILD_LOCATION.sub(BUILD_PLACEHOLDER, _WARNING_FILE.sub("<file>", outputs["stderr"]))
    return outputs


def _run(path: Path) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    shown = nbformat.read(path, as_version=4)
    ran = copy.deepcopy(shown)
    NotebookClient(ran, timeout=300, kernel_name="python3", allow_errors=True,
                   shutdown_kernel="immediate",  # once every output is in (as the build does)
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return shown, ran


@pytest.fixture(scope="module")
def notebooks(built_site: BuiltSite) -> Notebooks:
    paths = sorted((built_site.path / "notebooks").glob("*.ipynb"))
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip((p.stem for p in paths), pool.map(_run, paths), strict=True))


def test_every_page_with_examples_has_a_notebook(built_site: BuiltSite, notebooks: Notebooks) -> None:
    from docscheck import Site
    from sitebuild.notebooks import notebook_name

    site = Site.load(ROOT / "mkdocs.yml")
    with_examples = {notebook_name(p.relative_to(ROOT / "docs").with_suffix("").as_posix())
                     for p in site.page_paths() if site.read(p).examples}
    assert {f"{name}.ipynb" for name in notebooks} == with_examples


@pytest.mark.parametrize("name", ["index", "mechanics", "troubleshooting", "vjp",
                                  "jacobians-without-loops", "row-vectors"])
def test_a_notebook_run_in_a_kernel_prints_what_its_page_shows(notebooks: Notebooks, name: str) -> None:
    shown, ran = notebooks[name]
    problems = []
    cells = [(a, b) for a, b in zip(shown.cells, ran.cells, strict=True) if a.cell_type == "code"]
    for number, (expected, actual) in enumerate(cells, start=1):
        if _said(expected) != _said(actual):
            problems.append(f"cell {number}:\n  page:   {_said(expected)}\n  kernel: {_said(actual)}")
    assert not problems, f"notebooks/{name}.ipynb\n" + "\n".join(problems)


def test_every_other_notebook_too(notebooks: Notebooks) -> None:
    problems = []
    for name, (shown, ran) in notebooks.items():
        for number, (expected, actual) in enumerate(
                [(a, b) for a, b in zip(shown.cells, ran.cells, strict=True)
                 if a.cell_type == "code"], start=1):
            if _said(expected) != _said(actual):
                problems.append(f"{name} cell {number}: page {_said(expected)} kernel "
                                f"{_said(actual)}")
    assert not problems, "\n".join(problems)
