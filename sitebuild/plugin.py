"""The MkDocs plugin of the site build (``plugins: - sitebuild`` in mkdocs.yml).

Its settings are a typed schema that MkDocs validates when it reads mkdocs.yml: a wrong value
(``cache: flase``) or a name the schema does not have stops the build with an error naming it.
Each event handler does one job, on the state of the current build (``Build``, made at
``on_config`` and closed when the build ends, whether it succeeded or failed). Under
``mkdocs serve`` the plugin object lasts from build to build (it has ``on_startup``), and so
does what it keeps for the server (``live.Serving``: live outputs, build errors in the browser).
"""

from __future__ import annotations

import re
from typing import Any, Literal

import jinja2
from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ConfigErrors, ConfigWarnings, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from . import live
from .build import Build

_REPOSITORY = re.compile(r"[\w.-]+/[\w.-]+")


class _Repository(c.Type[str]):
    """A GitHub repository as owner/name."""

    def __init__(self) -> None:
        super().__init__(str, default="")

    def run_validation(self, value: object) -> str:
        if value is None:  # an empty environment variable reads as null
            return ""
        text = super().run_validation(value)
        if text and not _REPOSITORY.fullmatch(text):
            raise ValidationError(f"a GitHub repository as owner/name is needed, not {text!r}")
        return text


class SitebuildConfig(Config):
    """The settings of the site build, under ``plugins: - sitebuild:`` in mkdocs.yml."""

    # The formulas typeset with KaTeX (false: left as TeX, for the benchmark's comparison).
    math = c.Type(bool, default=True)
    # The figures drawn by the examples that ask for one (false: none, for the benchmark).
    figures = c.Type(bool, default=True)
    # Keep what the build makes in cache_dir between builds (false: the build fills an empty
    # cache of its own and throws it away, so that it renders and executes everything).
    cache = c.Type(bool, default=True)
    # The cache's folder, relative to the folder of mkdocs.yml.
    cache_dir = c.Type(str, default=".cache")
    # owner/name of the GitHub repository whose colab_branch holds the page notebooks: it turns
    # the "Open in Colab" buttons on.
    colab_repository = _Repository()
    colab_branch = c.Type(str, default="notebooks")


class SitebuildPlugin(BasePlugin[SitebuildConfig]):
    """KaTeX at build time, notebooks to download, figures, executed exercises: each event
    handed to the current ``Build``."""

    def __init__(self) -> None:
        self.build: Build | None = None
        self.serving: live.Serving | None = None  # under `mkdocs serve` only

    def load_config(self, options: dict[str, Any],
                    config_file_path: str | None = None) -> tuple[ConfigErrors, ConfigWarnings]:
        """MkDocs only warns about a setting the schema does not know; here it is an error, as
        a misspelt switch would otherwise be ignored."""
        errors, warnings = super().load_config(options, config_file_path)
        return [*errors, *((name, ValidationError(text)) for name, text in warnings)], []

    def _current(self) -> Build:
        assert self.build is not None, "on_config has not run"
        return self.build

    def _close(self) -> None:
        if self.build is not None:
            self.build.close()
            self.build = None

    # -- the command: once per `mkdocs build`, or once for every build of `mkdocs serve` -------

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        if command == "serve" and self.serving is None:
            self.serving = live.Serving()

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.serving is not None:
            self.serving.attach(server)
        return server

    def on_shutdown(self) -> None:
        self._close()
        if self.serving is not None:
            self.serving.stop()
            self.serving = None

    # -- one build ------------------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._close()  # a build of `mkdocs serve` that never reached its end
        self.build = Build(config, self.config, self.serving)
        return self.build.configure(config)

    @event_priority(100)  # before mkdocs-jupyter's on_files, which turns .ipynb files into pages
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        return self._current().add_files(files, config)

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig,
               files: Files) -> jinja2.Environment:
        return self._current().keep_templates(env)

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        return self._current().page_markdown(markdown, page)

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        return self._current().page_content(html, page)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        return self._current().post_page(output, page)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        try:
            self._current().finish(config)
        finally:
            self._close()

    def on_build_error(self, *, error: Exception) -> None:
        self._close()
        if self.serving is not None:
            self.serving.failed(error)
