"""The hooks MkDocs calls (``hooks:`` in mkdocs.yml): each hands its event to the build.

A build is created at ``on_config`` (once per build, also for each rebuild of ``mkdocs serve``)
and closed at the end, whether the build succeeded or failed. Under ``mkdocs serve``, what lasts
from build to build (live outputs, build errors shown in the browser) is in ``sitebuild.live``.
"""

from __future__ import annotations

from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from sitebuild import live
from sitebuild.build import Build

_build: Build | None = None


def _current() -> Build:
    assert _build is not None, "on_config has not run"
    return _build


def on_startup(command: str, dirty: bool) -> None:
    live.start(command)


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    live.BuildErrors(server)
    live.rebuild_with(server)
    return server


def on_shutdown() -> None:
    live.stop()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    if _build is not None:
        _build.close()
    _build = Build(config)
    return _build.config(config)


@event_priority(100)  # before mkdocs-jupyter's on_files, which turns .ipynb files into pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    return _current().files(files, config)


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    return _current().env(env)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _current().page_markdown(markdown, page)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _current().page_content(html, page)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _current().post_page(output, page)


def on_post_build(config: MkDocsConfig) -> None:
    try:
        _current().post_build(config)
    finally:
        _close()


def on_build_error(error: Any) -> None:
    _close()


def _close() -> None:
    global _build
    if _build is not None:
        _build.close()
        _build = None
