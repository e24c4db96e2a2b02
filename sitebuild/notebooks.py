"""Every page with examples as a Jupyter notebook, to download or open in Colab.

For ``docs/<page>.md`` the notebook has the page's prose as Markdown cells, each example as a
code cell, and as that cell's output the output block the doc-test checked. Pages are read
through the doc-test engine's facade (``docscheck.Site``), so the code and outputs of a notebook
are exactly those of the page.
"""

from __future__ import annotations

import importlib.metadata
import re
from urllib.parse import quote

import nbformat

from docscheck import Example, Page, split_shown

from .torchchecks import release

NOTEBOOKS = "notebooks"  # folder of the site that holds them
COLAB = "https://colab.research.google.com/github/{repository}/blob/{branch}/{name}"
_ADMONITION = re.compile(r'^(\s*)(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+"(.*)")?\s*$')
_HEADING_ATTRS = re.compile(r"^(#+ .*?)\s*\{[^}]*\}\s*$")
_PAGE_LINK = re.compile(r"\]\(([\w./-]+)\.md(#[\w-]+)?\)")
# A warning as Python prints it: "path:line: SomeWarning: message", then its source line.
WARNING = re.compile(r"^\S.*?:\d+: \w*Warning: ")


def torch_version() -> str:
    """The release of the installed torch, the one the doc-test checks the outputs with,
    without its local part: "2.13.0" for 2.13.0+cpu."""
    return release(importlib.metadata.version("torch"))


def listed(versions: list[str]) -> str:
    """Releases as a sentence lists them: 2.13.0, or 2.13.0 and 2.14.1, or 2.9.1, 2.13.0 and 2.14.1."""
    return versions[0] if len(versions) == 1 else f"{', '.join(versions[:-1])} and {versions[-1]}"


def version_check(versions: list[str]) -> str:
    """The code of a notebook's first cell: silent with a torch its outputs were checked with, a
    warning with any other (Colab, for one, installs its own)."""
    checked = listed(versions)
    test = (f'!= "{versions[0]}"' if len(versions) == 1
            else "not in (" + ", ".join(f'"{v}"' for v in versions) + ")")
    return (f"# The outputs of this notebook were checked with torch {checked}.\n"
            "import torch\n"
            "\n"
            f'if torch.__version__.split("+")[0] {test}:\n'
            "    print(\n"
            f'        "Note: the outputs shown were checked with torch {checked}, and this "\n'
            '        f"is torch {torch.__version__}: some numbers or messages may differ."\n'
            "    )\n")


def split_warnings(text: str) -> tuple[str, str]:
    """The printed text of an example, split into what went to stdout and the warnings (each
    with the source line Python prints under it), as a Jupyter kernel shows them apart."""
    out: list[str] = []
    warnings: list[str] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        if WARNING.match(lines[index]):
            warnings.append(lines[index])
            if index + 1 < len(lines) and lines[index + 1].startswith("  "):
                warnings.append(lines[index + 1])
                index += 1
        else:
            out.append(lines[index])
        index += 1
    return "\n".join(out), "\n".join(warnings)


def page_url(stem: str) -> str:
    """The URL of ``docs/<stem>.md`` relative to the site's root."""
    return "" if stem == "index" else f"{stem}/"


def notebook_name(stem: str) -> str:
    return f"{stem.replace('/', '-')}.ipynb"


def colab_url(repository: str, branch: str, stem: str) -> str:
    """Where Colab opens the notebook of ``docs/<stem>.md``, published on ``branch`` of the
    GitHub ``repository`` (owner/name)."""
    return COLAB.format(repository=quote(repository), branch=quote(branch),
                        name=quote(notebook_name(stem)))


def for_jupyter(lines: list[str], site_url: str) -> str:
    """Markdown of the site, rewritten for Jupyter: admonitions become block quotes, headings
    lose their attributes and code spans (so that the notebook's anchors match its table of
    contents), and links to other pages point to the site."""
    out: list[str] = []
    quote_at: int | None = None  # indentation of the admonition being quoted
    for line in lines:
        if quote_at is not None and not (line.strip() == "" or line.startswith(" " * (quote_at + 4))):
            quote_at = None
        if quote_at is not None:
            out.append("> " + _rewrite(line[quote_at + 4:], site_url) if line.strip() else ">")
            continue
        match = _ADMONITION.match(line)
        if match:
            quote_at = len(match.group(1))
            out.append(f"> **{match.group(2)}**" if match.group(2) else ">")
            continue
        out.append(_rewrite(line, site_url))
    return "\n".join(out).strip("\n")


def _rewrite(line: str, site_url: str) -> str:
    if line.startswith("#"):
        line = _HEADING_ATTRS.sub(r"\1", line).replace("`", "")
    return _PAGE_LINK.sub(lambda m: f"]({site_url}{page_url(m.group(1))}{m.group(2) or ''})", line)


def _cell(kind: str, source: str, **fields: object) -> nbformat.NotebookNode:
    """A cell, unchecked: ``page_notebook`` checks the whole notebook against the schema once
    (checking each cell, as nbformat's constructors do, took a quarter of a second per build)."""
    cell: nbformat.NotebookNode = nbformat.from_dict(
        {"cell_type": kind, "metadata": {}, "source": source, **fields})
    return cell


def code_cell(example: Example, count: int) -> nbformat.NotebookNode:
    """The cell of an example: its code, and as outputs what the page shows under it."""
    outputs: list[dict[str, object]] = []
    printed, error = example.shown, ""
    if example.raises:
        printed, error = split_shown(example.shown, example.raises)
    stdout, warnings = split_warnings(printed.rstrip("\n"))
    if stdout.strip("\n"):
        outputs.append({"output_type": "stream", "name": "stdout",
                        "text": stdout.rstrip("\n") + "\n"})
    if warnings:  # Jupyter shows warnings apart, as stderr, after what the cell printed
        outputs.append({"output_type": "stream", "name": "stderr", "text": warnings + "\n"})
    if error:
        name, _, message = error.partition(":")
        # Jupyter names the exception by its class ("GradcheckError"), Python's traceback by
        # its full name: the notebook shows what a kernel would.
        outputs.append({"output_type": "error", "ename": name.rsplit(".", 1)[-1],
                        "evalue": message.strip(), "traceback": error.split("\n")})
    return _cell("code", example.code.rstrip("\n"), execution_count=count, outputs=outputs)


def page_notebook(page: Page, stem: str, site_url: str,
                  versions: list[str]) -> nbformat.NotebookNode | None:
    """The notebook of a page, or None when the page has no example; its outputs were checked
    with the torch ``versions``, which its first code cell compares with the reader's."""
    expanded, examples = page.expanded, page.examples
    if not examples:
        return None
    note = (f"*This notebook is the page <{site_url}{page_url(stem)}> of Gradients in PyTorch. "
            f"Each output below is the one checked on the site with torch {listed(versions)}: run the "
            "cells to see it again.*")
    cells = []
    position = 0
    for count, example in enumerate(examples, start=1):
        prose = for_jupyter(expanded.lines[position:example.start], site_url)
        if prose:
            cells.append(_cell("markdown", prose))
        cells.append(code_cell(example, count))
        position = example.end + 1
        if example.output:
            position = example.output.end + 1
    prose = for_jupyter(expanded.lines[position:], site_url)
    if prose:
        cells.append(_cell("markdown", prose))
    first = cells[0]
    title, _, rest = first.source.partition("\n") if first.cell_type == "markdown" else ("", "", "")
    if title.startswith("# "):
        first.source = f"{title}\n\n{note}\n{rest}"
    else:
        cells.insert(0, _cell("markdown", note))
    cells.insert(1, _cell("code", version_check(versions).rstrip("\n"), execution_count=None,
                          outputs=[]))
    for number, cell in enumerate(cells, start=1):
        cell.id = f"{stem.replace('/', '-')}-{number}"  # stable: the same page, the same notebook
    notebook: nbformat.NotebookNode = nbformat.from_dict({
        "nbformat": nbformat.v4.nbformat, "nbformat_minor": nbformat.v4.nbformat_minor,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"},
                     "language_info": {"name": "python"}},
        "cells": cells})
    try:
        nbformat.validate(notebook)
    except nbformat.ValidationError as e:
        raise ValueError(f"the notebook of {stem} is not a valid notebook: {e.message}") from None
    return notebook
