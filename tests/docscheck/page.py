"""Find the checked examples of an expanded page: each Python fence and the output fence after it.

Conventions (documented in the README):

* A fence in ``python`` (or ``py``) is run. Options for the checker use the brace form that
  pymdownx.superfences renders: ``{.python raises="RuntimeError"}``, ``{.python continues}``.
* The fence right after it, in ``output``, holds what the block prints (and, for ``raises``, the
  error line ``RuntimeError: ...`` last).
* Fences nested in admonitions, details and tabs (indented blocks) are found too.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap

from markdown_it import MarkdownIt

from .expand import ExpandedPage, Origin

PYTHON_LANGS = {"python", "py", "python3"}
OUTPUT_LANG = "output"
# Options the checker reads (brace form only) and options superfences itself understands.
CHECKER_OPTIONS = {"raises", "continues"}
RENDER_OPTIONS = {"title", "linenums", "hl_lines"}
_PYTHON_OPENER = re.compile(r"^\s*(`{3,}|~{3,})\s*(\{[^}]*\.(python|py|python3)\b|(python|py|python3)\b)")
_OPTION = re.compile(r"""^([A-Za-z_][-\w]*)(?:=(?:"([^"]*)"|'([^']*)'|(\S+)))?$""")
# One word of a fence's info string: a quoted value may hold spaces (title="A title").
_WORD = re.compile(r"""[^\s=]+(?:=(?:"[^"]*"|'[^']*'|\S+))?""")


def _info_words(info: str) -> tuple[str | None, list[str]]:
    """The language of a fence and its other words, in either form superfences renders:
    ``python title="x"`` or ``{.python title="x"}`` (the language is the first class)."""
    if info.startswith("{"):
        words = _WORD.findall(info.strip("{} "))
        classes = [w for w in words if w.startswith(".")]
        rest = [w for w in words if not w.startswith((".", "#"))]
        return (classes[0][1:] if classes else None), rest
    words = _WORD.findall(info)
    return (words[0] if words else None), words[1:]


class PageError(Exception):
    """A page that breaks the example conventions; the message names the file and line."""


@dataclasses.dataclass
class OutputBlock:
    text: str
    fence: Origin  # the opening fence line
    first: int  # expanded-page index of the first content line
    count: int  # number of content lines
    indent: str


@dataclasses.dataclass
class Example:
    """One Python fence, its options and the output fence that follows it (if any)."""

    code: str
    code_origins: list[Origin | None]
    fence: Origin  # the opening fence line, on the page
    closing: Origin  # the closing fence line, on the page
    indent: str
    span: tuple[int, int]  # expanded-page indices of the opening and closing fence lines
    raises: str | None = None
    continues: bool = False
    output: OutputBlock | None = None

    @property
    def snippet_files(self) -> list[str]:
        seen = []
        for origin in self.code_origins:
            if origin and origin.path != self.fence.path and origin.path not in seen:
                seen.append(origin.path)
        return seen


@dataclasses.dataclass
class Fence:
    lang: str | None
    info: str
    content: str
    start: int  # expanded-page index of the opening fence line
    end: int  # expanded-page index of the closing fence line
    indent: str


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _fences(parser: MarkdownIt, lines: list[str], offset: int, indent: str) -> list[Fence | None]:
    """Fences in document order; ``None`` marks any other block between them."""
    found: list[Fence | None] = []
    for token in parser.parse("\n".join(lines)):
        if not token.map or token.type == "inline":
            continue
        start, end = token.map
        if token.type == "fence":
            info = token.info.strip()
            found.append(Fence(_info_words(info)[0], info, token.content,
                               offset + start, offset + end - 1, indent + _indent(lines[start])))
        elif token.type == "code_block":
            # An indented block: the body of an admonition, a details block or a tab.
            body = textwrap.dedent("\n".join(lines[start:end]))
            found.append(None)
            found.extend(_fences(parser, body.split("\n"), offset + start,
                                 indent + _indent(lines[start])))
            found.append(None)
        else:
            found.append(None)
    return found


def _check_all_seen(page: ExpandedPage, fences: list[Fence | None]) -> None:
    """Fail on a Python fence the parser did not see as one (so none is skipped silently)."""
    seen = {f.start for f in fences if f is not None}
    inside = {i for f in fences if f is not None for i in range(f.start + 1, f.end)}
    for index, line in enumerate(page.lines):
        if index in seen or index in inside or not _PYTHON_OPENER.match(line):
            continue
        raise PageError(f"{page.origin(index)}: this Python fence is not a code block the checker "
                        "can see (the site would not render it as one either); "
                        "put a blank line before it")


def _options(fence: Fence, where: Origin) -> dict[str, str | None]:
    info = fence.info
    words = _info_words(info)[1]
    # The checker's own options exist only in the brace form, the one superfences renders.
    allowed = CHECKER_OPTIONS | RENDER_OPTIONS if info.startswith("{") else RENDER_OPTIONS
    options: dict[str, str | None] = {}
    for word in words:
        m = _OPTION.match(word)
        name = m.group(1) if m else word
        if not m or name not in allowed:
            hint = ""
            if name in CHECKER_OPTIONS:
                hint = f' (write it in braces: ```{{.{fence.lang} {word}}})'
            raise PageError(f"{where}: unknown fence option {word!r} in ```{info}{hint}")
        options[name] = next((g for g in m.groups()[1:] if g is not None), None)
    return options


def find_examples(parser: MarkdownIt, page: ExpandedPage) -> list[Example]:
    """The examples of ``page``; raises PageError for an output fence with no code before it."""
    fences = _fences(parser, page.lines, 0, "")
    _check_all_seen(page, fences)
    examples: list[Example] = []
    previous: Example | None = None
    for fence in fences:
        if fence is None:
            previous = None
            continue
        where = page.origin(fence.start)
        if fence.lang in PYTHON_LANGS:
            options = _options(fence, where)
            raises = options.get("raises")
            if "raises" in options and not raises:
                raise PageError(f"{where}: raises needs an exception name, e.g. raises=\"ValueError\"")
            content_range = range(fence.start + 1, fence.end)
            previous = Example(
                code=fence.content,
                code_origins=[page.origin(i) for i in content_range],
                fence=where,
                closing=page.origin(fence.end),
                indent=fence.indent,
                span=(fence.start, fence.end),
                raises=raises,
                continues="continues" in options,
            )
            examples.append(previous)
        elif fence.lang == OUTPUT_LANG:
            if previous is None or previous.output is not None:
                raise PageError(f"{where}: output block with no Python code block right before it")
            first = fence.start + 1
            previous.output = OutputBlock(fence.content, where, first, fence.end - first, fence.indent)
            previous = None
        else:
            previous = None
    if examples and examples[0].continues:
        raise PageError(f"{examples[0].fence}: the first example of a page cannot use continues")
    return examples
