"""Finding the formulas of a page: in pages made from Markdown, and in notebook pages.

Both read the page with an HTML parser (``markup``): an element ends at its own end tag, however
many elements of the same name it holds, and TeX is looked for in text only, never in a tag,
an attribute, code or a script.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Collection, Sequence

from . import markup

_DELIMITERS = {"span": (r"\(", r"\)"), "div": (r"\[", r"\]")}
# Elements whose text is never math: code, and what a browser does not show as text.
_NOT_MATH = frozenset({"code", "pre", "kbd", "samp", "script", "style", "textarea"})
# Code blocks are read as text, not as the element of every word Pygments makes (markup).
_CODE = frozenset({"pre", "code"})
# TeX's delimiters, looked for in one run of text (no tag between the two dollars).
_DOLLARS = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$([^$]+?)\$", re.S)
ARITHMATEX = "arithmatex"  # the class pymdownx.arithmatex gives a formula's element
NOTEBOOK_CELL = "jp-RenderedMarkdown"  # the class of a Markdown cell in a notebook page
_MARKED = {(tag, ARITHMATEX) for tag in _DELIMITERS}  # a formula as arithmatex marks it
# The element a formula is on a page made from Markdown: arithmatex's, or KaTeX's HTML (a
# display formula's block around its katex-display, an inline formula's span).
_FORMULAS = _MARKED | {("div", "katex-block"), ("span", "katex")}
# Elements that never hold the start of a formula: code, and KaTeX's MathML and drawings
# (each read as one piece of text, which makes reading a page of typeset formulas faster).
_NOT_FORMULAS = _CODE | {"math", "svg"}
SEARCH_EXCLUDE = "data-search-exclude"  # Material's search leaves such an element out


@dataclasses.dataclass(frozen=True)
class Formula:
    """A formula found in a page's HTML."""

    start: int  # where its markup starts and ends in the page
    end: int
    tex: str
    display: bool
    block: bool  # its KaTeX HTML needs a block wrapper (it replaces a <div>)


def _outermost(found: Sequence[markup.Token],
               kinds: Collection[tuple[str, str]]) -> list[tuple[markup.Token, int, int]]:
    """The elements of the kinds (tag, class), none inside another (see ``markup.elements``)."""
    wanted = {i for i, t in enumerate(found)
              if t.kind == "start" and any((t.tag, c) in kinds for c in t.classes)}
    outermost, reached = [], -1
    for opening, first, end in markup.elements(found, wanted):
        if first > reached:
            outermost.append((opening, first, end))
            reached = end
    return outermost


def arithmatex_formulas(page_html: str) -> list[Formula]:
    """The formulas pymdownx.arithmatex marked in a page rendered from Markdown: the text of
    each ``<span class="arithmatex">`` (inline) and ``<div class="arithmatex">`` (display)."""
    if ARITHMATEX not in page_html:
        return []
    found = markup.tokens(page_html, _CODE)
    formulas = []
    for opening, first, end in _outermost(found, _MARKED):
        if end == len(found):  # never closed: no formula a browser would show whole
            continue
        body = html.unescape(page_html[found[first - 1].end:found[end].start]).strip()
        left, right = _DELIMITERS[opening.tag]
        if body.startswith(left) and body.endswith(right):
            body = body[len(left):-len(right)]
        display = opening.tag == "div"
        formulas.append(Formula(opening.start, found[end].end, body.strip(), display, display))
    return formulas


def notebook_formulas(page_html: str) -> list[Formula]:
    """The ``$...$`` and ``$$...$$`` formulas of the Markdown cells of a notebook page: in the
    text of each cell (its ``<div class="jp-RenderedMarkdown ...">`` up to its own end tag), not
    in its code."""
    if NOTEBOOK_CELL not in page_html:
        return []
    found = markup.tokens(page_html, _CODE)
    formulas = []
    for _, first, end in _outermost(found, {("div", NOTEBOOK_CELL)}):
        prose: list[markup.Token] = []
        inside_code = 0
        for token in found[first:end]:
            if token.tag in _NOT_MATH:
                if token.kind == "start":
                    inside_code += 1
                elif token.kind == "end" and inside_code:
                    inside_code -= 1
            elif token.kind == "text" and not inside_code:
                prose.append(token)
        for start, stop in markup.texts(prose):
            for match in _DOLLARS.finditer(page_html, start, stop):
                display = match.group(1) is not None
                tex = html.unescape(match.group(1) if display else match.group(2)).strip()
                formulas.append(Formula(match.start(), match.end(), tex, display, False))
    return formulas


def exclude_from_search(page_html: str) -> str:
    """The page as the search index is to read it: neither LaTeX nor KaTeX's HTML and MathML
    is text to search for. Each formula (its outermost element) becomes an empty element of its
    tag that Material's search leaves out (``data-search-exclude``): it leaves out an element
    only up to the first end tag of its name, which in KaTeX's HTML ends a span inside it."""
    if ARITHMATEX not in page_html and "katex" not in page_html:
        return page_html
    found = markup.tokens(page_html, _NOT_FORMULAS)
    edits = []
    for opening, _, end in _outermost(found, _FORMULAS):
        stop = found[end].end if end < len(found) else len(page_html)
        edits.append((opening.start, stop, f"<{opening.tag} {SEARCH_EXCLUDE}></{opening.tag}>"))
    return markup.edit(page_html, edits)
