"""Expand ``--8<--`` includes exactly as the site build does, remembering where each line came from.

The expansion is pymdownx.snippets' own preprocessor, configured from the ``markdown_extensions``
entry in ``mkdocs.yml``. The only addition is bookkeeping: every line read from a page or a snippet
file carries an invisible tag naming its file and line number, so that after expansion each line
of a code block can be traced back to ``docs/<page>.md:<line>`` or ``snippets/<file>.py:<line>``.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import markdown
from mkdocs.utils.yaml import yaml_load
from pymdownx.snippets import SnippetExtension, SnippetMissingError, SnippetPreprocessor

SNIPPETS_EXTENSION = "pymdownx.snippets"

# Tags are appended to lines as "\x00<number>\x01"; neither byte can occur in a page or snippet.
_TAG = re.compile("\x00(\\d+)\x01")


class ExpansionError(Exception):
    """An include that cannot be expanded; the message names the file and line."""


@dataclasses.dataclass(frozen=True)
class Origin:
    """Where one line of expanded Markdown was written: a file (relative to the project) and a line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclasses.dataclass(frozen=True)
class ExpandedPage:
    """The Markdown a page becomes after includes, one origin per line (None: made by the expander)."""

    lines: list[str]
    origins: list[Origin | None]

    def origin(self, index: int) -> Origin | None:
        """The origin of expanded line ``index`` (0-based), guessing from the line above if untagged."""
        for i in range(index, -1, -1):
            found = self.origins[i]
            if found is not None:
                return found if i == index else Origin(found.path, found.line + index - i)
        return None


def snippet_config(mkdocs_yml: Path) -> dict:
    """The pymdownx.snippets options in ``mkdocs_yml``, defaults filled in, base paths made absolute."""
    with open(mkdocs_yml, encoding="utf-8") as f:
        config = yaml_load(f) or {}
    options = None
    for entry in config.get("markdown_extensions") or []:
        if entry == SNIPPETS_EXTENSION:
            options = {}
        elif isinstance(entry, dict) and SNIPPETS_EXTENSION in entry:
            options = entry[SNIPPETS_EXTENSION] or {}
    if options is None:
        raise ExpansionError(f"{mkdocs_yml}: markdown_extensions does not enable {SNIPPETS_EXTENSION}")
    if options.get("dedent_subsections"):
        raise ExpansionError(f"{mkdocs_yml}: {SNIPPETS_EXTENSION} dedent_subsections is not supported")
    resolved = SnippetExtension(**options).getConfigs()
    bases = resolved["base_path"]
    bases = [bases] if isinstance(bases, str) else bases
    resolved["base_path"] = [str(mkdocs_yml.parent / b) for b in bases]
    return resolved


class _TracingPreprocessor(SnippetPreprocessor):
    """pymdownx's preprocessor, tagging each line it reads with its file and line number."""

    def __init__(self, config: dict, root: Path):
        super().__init__(config, markdown.Markdown())
        self.root = root
        self.table: list[Origin] = []

    def tag(self, lines: list[str], path: str) -> list[str]:
        # Snippet notation (include lines, section markers, escaped notation) must stay as written
        # for pymdownx to recognise it; those lines vanish or are rewritten, so they need no tag.
        mask = self.get_syntax_mask(lines)
        tagged = []
        for number, (line, notation) in enumerate(zip(lines, mask, strict=True), start=1):
            if notation or "8<-" in line:
                tagged.append(line)
            else:
                self.table.append(Origin(path, number))
                tagged.append(f"{line}\x00{len(self.table) - 1}\x01")
        return tagged

    def read_lines(self, path):
        lines = super().read_lines(path)
        return self.tag(lines, _relative(Path(path), self.root))


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


class Expander:
    """Expands pages with the snippet options of one ``mkdocs.yml``."""

    def __init__(self, mkdocs_yml: Path):
        self.mkdocs_yml = mkdocs_yml
        self.root = mkdocs_yml.parent
        self.config = snippet_config(mkdocs_yml)

    def expand(self, page: Path) -> ExpandedPage:
        text = page.read_text(encoding="utf-8")
        lines = text.split("\n")
        pre = _TracingPreprocessor(self.config, self.root)
        rel = _relative(page, self.root)
        try:
            out = pre.run(pre.tag(lines, rel))
        except SnippetMissingError as e:
            raise ExpansionError(f"{self._locate(e, page, rel)}: {e}") from None
        plain, origins = [], []
        for line in out:
            found = _TAG.findall(line)
            origins.append(pre.table[int(found[-1])] if found else None)
            plain.append(_TAG.sub("", line))
        return ExpandedPage(plain, origins)

    def _locate(self, error: SnippetMissingError, page: Path, rel: str) -> str:
        """The page line holding the include that failed (pymdownx's message names only the path)."""
        match = re.search(r"'([^']*)'", str(error))
        needle = match.group(1) if match else None
        for number, line in enumerate(page.read_text(encoding="utf-8").split("\n"), start=1):
            if "8<-" in line and (needle is None or needle in line):
                return f"{rel}:{number}"
        return rel
