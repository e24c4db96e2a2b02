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

import hashlib
import importlib.util
import json
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from . import store

SEARCH_PLUGINS = ("material/search", "search")


def compiled_templates(env: jinja2.Environment, folder: Path) -> jinja2.Environment:
    """Keep the theme's compiled templates in ``folder`` (one subfolder per Jinja and Material
    version and environment settings, as compiled code is not portable between them)."""
    versions = f"jinja2-{metadata.version('jinja2')}-material-{metadata.version('mkdocs-material')}"
    # Compiled code also depends on the environment's settings.
    settings = repr((sorted(env.extensions), env.block_start_string, env.variable_start_string,
                     env.comment_start_string, env.line_statement_prefix, env.autoescape,
                     env.trim_blocks, env.lstrip_blocks, env.newline_sequence))
    where = folder / f"{versions}-{hashlib.sha256(settings.encode()).hexdigest()[:12]}"
    where.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(where))
    return env


class _Kept:
    """Values kept in one JSON file by a hash of what made them; ``save`` writes back the ones
    this build used (and only those)."""

    def __init__(self, file: Path):
        self.file = file
        self.kept: dict[str, Any] = {}
        if file.is_file():
            try:
                self.kept = json.loads(file.read_text(encoding="utf-8"))
            except ValueError:
                self.kept = {}  # a cache cut short (an interrupted build) is only a cache
        self.used: dict[str, Any] = {}

    @staticmethod
    def key(*made_of: object) -> str:
        text = json.dumps(made_of, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def save(self) -> None:
        if self.used != self.kept:
            store.write_text(self.file, json.dumps(self.used))


class Highlights(_Kept):
    """The HTML Pygments makes of each code block (through pymdownx.highlight), kept between
    builds. ``install`` puts the cache in front of the highlighter, ``uninstall`` removes it."""

    _original: Any = None

    def install(self) -> None:
        from pymdownx.highlight import Highlight

        self.uninstall()  # a build that ended without closing leaves its cache behind
        original = Highlights._original = Highlight.highlight
        versions = [metadata.version(name) for name in ("pygments", "pymdown-extensions")]

        def highlight(highlighter: Any, src: str, language: str, *args: Any,
                      **kwargs: Any) -> Any:
            settings = {k: v for k, v in vars(highlighter).items() if k != "md"}
            # Inline code becomes an element, not text; a title in HTML mode (which automatic
            # titles may choose per block) is stashed in the Markdown instance: these are left
            # to the highlighter itself.
            if (kwargs.get("inline") or settings.get("title_mode") == "html"
                    or settings.get("auto_title")):
                return original(highlighter, src, language, *args, **kwargs)
            key = self.key(versions, settings, src, language, args, kwargs)
            code = self.kept.get(key)
            if code is None:
                code = original(highlighter, src, language, *args, **kwargs)
            self.used[key] = code
            return code

        Highlight.highlight = highlight

    def uninstall(self) -> None:
        from pymdownx.highlight import Highlight

        if Highlights._original is not None:
            Highlight.highlight = Highlights._original
            Highlights._original = None


def _toc(items: Any) -> list[Any]:
    return [[item.id, item.url, item.title, _toc(item.children)] for item in items]


class SearchEntries(_Kept):
    """The search entries of each page, kept between builds. ``install`` wraps the search
    index of this build's search plugin."""

    settings = ""

    def install(self, plugins: Any) -> None:
        plugin = next((plugins[name] for name in SEARCH_PLUGINS if name in plugins), None)
        if plugin is None or not plugin.config.enabled:
            return
        index = getattr(plugin, "search_index", None)
        if index is None or not hasattr(index, "add_entry_from_context"):
            raise PluginError("the search plugin no longer has the index this build expects "
                              "(sitebuild/memo.py, SearchEntries)")
        segments_chinese = importlib.util.find_spec("jieba") is not None
        self.settings = self.key(metadata.version("mkdocs-material"), index.config,
                                 segments_chinese)
        add = index.add_entry_from_context

        def add_entry_from_context(page: Page) -> None:
            key = self.key(self.settings, page.url, page.title, page.meta, _toc(page.toc),
                           page.content)
            entries = self.kept.get(key)
            if entries is None:
                before = len(index.entries)
                add(page)
                entries = index.entries[before:]
            else:
                index.entries.extend(entries)
            self.used[key] = json.loads(json.dumps(entries))  # a copy, as written to the file

        index.add_entry_from_context = add_entry_from_context
