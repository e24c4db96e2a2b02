"""What the engine reads from ``mkdocs.yml``: where the pages are and how the site's Markdown works.

The Markdown extensions are resolved by MkDocs' own ``markdown_extensions`` option, so the list
(MkDocs' built-in extensions included) and every extension's settings are the ones the site uses.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
from pathlib import Path
from typing import Any

from .errors import PageError

SNIPPETS = "pymdownx.snippets"
SUPERFENCES = "pymdownx.superfences"
# MkDocs always enables these, before the extensions mkdocs.yml lists (mkdocs/config/defaults.py).
MKDOCS_BUILTIN_EXTENSIONS = ["toc", "tables", "fenced_code"]
# The suffixes MkDocs builds as pages (mkdocs.utils.markdown_extensions).
MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")
# What MkDocs leaves out of every site (mkdocs/structure/files.py), before exclude_docs.
DEFAULT_EXCLUDE = [".*", "/templates/"]


@dataclasses.dataclass(frozen=True)
class SiteConfig:
    """The parts of an MkDocs configuration the engine needs."""

    root: Path  # the folder of mkdocs.yml: paths in pages and tracebacks are relative to it
    docs_dir: Path
    raw: dict[str, Any] = dataclasses.field(repr=False, compare=False)

    @classmethod
    def load(cls, mkdocs_yml: Path) -> SiteConfig:
        from mkdocs.utils.yaml import yaml_load

        mkdocs_yml = mkdocs_yml.resolve()
        try:
            with open(mkdocs_yml, encoding="utf-8") as f:
                raw = yaml_load(f) or {}
        except Exception as e:  # noqa: BLE001 - any YAML or tag error is reported with the file
            raise PageError(f"{mkdocs_yml.name}: cannot be read: {e}") from None
        root = mkdocs_yml.parent
        return cls(root=root, docs_dir=(root / raw.get("docs_dir", "docs")).resolve(), raw=raw)

    @functools.cached_property
    def _markdown(self) -> tuple[tuple[str, ...], dict[str, dict[str, Any]]]:
        from mkdocs.config import config_options
        from mkdocs.config.base import ValidationError

        option = config_options.MarkdownExtensions(builtins=MKDOCS_BUILTIN_EXTENSIONS)
        try:
            value = copy.deepcopy(self.raw.get("markdown_extensions") or [])
            extensions = option.run_validation(value)
        except ValidationError as e:
            raise PageError(f"mkdocs.yml: markdown_extensions: {e}") from None
        return tuple(extensions), dict(option.configdata)

    @functools.cached_property
    def _exclude(self) -> Any:
        import pathspec

        extra = self.raw.get("exclude_docs") or ""
        return pathspec.GitIgnoreSpec.from_lines([*DEFAULT_EXCLUDE, *str(extra).splitlines()])

    def excluded(self, relative: str) -> bool:
        """Whether MkDocs leaves the file at ``relative`` (to docs_dir) out of the site."""
        return bool(self._exclude.match_file(relative))

    @property
    def extensions(self) -> tuple[str, ...]:
        """The Markdown extensions of the site, MkDocs' built-in ones first."""
        return self._markdown[0]

    @property
    def extension_configs(self) -> dict[str, dict[str, Any]]:
        return self._markdown[1]

    def relative(self, path: Path | str) -> str:
        """``path`` relative to the root, with forward slashes (as pages and messages show it)."""
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def snippet_options(self) -> dict[str, Any]:
        """The pymdownx.snippets settings, or a PageError if the site does not include snippets."""
        if SNIPPETS not in self.extensions:
            raise PageError(f"mkdocs.yml: markdown_extensions does not enable {SNIPPETS}")
        options = dict(self.extension_configs.get(SNIPPETS, {}))
        if options.get("dedent_subsections"):
            raise PageError(f"mkdocs.yml: {SNIPPETS} dedent_subsections is not supported "
                            "(the engine could not map dedented lines back to their files)")
        from pymdownx.snippets import SnippetExtension

        options = dict(SnippetExtension(**options).getConfigs())  # pymdownx's defaults filled in
        bases = options["base_path"]
        bases = [bases] if isinstance(bases, str) else list(bases)
        options["base_path"] = [str(self.root / b) for b in bases]
        return options
