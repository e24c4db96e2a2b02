"""KaTeX as a Python-Markdown extension: each formula pymdownx.arithmatex marks, typeset as
Python-Markdown finishes the page.

Listed under ``markdown_extensions`` in mkdocs.yml (``sitebuild.katex_markdown``, with
pymdownx.arithmatex and its ``generic: true``), it runs wherever Python-Markdown does: MkDocs,
ProperDocs, Zensical. Its postprocessor runs last, on the finished HTML of the page: it finds
each arithmatex element there (``formulas.arithmatex_formulas``: never in code, an attribute or
a script) and replaces it with KaTeX's HTML and MathML (``katex.Typesetter``), every other byte
as Python-Markdown wrote it.

Under MkDocs and ProperDocs the site build (``build.py``) shares its typesetter with the
extension while it runs (``share``): one typesetter, with the build's cache, for the pages made
from Markdown and for the notebook pages, so that the fonts cut at the end of the build keep
every character the math draws. The build names the page being rendered, and a formula KaTeX
cannot render stops the build with a ``PluginError`` naming page and formula; with the build's
math off, formulas are left as TeX. Without a build (Zensical, or Python-Markdown on its own),
the extension typesets with a typesetter of its own: KaTeX from ``katex_dir``
(``node_modules/katex`` of the working folder unless configured), formulas kept in memory, its
Node process ended when Python exits; each formula's outermost element is marked
``data-search-exclude``, which Zensical's search index honours (the build leaves formulas out of
Material's index its own way, ``formulas.exclude_from_search``, and its pages stay as KaTeX
wrote them); a formula KaTeX cannot render raises a ``KatexError`` naming the formula, and the
page when Zensical says which it is.

This module imports neither MkDocs nor torch, which Zensical's environment does not have.
"""

from __future__ import annotations

import atexit
import dataclasses
import threading
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

from . import cache, formulas
from .katex import KatexError, Typesetter

NAME = "sitebuild.katex_markdown"  # as mkdocs.yml lists it
DEFAULT_KATEX = "node_modules/katex"
# Zensical's preprocessor that holds the page being rendered (zensical.extensions.context).
_ZENSICAL_CONTEXT = "rendering_context"


@dataclasses.dataclass
class Sharing:
    """What a build shares with the extension while it runs."""

    typesetter: Typesetter | None  # None: the build leaves formulas as TeX
    error: type[Exception]  # what a formula KaTeX cannot render raises, with the message
    page: str = ""  # the page being rendered, as messages name it (docs/vjp.md)


class _State:
    shared: Sharing | None = None
    own: dict[Path, Typesetter] = {}  # the extension's own typesetters, by KaTeX folder
    lock = threading.Lock()  # one formula at a time through an own typesetter's process


def share(sharing: Sharing) -> None:
    """Typeset with the build's ``sharing`` until ``unshare``."""
    _State.shared = sharing


def unshare(sharing: Sharing) -> None:
    if _State.shared is sharing:
        _State.shared = None


def _own_typesetter(katex_dir: Path) -> Typesetter:
    katex_dir = katex_dir.resolve()
    typesetter = _State.own.get(katex_dir)
    if typesetter is None:
        if not (katex_dir / "package.json").is_file():
            raise KatexError(f"KaTeX is not installed in {katex_dir}: run `npm ci`")
        typesetter = _State.own[katex_dir] = Typesetter(katex_dir, cache.Kept(None))
        atexit.register(typesetter.close)
    return typesetter


def _page_of(md: Markdown) -> str:
    """The page ``md`` renders, where Zensical says which it is."""
    context: Any = md.preprocessors[_ZENSICAL_CONTEXT] if (
        _ZENSICAL_CONTEXT in md.preprocessors) else None
    path = getattr(getattr(context, "page", None), "path", None)
    return str(path) if path else "a page"


class KatexPostprocessor(Postprocessor):
    """Replaces each arithmatex element of the finished page with KaTeX's HTML."""

    def __init__(self, md: Markdown, katex_dir: str):
        super().__init__(md)
        self.katex_dir = Path(katex_dir)

    def run(self, text: str) -> str:
        if formulas.ARITHMATEX not in text:
            return text
        sharing = _State.shared
        if sharing is None:
            with _State.lock:
                typesetter = _own_typesetter(self.katex_dir)
                return typesetter.typeset(text, formulas.arithmatex_formulas(text),
                                          _page_of(self.md), formulas.SEARCH_EXCLUDE)
        if sharing.typesetter is None:
            return text
        try:
            return sharing.typesetter.typeset(text, formulas.arithmatex_formulas(text),
                                              sharing.page)
        except KatexError as e:
            raise sharing.error(str(e)) from None


class KatexExtension(Extension):
    """``sitebuild.katex_markdown``: formulas typeset with KaTeX."""

    # The doc-test engine reads pages for their code blocks, which typesetting never changes:
    # it leaves this extension out (docscheck.fences).
    docscheck_skip = True

    def __init__(self, **kwargs: Any):
        self.config = {
            "katex_dir": [DEFAULT_KATEX, "the folder of the npm package katex (relative to the "
                                         "working folder), when no site build shares its own"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # Priority 0: after every postprocessor of Python-Markdown and its extensions (raw HTML
        # put back at 30, footnotes at 25, ampersands at 20), on the page as it is finished.
        md.postprocessors.register(KatexPostprocessor(md, self.getConfig("katex_dir")), "katex", 0)


def makeExtension(**kwargs: Any) -> KatexExtension:
    return KatexExtension(**kwargs)
