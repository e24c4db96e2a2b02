"""The build's edits to the HTML of pages, each made where a tag stands.

A page is read with Python's HTML parser (``markup``), each edit is made at the offsets of the
tags it concerns, and every other byte stays as MkDocs and mkdocs-jupyter wrote it: text that
looks like a tag but is not one (in a code block, an attribute, a script) is never touched.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from . import markup

# Code blocks are read as text, not as the element of every word Pygments makes (markup).
_PRE = frozenset({"pre"})
# The same, and KaTeX's MathML and drawings, where a table cell's code never is.
_PRE_AND_MATH = _PRE | {"math", "svg"}
# What nbconvert puts in a notebook page for MathJax and Mermaid, both loaded from a CDN: a
# script with an empty src, MathJax's configuration, and Mermaid's module (the site typesets
# math at build time and its notebooks have no diagrams).
_MATHJAX_CONFIG = (("type", "text/x-mathjax-config"),)
_MODULE = (("type", "module"),)
_EMPTY_SOURCE = (("src", ""),)
_MERMAID = "jp-Mermaid"


def break_after_dots(page_html: str) -> str:
    """In table cells, let code like torch.autograd.functional.jacobian break only after its
    dots (the stylesheet forbids breaks elsewhere), never in the middle of a name: a ``<wbr>``
    after each dot of the text of each ``<code>`` (without attributes) inside a ``<td>``."""
    if "<td" not in page_html or "<code>" not in page_html:  # then no such code (faster)
        return page_html
    found = markup.tokens(page_html, _PRE_AND_MATH)
    edits: list[markup.Edit] = []
    cells = code = 0
    for token in found:
        if token.tag == "td":
            cells = cells + 1 if token.kind == "start" else max(cells - 1, 0)
        elif token.tag == "code":
            if token.kind == "start" and cells and not token.attrs:
                code += 1
            elif token.kind == "end" and code:
                code -= 1
        elif token.kind == "text" and code:
            text = page_html[token.start:token.end]
            if "." in text:
                edits.append((token.start, token.end, text.replace(".", ".<wbr>")))
    return markup.edit(page_html, edits)


def _contents(page_html: str, found: Sequence[markup.Token],
              tag: str) -> Iterator[tuple[markup.Span, str]]:
    """Each element ``tag`` of the page, with what it holds."""
    wanted = {i for i, t in enumerate(found) if t.kind == "start" and t.tag == tag}
    for span in markup.spans(found, wanted):
        yield span, page_html[span.inner_start:span.inner_end]


def _cdn_scripts(page_html: str, found: Sequence[markup.Token]) -> Iterator[markup.Edit]:
    """The scripts nbconvert loads from a CDN, each removed whole."""
    for span, content in _contents(page_html, found, "script"):
        attrs = span.opening.attrs
        if ((attrs == _EMPTY_SOURCE and not content.strip()) or attrs == _MATHJAX_CONFIG
                or (attrs == _MODULE and _MERMAID in content)):
            yield span.start, span.end, ""


def _focusable_code(page_html: str, found: Sequence[markup.Token]) -> Iterator[markup.Edit]:
    """Code cells scroll sideways when a line is long: keyboard users need to be able to focus
    them. Each code cell (``<div class="highlight-ipynb ...">``) and each code block of a
    Markdown cell (the ``<pre>`` that opens a ``<div class="highlight">``) gets
    ``tabindex="0"``."""
    for index, token in enumerate(found):
        if token.kind != "start" or token.has("tabindex"):
            continue
        before = found[index - 1] if index else None
        if ((token.tag == "div" and "highlight-ipynb" in token.classes)
                or (token.tag == "pre" and before is not None and before.kind == "start"
                    and before.tag == "div" and "highlight" in before.classes
                    and before.end == token.start)):
            yield markup.add_attribute(page_html, token, 'tabindex="0"')


def _inline_stylesheet(page_html: str, found: Sequence[markup.Token],
                       css: str) -> tuple[int, int] | None:
    """Where the ``<style>`` element whose text is ``css`` (after a line break) stands."""
    return next(((span.start, span.end) for span, content in _contents(page_html, found, "style")
                 if content == f"\n{css}"), None)


def notebook_page(page_html: str, css: str, link: str, under_title: str) -> str:
    """mkdocs-jupyter's HTML of a notebook page as the site shows it: without the scripts
    nbconvert loads from a CDN, with its code focusable, with ``link`` in place of the copy of
    the stylesheet ``css`` written into the page (a ValueError if it is not there), and
    ``under_title`` after the end of the first ``<h1>`` (at the start if there is none)."""
    found = markup.tokens(page_html, _PRE)
    stylesheet = _inline_stylesheet(page_html, found, css)
    if stylesheet is None:
        raise ValueError("mkdocs-jupyter no longer writes its stylesheet into the page as "
                         "this build expects")
    title = next((t.end for t in found if t.kind == "end" and t.tag == "h1"), 0)
    edits = [*_cdn_scripts(page_html, found), *_focusable_code(page_html, found),
             (*stylesheet, link), (title, title, under_title)]
    return markup.edit(page_html, edits)
