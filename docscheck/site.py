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
from pathlib import Path

from markdown_it import MarkdownIt

from .config import MARKDOWN_SUFFIXES, SiteConfig
from .expand import Expander, Origin, read_text
from .fences import SiteMarkdown, find_fences
from .page import Example, Page, build_page


class Site:
    """The pages of one MkDocs site (the folder of its ``mkdocs.yml`` is the root)."""

    def __init__(self, config: SiteConfig, parser: MarkdownIt | None = None):
        self.config = config
        self.root = config.root
        # The parser pytest-markdown-docs provides by default (its hook may supply another).
        self.parser = parser or MarkdownIt("commonmark")
        self.expander = Expander(config)
        self._markdown: SiteMarkdown | None = None

    @classmethod
    def load(cls, mkdocs_yml: Path, parser: MarkdownIt | None = None) -> Site:
        return cls(SiteConfig.load(mkdocs_yml), parser)

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
        return build_page(expanded, find_fences(self.parser, self._markdown, expanded))

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
