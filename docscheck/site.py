"""The engine's facade: a site's pages and their examples, read exactly once, one way.

The doc-test, the notebook hook, the standalone-snippet test and the benchmark all read pages
through ``Site``::

    site = Site.load(Path("mkdocs.yml"))
    for path in site.page_paths():
        page = site.read(path)          # PageError names the file and line of a problem
        for example in page.examples:
            ...

and run them through ``Runner`` (docscheck.runner) and ``judge`` (docscheck.verdict).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import pickle
import re
from importlib import metadata
from pathlib import Path
from typing import Protocol

from markdown_it import MarkdownIt

from .config import MARKDOWN_SUFFIXES, SiteConfig
from .expand import ExpandedPage, Expander, Origin, read_text
from .fences import SiteMarkdown, find_fences
from .page import Example, Page, build_page


@functools.cache
def _engine_key() -> str:
    sources = sorted(Path(__file__).parent.glob("*.py"))
    versions = [f"{name}=={metadata.version(name)}" for name in
                ("Markdown", "pymdown-extensions", "Pygments", "markdown-it-py")]
    return "\0".join([*versions, *(p.read_text(encoding="utf-8") for p in sources)])


class PageCache(Protocol):
    """Where a ``Site`` keeps the pages it read, by a key of everything that decides them (the
    site build's cache is one: ``sitebuild.cache.Blobs``)."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, data: bytes) -> None: ...


class Site:
    """The pages of one MkDocs site (the folder of its ``mkdocs.yml`` is the root)."""

    def __init__(self, config: SiteConfig, parser: MarkdownIt | None = None,
                 cache: PageCache | None = None):
        self.config = config
        # Where read pages are kept, keyed by everything that decides them (see _key); the site
        # build uses it so that a rebuild reads only the pages that changed.
        self.cache = cache
        self.root = config.root
        # The parser pytest-markdown-docs provides by default (its hook may supply another).
        self.parser = parser or MarkdownIt("commonmark")
        self.expander = Expander(config)
        self._markdown: SiteMarkdown | None = None

    @classmethod
    def load(cls, mkdocs_yml: Path, parser: MarkdownIt | None = None,
             cache: PageCache | None = None) -> Site:
        return cls(SiteConfig.load(mkdocs_yml), parser, cache)

    def page_paths(self) -> list[Path]:
        """Every Markdown page MkDocs builds from ``docs_dir``, in a stable order."""
        docs = self.config.docs_dir
        return sorted(p for p in docs.rglob("*") if p.is_file() and self.is_page(p))

    def is_page(self, path: Path) -> bool:
        """Whether MkDocs builds ``path`` as a page: a Markdown suffix it knows, under
        ``docs_dir``, not excluded by its default rules or by ``exclude_docs``."""
        path = path.resolve()
        docs = self.config.docs_dir
        if path.suffix.lower() not in MARKDOWN_SUFFIXES or docs not in path.parents:
            return False
        return not self.config.excluded(path.relative_to(docs).as_posix())

    def read(self, path: Path) -> Page:
        """The page at ``path`` with its examples; raises PageError if it cannot be checked."""
        if self._markdown is None:
            self._markdown = SiteMarkdown(self.config)
        expanded = self.expander.expand(path)
        if self.cache is None:
            return build_page(expanded, find_fences(self.parser, self._markdown, expanded))
        key = self._key(expanded)
        kept = self.cache.get(key)
        if kept is not None:
            page: Page = pickle.loads(kept)
            return page
        page = build_page(expanded, find_fences(self.parser, self._markdown, expanded))
        self.cache.put(key, pickle.dumps(page))
        return page

    def _key(self, expanded: ExpandedPage) -> str:
        """What decides a read page: its text after includes with every line's origin, the
        site's Markdown settings (function addresses left out), the engine's own code and the
        versions of what renders and parses the page."""
        material = [repr(expanded), _engine_key(),
                    re.sub(r" at 0x[0-9a-f]+", "", repr(self.config.raw.get("markdown_extensions")))]
        return hashlib.sha256("\0".join(material).encode()).hexdigest()

    def file_example(self, path: Path, like: Example | None = None) -> Example:
        """The whole of the file at ``path`` as one example, as ``python <path>`` runs it.

        With ``like``, the example keeps that example's page, options and output block (to check
        that a snippet shown whole on a page prints on its own what the page shows).
        """
        rel = self.config.relative(path)
        code = read_text(path, rel)
        lines = code.rstrip("\n").split("\n")
        origins = tuple(Origin(rel, n) for n in range(1, len(lines) + 1))
        if like is not None:
            return dataclasses.replace(like, code=code, code_origins=origins, continues=False)
        return Example(page=rel, index=0, code=code, code_origins=origins, fence=Origin(rel, 1),
                       start=0, end=len(lines), closing=Origin(rel, len(lines)), indent="")
