"""Finding the formulas of a page: in pages made from Markdown, and in notebook pages."""

from __future__ import annotations

import dataclasses
import html
import re
from html.parser import HTMLParser

_ARITHMATEX = re.compile(r'<(span|div) class="arithmatex"(?: data-search-exclude)?>(.*?)</\1>', re.S)
_DELIMITERS = {"span": (r"\(", r"\)"), "div": (r"\[", r"\]")}
_CODE = re.compile(r"<(code|pre)\b.*?</\1>", re.S)
_DOLLARS = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$([^$]+?)\$", re.S)


@dataclasses.dataclass(frozen=True)
class Formula:
    """A formula found in a page's HTML."""

    start: int  # where its markup starts and ends in the page
    end: int
    tex: str
    display: bool
    block: bool  # its KaTeX HTML needs a block wrapper (it replaces a <div>)


def arithmatex_formulas(page_html: str) -> list[Formula]:
    """The formulas pymdownx.arithmatex marked in a page rendered from Markdown."""
    found = []
    for match in _ARITHMATEX.finditer(page_html):
        tag, body = match.group(1), html.unescape(match.group(2)).strip()
        opening, closing = _DELIMITERS[tag]
        if body.startswith(opening) and body.endswith(closing):
            body = body[len(opening):-len(closing)]
        found.append(Formula(match.start(), match.end(), body.strip(), tag == "div", tag == "div"))
    return found


class _MarkdownCells(HTMLParser):
    """Where the content of each Markdown cell of a notebook page starts and ends: the
    ``<div class="jp-RenderedMarkdown ...">`` of mkdocs-jupyter, up to its own ``</div>`` (a
    cell holds other ``<div>``s: code blocks, admonitions, details)."""

    def __init__(self, page_html: str) -> None:
        super().__init__(convert_charrefs=False)
        # HTMLParser counts lines by "\n" alone (not by a "\r" an output printed, say).
        self.line_starts = [0]
        for line in page_html.split("\n"):
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)
        self.cells: list[tuple[int, int]] = []
        self._start: int | None = None
        self._depth = 0  # <div>s opened inside the current cell
        self.feed(page_html)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "div":
            return
        if self._start is not None:
            self._depth += 1
        elif "jp-RenderedMarkdown" in (dict(attrs).get("class") or "").split():
            self._start = self._offset() + len(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag != "div" or self._start is None:
            return
        if self._depth:
            self._depth -= 1
            return
        self.cells.append((self._start, self._offset()))
        self._start = None


def notebook_formulas(page_html: str) -> list[Formula]:
    """The ``$...$`` and ``$$...$$`` formulas of the Markdown cells of a notebook page."""
    found = []
    for start, end in _MarkdownCells(page_html).cells:
        text, offset = page_html[start:end], start
        code = [m.span() for m in _CODE.finditer(text)]
        for match in _DOLLARS.finditer(text):
            if any(a <= match.start() < b for a, b in code):
                continue
            display = match.group(1) is not None
            tex = html.unescape(match.group(1) if display else match.group(2)).strip()
            found.append(Formula(offset + match.start(), offset + match.end(), tex, display, False))
    return found


def exclude_from_search(page_html: str) -> str:
    """Mark formulas so that the search index leaves them out: LaTeX is no text to search for."""
    return re.sub(r'<(span|div) class="arithmatex">', r'<\1 class="arithmatex" data-search-exclude>',
                  page_html)
