"""The checked examples of a page: each Python block, its options and the output block under it.

Conventions (the README documents them):

* A block the site highlights as Python runs if its language is ``python``, ``py``, ``python3`` or
  ``py3`` (in any case). Other languages the site highlights as Python (``ipython``, ``pycon``,
  ``sage``, ...) are refused, so that nothing shown as Python goes unchecked.
* Options for the checker use the brace form, the one the site renders:
  ``{.python raises="RuntimeError"}``, ``{.python continues}``, ``{.python timeout="120"}``.
* The block right after it (only blank lines between) in ``output`` holds what the example prints.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .errors import PageError, check_coding

if TYPE_CHECKING:
    from .expand import ExpandedPage, Origin
    from .fences import Fence

RUNNABLE = {"python", "py", "python3", "py3"}
OUTPUT = "output"
CHECKER_OPTIONS = {"raises", "continues", "timeout", "figure", "alt"}
RENDER_OPTIONS = {"title", "linenums", "hl_lines"}
MAX_TIMEOUT = 600  # seconds: the longest an example may run (ten minutes)
# The columns a tab indents to a multiple of, for the site (Python-Markdown's tab_length: it
# expands every tab before reading a page) as for CommonMark's indentation.
TAB_COLUMNS = 4


@dataclasses.dataclass(frozen=True)
class OutputBlock:
    """An output block: the text shown under an example."""

    text: str
    fence: Origin  # its opening line
    start: int  # expanded-page index of the opening line
    end: int  # expanded-page index of the closing line
    indent: str
    marker: str
    origins: tuple[Origin, ...]  # of the opening line, each content line and the closing line


@dataclasses.dataclass(frozen=True)
class Example:
    """One Python block of a page, with its options and its output block (if any)."""

    page: str  # the page, relative to the root
    index: int  # position among the page's examples, from 0
    code: str
    code_origins: tuple[Origin, ...]  # one per line of ``code``
    fence: Origin  # the opening line, on the page
    start: int  # expanded-page index of the opening line
    end: int  # expanded-page index of the closing line
    closing: Origin
    indent: str
    raises: str | None = None
    continues: bool = False
    timeout: float | None = None  # seconds; None: the session's default
    figure: str | None = None  # the name of the figure the example draws, if it draws one
    alt: str | None = None  # the figure's text for screen readers
    output: OutputBlock | None = None

    @property
    def snippet_files(self) -> list[str]:
        """The files other than the page that the code comes from, in order."""
        seen: list[str] = []
        for origin in self.code_origins:
            if origin.path != self.fence.path and origin.path not in seen:
                seen.append(origin.path)
        return seen

    @property
    def where(self) -> str:
        """``docs/page.md:12``, plus the snippet files the code comes from."""
        files = self.snippet_files
        return f"{self.fence}" + (f" (code from {', '.join(files)})" if files else "")

    @property
    def shown(self) -> str:
        """The output block's text, or '' if there is none."""
        return self.output.text if self.output else ""


@dataclasses.dataclass(frozen=True)
class Page:
    """A page and its examples."""

    path: str  # relative to the root
    expanded: ExpandedPage
    examples: tuple[Example, ...]

    def chains(self) -> list[tuple[Example, ...]]:
        """The examples in runs that share a process: one example and those that continue it."""
        chains: list[list[Example]] = []
        for example in self.examples:
            if example.continues and chains:
                chains[-1].append(example)
            else:
                chains.append([example])
        return [tuple(chain) for chain in chains]

    def chain_of(self, example: Example, *, whole: bool = False) -> tuple[Example, ...]:
        """The chain ``example`` belongs to, up to and including it (or ``whole``)."""
        chain = self._chain_by_index.get(example.index, ())
        if example not in chain:
            raise ValueError(f"{example.where} is not an example of {self.path}")
        return chain if whole else chain[: chain.index(example) + 1]

    @functools.cached_property
    def _chain_by_index(self) -> dict[int, tuple[Example, ...]]:
        return {example.index: chain for chain in self.chains() for example in chain}


def _option_value(attrs: dict[str, str | None], name: str) -> str | None:
    value = attrs.get(name)
    return None if value in (None, name) else value


_FIGURE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


def _figure_options(fence: Fence, where: Origin) -> tuple[str | None, str | None]:
    figure, alt = _option_value(fence.attrs, "figure"), _option_value(fence.attrs, "alt")
    if "figure" not in fence.attrs:
        if "alt" in fence.attrs:
            raise PageError(f"{where}: alt describes a figure: add figure=\"name\" too")
        return None, None
    if not figure or not _FIGURE_NAME.fullmatch(figure):
        raise PageError(f'{where}: figure needs a name of lower-case letters, digits and '
                        f'hyphens, e.g. figure="derivative", not {figure!r}')
    if not alt or not alt.strip():
        raise PageError(f'{where}: a figure needs alt="..." saying what it shows, for readers '
                        "who cannot see it")
    return figure, alt


def _checker_options(fence: Fence, where: Origin) -> tuple[str | None, bool, float | None]:
    unknown = [k for k in fence.attrs if k not in CHECKER_OPTIONS and not k.startswith("data-")]
    if unknown:
        known = ", ".join(sorted(CHECKER_OPTIONS | RENDER_OPTIONS))
        raise PageError(f"{where}: unknown fence option '{unknown[0]}' in ```{fence.info} "
                        f"(the options are {known})")
    raises = _option_value(fence.attrs, "raises")
    if "raises" in fence.attrs and not raises:
        raise PageError(f'{where}: raises needs an exception name, e.g. raises="ValueError"')
    if _option_value(fence.attrs, "continues") is not None:
        raise PageError(f"{where}: continues takes no value: write {{.python continues}}")
    timeout: float | None = None
    if "timeout" in fence.attrs:
        text = _option_value(fence.attrs, "timeout") or ""
        try:
            timeout = float(text)
        except ValueError:
            timeout = math.nan
        if not (0 < timeout <= MAX_TIMEOUT):
            raise PageError(f'{where}: timeout must be a number of seconds from 0 to '
                            f'{MAX_TIMEOUT}, e.g. timeout="120", not {text!r}')
    return raises, "continues" in fence.attrs, timeout


def _check_language(fence: Fence, where: Origin) -> str | None:
    """'python' for a block that runs, 'output' for an output block, None for anything else."""
    lang = fence.lang
    if fence.python:
        if lang.lower() in RUNNABLE:
            return "python"
        if lang.lower() in {"pycon", "python-console", "ipythonconsole"}:
            raise PageError(f"{where}: ```{lang} shows an interactive session, which the checker "
                            "does not run: write the code in a ```python block and what it "
                            "prints in an ```output block under it")
        raise PageError(f"{where}: ```{lang} is highlighted as Python on the site but the "
                        f"checker does not run {lang} blocks: write ```python (or ```text for "
                        "code that is not meant to run)")
    if lang.lower() == OUTPUT and lang != OUTPUT:
        raise PageError(f"{where}: write ```{OUTPUT} in lower case (the site styles only that)")
    if lang == OUTPUT:
        return OUTPUT
    if fence.attrs.keys() & CHECKER_OPTIONS:
        raise PageError(f"{where}: checker options on a ```{lang} block, which does not run")
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _check_shown_as_written(text: str, fence: Fence, page: ExpandedPage) -> None:
    """An output block must be what the site shows: no blank first line (the highlighter drops
    it), no control character (an escape sequence of a terminal, shown as a box or nothing).
    (A line pymdownx.snippets reads as an escaped include is compared as the site shows it,
    without its ";": the page was expanded as the site expands it.)"""
    lines = text.split("\n")
    if fence.end > fence.start + 1 and lines[0] == "":
        raise PageError(f"{page.origin(fence.start + 1)}: the output block starts with a blank "
                        "line, which the site does not show (its highlighter drops it): an "
                        "example cannot be checked against it")
    for number, line in enumerate(lines, start=fence.start + 1):
        bad = _CONTROL.search(line)
        if bad:
            raise PageError(f"{page.origin(number)}: the output block holds the control "
                            f"character {bad.group()!r}, which the site does not show as "
                            "printed (a terminal's colour codes, say)")


def _only_blank_between(page: ExpandedPage, first: int, last: int) -> bool:
    return all(not line.strip(" \t>") for line in page.lines[first:last])


def build_page(page: ExpandedPage, fences: Sequence[Fence]) -> Page:
    """The examples of ``page``, from the fences the site renders (see fences.find_fences)."""
    examples: list[Example] = []
    previous: Example | None = None
    for fence in fences:
        where = page.origin(fence.start)
        kind = _check_language(fence, where)
        if kind == "python":
            raises, continues, timeout = _checker_options(fence, where)
            figure, alt = _figure_options(fence, where)
            if continues and not examples:
                raise PageError(f"{where}: the first example of a page cannot use continues")
            lines = fence.source.split("\n")
            origins = tuple(page.origin(fence.start + 1 + i) for i in range(len(lines)))
            check_coding(lines, [str(o) for o in origins])  # the block as a reader saves it
            raw = page.lines[fence.start + 1:fence.end]
            tab = next((i for i, line in enumerate(raw) if "\t" in line), None)
            if tab is not None:
                raise PageError(f"{page.origin(fence.start + 1 + tab)}: a tab character in the "
                                f"code of the block at {where}: the site shows it as spaces, so "
                                "the code a reader copies differs from the file; use spaces, or "
                                "\\t in a string")
            previous = Example(
                page=page.path, index=len(examples), code=fence.source + "\n",
                code_origins=origins, fence=where, start=fence.start, end=fence.end,
                closing=page.origin(fence.end), indent=fence.indent, raises=raises,
                continues=continues, timeout=timeout, figure=figure, alt=alt)
            examples.append(previous)
            continue
        if kind == OUTPUT:
            if fence.attrs or fence.options:
                raise PageError(f"{where}: an output block takes no options")
            if previous is None or not _only_blank_between(page, previous.end + 1, fence.start):
                raise PageError(f"{where}: output block with no Python code block right before it")
            # As the site reads them: tabs as spaces to the next multiple of four columns, then
            # without the fence's indentation (a line indented less is blank).
            indent = fence.indent.expandtabs(TAB_COLUMNS)
            if indent != previous.indent.expandtabs(TAB_COLUMNS):
                raise PageError(f"{where}: the output block is not indented like the code block "
                                f"at {previous.fence} above it")
            origins = tuple(page.origin(i) for i in range(fence.start, fence.end + 1))
            lines = [line.expandtabs(TAB_COLUMNS) for line in page.lines[fence.start + 1:fence.end]]
            text = "\n".join(line[len(indent):] if line.startswith(indent) else line.lstrip(" ")
                             for line in lines)
            _check_shown_as_written(text, fence, page)
            block = OutputBlock(text if fence.end > fence.start + 1 else "", where, fence.start,
                                fence.end, fence.indent, fence.marker, origins)
            examples[-1] = previous = dataclasses.replace(previous, output=block)
            previous = None
            continue
        previous = None
    return Page(page.path, page, tuple(examples))
