"""What MkDocs and Material redo in every build, kept between builds in the build's cache.

Three things cost most of a warm rebuild that no page change calls for: compiling Material's
Jinja templates (a new environment per build compiles every template again), Pygments
colouring every code block of every page, and the search plugin reading each page's HTML again
with ``html.parser`` to cut it into the sections of the search index. Compiled templates go to
Jinja's own bytecode cache (keyed by each template's source). A code block's HTML depends only
on its text, its options and the highlighter's settings; a page's search entries only on what
the plugin reads from the page (its HTML, table of contents, address, title and metadata) and
on the plugin's settings: both are kept under a hash of those, with the versions of the
packages that make them, and used instead of doing the work again.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from . import cache

SEARCH_PLUGINS = ("material/search", "search")


def compiled_templates(env: jinja2.Environment, kept: cache.Cache) -> jinja2.Environment:
    """Keep the theme's compiled templates in the cache (a folder per version of Jinja and
    Material and per environment settings, as compiled code is not portable between them)."""
    # Compiled code also depends on the environment's settings.
    settings = repr((sorted(env.extensions), env.block_start_string, env.variable_start_string,
                     env.comment_start_string, env.line_statement_prefix, env.autoescape,
                     env.trim_blocks, env.lstrip_blocks, env.newline_sequence))
    tag = cache.key(versions=("jinja2", "mkdocs-material"), settings=settings)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(kept.folder("templates", tag)))
    return env


class Highlights:
    """The HTML Pygments makes of each code block (through pymdownx.highlight), kept between
    builds. ``install`` puts the cache in front of the highlighter, ``uninstall`` removes it."""

    _original: Any = None

    def __init__(self, kept: cache.Kept):
        self.kept = kept

    def install(self) -> None:
        from pymdownx.highlight import Highlight

        self.uninstall()  # a build that ended without closing leaves its cache behind
        original = Highlights._original = Highlight.highlight
        kept = self.kept

        def highlight(highlighter: Any, src: str, language: str, *args: Any,
                      **kwargs: Any) -> Any:
            settings = {k: v for k, v in vars(highlighter).items() if k != "md"}
            # Inline code becomes an element, not text; a title in HTML mode (which automatic
            # titles may choose per block) is stashed in the Markdown instance: these are left
            # to the highlighter itself.
            if (kwargs.get("inline") or settings.get("title_mode") == "html"
                    or settings.get("auto_title")):
                return original(highlighter, src, language, *args, **kwargs)
            key = cache.key(src, language, args, kwargs, settings=settings,
                            versions=("pygments", "pymdown-extensions"))
            code = kept.get(key)
            if code is None:
                code = original(highlighter, src, language, *args, **kwargs)
                kept.put(key, code)
            return code

        Highlight.highlight = highlight

    def uninstall(self) -> None:
        from pymdownx.highlight import Highlight

        if Highlights._original is not None:
            Highlight.highlight = Highlights._original
            Highlights._original = None


def _toc(items: Any) -> list[Any]:
    return [[item.id, item.url, item.title, _toc(item.children)] for item in items]


class SearchEntries:
    """The search entries of each page, kept between builds. ``install`` wraps the search
    index of this build's search plugin, which then reads each page's HTML as ``prepare``
    gives it (the build leaves the formulas out)."""

    def __init__(self, kept: cache.Kept):
        self.kept = kept

    def install(self, plugins: Any, prepare: Callable[[str], str],
                made_by: Iterable[ModuleType]) -> None:
        """``made_by``: the modules whose code ``prepare`` runs (their text is part of each
        page's key: the HTML is prepared only for a page whose entries are not kept)."""
        plugin = next((plugins[name] for name in SEARCH_PLUGINS if name in plugins), None)
        if plugin is None or not plugin.config.enabled:
            return
        index = getattr(plugin, "search_index", None)
        if index is None or not hasattr(index, "add_entry_from_context"):
            raise PluginError("the search plugin no longer has the index this build expects "
                              "(sitebuild/memo.py, SearchEntries)")
        segments_chinese = importlib.util.find_spec("jieba") is not None
        code = [Path(str(module.__file__)).read_text(encoding="utf-8") for module in made_by]
        settings = [index.config, segments_chinese, code]
        add = index.add_entry_from_context
        kept = self.kept

        def add_entry_from_context(page: Page) -> None:
            key = cache.key(page.url, page.title, page.meta, _toc(page.toc), page.content,
                            versions=("mkdocs-material",), settings=settings)
            entries = kept.get(key)
            if entries is None:
                before = len(index.entries)
                content = page.content
                page.content = prepare(content or "")
                try:
                    add(page)
                finally:
                    page.content = content
                entries = index.entries[before:]
                kept.put(key, json.loads(json.dumps(entries)))  # a copy, as written to the file
            else:
                index.entries.extend(entries)

        index.add_entry_from_context = add_entry_from_context
