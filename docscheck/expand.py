"""Expand ``--8<--`` includes exactly as the site build does, remembering where each line came from.

The expansion is pymdownx.snippets' own preprocessor with the settings of ``mkdocs.yml``. The
additions are bookkeeping and stricter errors:

* every line read from a page or a snippet file carries an invisible tag naming its file and
  line, so that each expanded line can be traced back to ``docs/<page>.md:<line>`` or
  ``snippets/<file>.py:<line>``;
* a page's front matter is left out, as MkDocs leaves it out;
* a file that resolves outside the repository (a symbolic link), and a URL (which the site
  does not download), are refused;
* a file that is not UTF-8, an include that expands to nothing (a line range past the end of the
  file, an empty section or file) and a file that includes itself are errors naming the include.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import markdown
from mkdocs.utils.meta import get_data
from pymdownx.snippets import SnippetMissingError, SnippetPreprocessor

from .config import SiteConfig
from .errors import PageError, check_coding, decode_utf8

# Tags are appended to lines as "\x00<number>\x01"; neither byte can occur in a page or snippet.
_TAG = re.compile("\x00(\\d+)\x01")


@dataclasses.dataclass(frozen=True)
class Origin:
    """Where one line of expanded Markdown was written: a file (relative to the root) and a line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclasses.dataclass(frozen=True)
class ExpandedPage:
    """The Markdown a page becomes after includes, with the origin of every line."""

    path: str  # the page, relative to the root
    lines: list[str]
    origins: list[Origin | None]  # None: a line the expander made (a block include's blank line)

    def origin(self, index: int) -> Origin:
        """The origin of expanded line ``index`` (0-based), counted from a line above if untagged."""
        for i in range(index, -1, -1):
            found = self.origins[i] if i < len(self.origins) else None
            if found is not None:
                return found if i == index else Origin(found.path, found.line + index - i)
        return Origin(self.path, index + 1)


def read_text(path: Path, where: str) -> str:
    """A page or snippet as MkDocs reads it: UTF-8 (a BOM dropped), universal newlines."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise PageError(f"{where}: cannot be read: {e.strerror}") from None
    return decode_utf8(data, where).replace("\r\n", "\n").replace("\r", "\n")


class _TracingPreprocessor(SnippetPreprocessor):  # type: ignore[misc]
    """pymdownx's preprocessor, tagging each line it reads and naming the include that fails."""

    def __init__(self, options: dict[str, Any], config: SiteConfig, page: str):
        super().__init__(options, markdown.Markdown())
        self.site = config
        self.page = page
        self.table: list[Origin] = []
        self.files: list[str] = [page]  # the file whose lines are being expanded, innermost last
        self.spec = ""  # the include being processed, as written

    def tag(self, lines: list[str], path: str) -> list[str]:
        # Snippet notation (include lines, section markers, and escaped notation, which pymdownx
        # unescapes) must stay as written for pymdownx to recognise it; those lines vanish or
        # are rewritten, so they need no tag. Every other line is tagged, "8<-" in it or not.
        mask = self.get_syntax_mask(lines)
        tagged = []
        for number, (line, notation) in enumerate(zip(lines, mask, strict=True), start=1):
            match = self.RE_ALL_SNIPPETS.match(line) or self.match_section(line)
            escaped = match is not None and bool(match.group("escape"))
            if notation or escaped:
                tagged.append(line)
            else:
                self.table.append(Origin(path, number))
                tagged.append(f"{line}\x00{len(self.table) - 1}\x01")
        return tagged

    def read_lines(self, path: str) -> list[str]:
        rel = self.site.relative(path)
        text = read_text(Path(path), rel)
        lines = text.split("\n") if text else []
        if rel.endswith(".py"):
            check_coding(lines, [f"{rel}:1", f"{rel}:2"])
        return self.tag(lines, rel)

    def parse_snippets(self, lines: list[str], file_name: str | None = None, is_url: bool = False,
                       is_section: bool = False) -> list[str]:
        if file_name:
            self.files.append(self.site.relative(file_name))
        try:
            expanded: list[str] = super().parse_snippets(lines, file_name, is_url, is_section)
            return expanded
        except SnippetMissingError as e:
            raise PageError(f"{self.locate()}: {e}") from None
        finally:
            if file_name:
                self.files.pop()

    def parse_snippet_target(self, path: str) -> dict[str, Any] | None:
        self.spec = path
        target: dict[str, Any] | None = super().parse_snippet_target(path)
        return target

    def get_snippet_path(self, path: str) -> str | None:
        snippet: str | None = super().get_snippet_path(path)
        if snippet is None and path.lower().startswith(("http://", "https://")):
            # pymdownx drops it silently, as it drops a missing file unless check_paths is on
            raise PageError(f"{self.locate()}: the include \"{path}\" is a URL, which the site "
                            "does not download: the page would show nothing in its place; include "
                            "a file of the repository")
        if snippet is None:
            raise PageError(f"{self.locate()}: Snippet at path '{path}' could not be found")
        if not Path(snippet).resolve().is_relative_to(self.site.root.resolve()):
            raise PageError(f"{self.locate()}: the include \"{self.spec}\" resolves to "
                            f"{Path(snippet).resolve()}, outside the repository (through a "
                            "symbolic link): a page shows only files of the repository")
        if snippet in self.seen:
            raise PageError(f"{self.locate()}: the include \"{self.spec}\" includes "
                            f"{self.site.relative(snippet)} inside itself")
        return snippet

    def process_snippet_lines(self, lines: list[str], target: dict[str, Any]) -> list[str]:
        if not any(line.strip() for line in _untagged(lines)):
            rel = self.site.relative(target["snippet"])
            if target["section"]:
                why = f"section '{target['section']}' of {rel} is empty"
            elif target["start"]:
                count = len(read_text(Path(target["snippet"]), rel).splitlines())
                why = f"{rel} has {count} lines, none of them in the range asked for"
            else:
                why = f"{rel} is empty"
            raise PageError(f"{self.locate()}: the include \"{self.spec}\" expands to nothing: {why}")
        return lines

    def locate(self) -> str:
        """``file:line`` of the include being processed: the first line of snippet notation in
        the including file that holds it."""
        where = self.files[-1]
        try:
            lines = read_text(self.site.root / where, where).split("\n")
        except PageError:
            return where
        mask = self.get_syntax_mask(lines)
        for number, (line, notation) in enumerate(zip(lines, mask, strict=True), start=1):
            if notation and self.spec and self.spec in line:
                return f"{where}:{number}"
        return where


def _untagged(lines: list[str]) -> list[str]:
    return [_TAG.sub("", line) for line in lines]


def front_matter_lines(text: str) -> int:
    """How many lines at the top of a page MkDocs takes off as its YAML front matter (or
    MultiMarkdown meta-data) before Markdown sees the page."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    rest = get_data(text)[0]
    if rest == text or not text.endswith(rest):
        return 0
    return text[:len(text) - len(rest)].count("\n")


def without_meta(text: str) -> list[str]:
    """The lines of a page as MkDocs renders them: its front matter blanked out (a fence in it
    is not shown, so it is no example); the other lines keep their numbers."""
    lines = text.split("\n")
    removed = front_matter_lines(text)
    lines[:removed] = [""] * removed
    return lines


class Expander:
    """Expands pages with the snippet settings of one site."""

    def __init__(self, config: SiteConfig):
        self.config = config
        self.options = config.snippet_options()

    def expand(self, page: Path) -> ExpandedPage:
        rel = self.config.relative(page)
        lines = without_meta(read_text(page, rel))
        pre = _TracingPreprocessor(self.options, self.config, rel)
        out = pre.run(pre.tag(lines, rel))
        plain: list[str] = []
        origins: list[Origin | None] = []
        for line in out:
            found = _TAG.findall(line)
            origins.append(pre.table[int(found[-1])] if found else None)
            plain.append(_TAG.sub("", line))
        return ExpandedPage(rel, plain, origins)
