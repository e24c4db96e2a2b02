"""Which fenced blocks of a page the site renders, where they are, and what they hold.

Two views are combined:

* **Candidates**: every fence-like block, with its exact lines. The parser is the markdown-it
  parser that pytest-markdown-docs provides (its ``pytest_markdown_docs_markdown_it`` hook),
  descending into indented blocks (admonition, tab and details bodies), plus a scan of the raw
  lines for fence openers it did not report (a fence right under ``!!! note``, for one).
* **The site's view**: the page rendered by Python-Markdown with the extensions of ``mkdocs.yml``,
  in which a recording formatter stands in for syntax highlighting. It records the language,
  options and source of each fence the site renders; a fence that the site later turns back
  into text (one inside an indented code block, say) leaves no trace in the final HTML.

Where the two disagree, the site decides: a candidate the site does not render is never run,
and if it looks like Python (or output), the page fails with what the site did instead.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
from collections.abc import Callable
from typing import Any

import markdown
from markdown_it import MarkdownIt
from pymdownx.superfences import SuperFencesBlockPreprocessor, highlight_validator

from .config import SNIPPETS, SUPERFENCES, SiteConfig
from .errors import PageError
from .expand import ExpandedPage
from .page import TAB_COLUMNS

_OPENER = re.compile(r"^(?P<indent>[ \t>]*?)(?P<marker>`{3,}|~{3,})(?P<info>.*)$")
_MARK = re.compile(r'<code data-docscheck-fence="(\d+)"></code>')
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# An extension whose class sets this attribute true changes neither which code blocks a page
# shows nor how (a typesetter of formulas, say): pages are read without it, rather than have it
# do its work on every page read.
SKIP = "docscheck_skip"


@dataclasses.dataclass(frozen=True)
class Fence:
    """A fenced block the site renders."""

    start: int  # expanded-page index of the opening line
    end: int  # expanded-page index of the closing line
    indent: str  # what precedes the fence marker on the opening line (spaces, '>')
    marker: str  # the fence marker as written, e.g. ``` or ~~~~
    info: str  # the rest of the opening line, as written
    lang: str  # the language as the site reads it ('' for none)
    options: dict[str, str]  # options the highlighter takes: title, linenums, hl_lines
    attrs: dict[str, str | None]  # other keys of the brace form, e.g. raises="RuntimeError"
    source: str  # the content as the site shows it (tabs expanded, indentation removed)
    python: bool  # the site highlights it as Python


@dataclasses.dataclass(frozen=True)
class _Candidate:
    start: int
    end: int  # index of the closing line; the last line of the page if the fence is unclosed
    closed: bool
    indent: str
    marker: str
    info: str
    in_indented_block: bool  # found inside a block markdown-it reads as an indented code block


@dataclasses.dataclass(frozen=True)
class _Rendered:
    start: int
    end: int
    lang: str
    options: dict[str, str]
    attrs: dict[str, str | None]
    source: str
    python: bool


def _closing(lines: list[str], start: int, marker: str) -> int | None:
    """The index of the line closing the fence opened at ``start``, if there is one."""
    char, length = marker[0], len(marker)
    for index in range(start + 1, len(lines)):
        body = lines[index].lstrip(" \t>")
        run = len(body) - len(body.lstrip(char))
        if run >= length and not body[run:].strip():
            return index
    return None


def _candidates(parser: MarkdownIt, page: ExpandedPage) -> list[_Candidate]:
    found: dict[int, _Candidate] = {}
    inside: set[int] = set()

    def walk(lines: list[str], offset: int, in_indented: bool) -> None:
        for token in parser.parse("\n".join(lines)):
            if not token.map or token.type == "inline":
                continue
            start, end = token.map
            if token.type == "fence":
                first = offset + start
                m = _OPENER.match(page.lines[first])
                if m is None:  # pragma: no cover - markdown-it and the pattern agree on openers
                    continue
                close = _closing(page.lines, first, m["marker"])
                last = offset + end - 1
                closed = close is not None and close == last
                found[first] = _Candidate(first, last, closed, m["indent"], m["marker"],
                                          m["info"].strip(), in_indented)
                inside.update(range(first, last + 1))
            elif token.type == "code_block":
                # An indented block: the body of an admonition, tab or details block, or an
                # indented code block; the site decides which.
                # Dedented as CommonMark reads indentation: a tab reaches the next multiple of
                # four columns (textwrap alone sees no common indentation in a tab and spaces).
                block = lines[start:end]
                body = textwrap.dedent("\n".join(block).expandtabs(TAB_COLUMNS)).split("\n")
                if body != block:
                    walk(body, offset + start, True)

    walk(page.lines, 0, False)
    # Fence openers markdown-it read as part of something else (a paragraph, say).
    for index, line in enumerate(page.lines):
        if index in inside:
            continue
        m = _OPENER.match(line)
        if m is None or (m["marker"][0] == "`" and "`" in m["info"]):
            continue
        close = _closing(page.lines, index, m["marker"])
        last = close if close is not None else len(page.lines) - 1
        found[index] = _Candidate(index, last, close is not None, m["indent"], m["marker"],
                                  m["info"].strip(), False)
        inside.update(range(index, last + 1))
    return [found[i] for i in sorted(found)]


class _RecordingFences(SuperFencesBlockPreprocessor):  # type: ignore[misc]
    """superfences' preprocessor, remembering the lines of the fence being formatted."""

    span = (0, 0)

    def process_nested_block(self, ws: str, content: str, start: int, end: int) -> None:
        self.span = (start, end)
        super().process_nested_block(ws, content, start, end)


class SiteMarkdown:
    """The site's Markdown, with a recording formatter for every fence."""

    def __init__(self, config: SiteConfig):
        configs = {name: dict(options) for name, options in config.extension_configs.items()}
        superfences = configs.setdefault(SUPERFENCES, {})
        record: Callable[..., str] = self._record
        superfences["custom_fences"] = [
            {"name": "*", "class": "", "format": record, "validator": highlight_validator},
            *superfences.get("custom_fences", []),
        ]
        # Pages reach this class already expanded: includes must not be expanded twice.
        names = [e for e in config.extensions if e != SNIPPETS]
        if SUPERFENCES not in names:
            names.append(SUPERFENCES)
        builder = markdown.Markdown()
        extensions = [builder.build_extension(name, configs.get(name, {})) for name in names]
        self.md = markdown.Markdown(extensions=[e for e in extensions
                                                if not getattr(e, SKIP, False)])
        old: Any = self.md.preprocessors["fenced_code_block"]
        self.pre = _RecordingFences(self.md)
        self.pre.config, self.pre.extension = old.config, old.extension
        self.md.preprocessors.register(self.pre, "fenced_code_block", 25)
        self.recorded: list[_Rendered] = []
        # Whether the site highlights a language as Python, by language (and code, when the
        # site guesses the language of a block that names none it knows): finding a lexer
        # takes Pygments about a millisecond.
        self.python: dict[tuple[str, str], bool] = {}

    def _record(self, src: str, language: str, class_name: str, options: dict[str, Any],
                md: markdown.Markdown, **kwargs: Any) -> str:
        pre = self.pre
        key = (language, src if pre.guess_lang in (True, "block") else "")
        python = self.python.get(key)
        if python is None:
            highlighter = pre.highlighter(md, guess_lang=pre.guess_lang, stripnl=pre.stripnl,
                                          extend_pygments_lang=pre.extend_pygments_lang,
                                          default_lang=pre.default_lang)
            lexer, _ = highlighter.get_lexer(src, language, False, pre.stripnl)
            python = self.python[key] = is_python_lexer(lexer)
        start, end = pre.span
        self.recorded.append(_Rendered(start, end - 1, language or "", dict(options),
                                       dict(kwargs.get("attrs") or {}), src, python))
        return f'<code data-docscheck-fence="{len(self.recorded) - 1}"></code>'

    def render(self, lines: list[str]) -> dict[int, _Rendered]:
        """The fences the site renders from ``lines``, by the index of their opening line."""
        self.recorded = []
        self.md.reset()
        html = _COMMENT.sub("", self.md.convert("\n".join(lines)))
        shown = {int(n) for n in _MARK.findall(html)}
        return {r.start: r for i, r in enumerate(self.recorded) if i in shown}


def is_python_lexer(lexer: object) -> bool:
    """Whether a Pygments lexer highlights (some form of) Python."""
    names = {cls.__name__ for cls in type(lexer).__mro__}
    return bool(names & {"PythonLexer", "Python2Lexer", "PythonConsoleLexer",
                         "IPythonConsoleLexer"})


def _language(info: str) -> str:
    """The language word of an info string (first class in the brace form)."""
    info = info.strip()
    if info.startswith("{"):
        classes = re.findall(r"(?:^|\s)\.([\w#.+-]+)", info.strip("{} "))
        return classes[0] if classes else ""
    return info.split()[0].lstrip(".") if info.split() else ""


PYTHON_LIKE = re.compile(r"(?i)^(python\w*|py\w*|ipython\w*|pycon|sage|numpy)$")


def _why_not_rendered(candidate: _Candidate) -> str:
    info = candidate.info
    if not candidate.closed:
        return "the fence is never closed"
    if info.startswith("{") and not info.rstrip().endswith("}"):
        return "the brace after the fence marker is never closed"
    if candidate.in_indented_block:
        return ("it is indented like a code block (four spaces, with no admonition, tab or "
                "details block it belongs to), so the site shows the fence itself as text")
    if not info.startswith("{") and len(info.split()) > 1:
        words = " ".join(info.split()[1:])
        return (f"the site does not accept '{words}' after the language; options of the "
                f"checker go in braces, e.g. ```{{.{_language(info)} {words}}}")
    return "the site shows it as text (inside an HTML comment or a raw HTML block?)"


def find_fences(parser: MarkdownIt, site: SiteMarkdown, page: ExpandedPage) -> list[Fence]:
    """The fences of ``page`` that the site renders, in order.

    Raises PageError, naming every such line, if a block that looks like Python or output is not
    rendered as code by the site, or if the site renders a fence the parser did not find.
    """
    rendered = site.render(page.lines)
    candidates = _candidates(parser, page)
    starts = {c.start for c in candidates}
    # Blocks the site renders from a line the checker reads otherwise: the closing line of a
    # fence the site did not render, say, which the site then pairs with the next fence.
    unpaired = [r for start, r in sorted(rendered.items()) if start not in starts]
    fences: list[Fence] = []
    problems: list[tuple[int, str]] = []  # (line index, message), shown in the page's order
    for candidate in candidates:
        found = rendered.get(candidate.start)
        if found is None:
            lang = _language(candidate.info)
            if PYTHON_LIKE.match(lang) or lang.lower() == "output":
                inside = next((r for r in unpaired if r.start < candidate.start <= r.end), None)
                why = (f"the site shows this line inside a code block that begins at "
                       f"{page.origin(inside.start)}" if inside is not None
                       else _why_not_rendered(candidate))
                problems.append((candidate.start, f"{page.origin(candidate.start)}: this "
                                 f"```{candidate.info} block is not rendered as code by the site, "
                                 f"so it is not run: {why}"))
            continue
        fences.append(Fence(found.start, found.end, candidate.indent, candidate.marker,
                            candidate.info, found.lang, found.options, found.attrs,
                            found.source, found.python))
    closing = {c.end for c in candidates if c.closed}
    for block in unpaired:
        line = page.lines[block.start].lstrip(" >")
        marker = line[:len(line) - len(line.lstrip(line[:1]))] if line[:1] in "`~" else ""
        if block.start in closing:
            why = ("which the page means as the end of another: the site pairs the fences "
                   "differently (a fence above is not rendered as code, so its closing line "
                   "opens a block); fix the fence above")
        elif marker.startswith("`") and "`" in line[len(marker):]:
            why = ("but CommonMark, which the checker follows, reads no fence there: a backtick "
                   "fence's options may not hold a backtick; leave it out, or fence the block "
                   "with ~~~")
        else:
            why = "where the checker reads no fence: write it as a plain fence (```python)"
        problems.append((block.start,
                         f"{page.origin(block.start)}: the site begins a code block on this line, "
                         + why))
    if problems:
        raise PageError("\n".join(message for _, message in sorted(problems)))
    return fences
