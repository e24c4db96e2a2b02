"""Finding the formulas of a page: in pages made from Markdown, and in notebook pages."""

from __future__ import annotations

import dataclasses
import html
import re

_ARITHMATEX = re.compile(r'<(span|div) class="arithmatex"(?: data-search-exclude)?>(.*?)</\1>', re.S)
_DELIMITERS = {"span": (r"\(", r"\)"), "div": (r"\[", r"\]")}
_MARKDOWN_CELL = re.compile(r'<div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>(.*?)</div>', re.S)
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


def notebook_formulas(page_html: str) -> list[Formula]:
    """The ``$...$`` and ``$$...$$`` formulas of the Markdown cells of a notebook page."""
    found = []
    for cell in _MARKDOWN_CELL.finditer(page_html):
        text, offset = cell.group(1), cell.start(1)
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
