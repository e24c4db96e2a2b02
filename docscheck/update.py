"""``--update-output``: write what each example really prints into its output block.

Each edit is planned while its example is checked, so a refusal is that example's failure:
an output block included from another file, one in a block quote, a code block whose closing
line comes from another file, output a page cannot hold (a carriage return, a control
character). A fence is lengthened when the new output holds a line that would close it.
Pages keep their line endings and byte order mark. At the end of the session every page is
written, or none is (when any example failed).
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import signal
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import PageError, decode_utf8
from .page import OUTPUT

if TYPE_CHECKING:
    from .page import Example

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FINAL_BREAK = re.compile(r"(?:\r\n|\r|\n)\Z")
# Lines pymdownx.snippets treats as notation in a page (its own patterns, loosely), escaped
# with a ";" too, which the site shows without it.
SNIPPET_NOTATION = re.compile(r"^\s*;?-+8<-+(?:\s|$)|-+8<-+\s+\[\s*(?:start|end)\s*:", re.I)


@dataclasses.dataclass(frozen=True)
class Edit:
    """Replace lines ``start`` to ``end`` (0-based, end excluded) of ``page`` with ``lines``."""

    page: str  # relative to the root
    start: int
    end: int
    lines: tuple[str, ...]


def fence_for(lines: list[str], current: str = "```") -> str:
    """A fence marker no line of ``lines`` can close: ``current``, longer when needed."""
    char = current[0]
    longest = 0
    for line in lines:
        body = line.lstrip(" ")
        longest = max(longest, len(body) - len(body.lstrip(char)))
    return char * max(len(current), longest + 1 if longest >= 3 else 3)


def plan(example: Example, actual: str) -> Edit | None:
    """The edit that makes the page show ``actual`` under ``example``; PageError if refused."""
    text = actual.rstrip("\n")
    bad = _CONTROL.search(text)
    if bad:
        name = "a carriage return" if bad.group() == "\r" else f"the control character {bad.group()!r}"
        raise PageError(f"{example.where}: cannot update: the example prints {name}, which an "
                        "output block cannot show; print something else")
    new = text.split("\n") if text else []
    notation = next((line for line in new if SNIPPET_NOTATION.search(line)), None)
    if notation is not None:
        raise PageError(f"{example.where}: cannot update: the example prints {notation!r}, which "
                        "the site would read as an include or a section marker of "
                        "pymdownx.snippets; print something else")
    page = example.page
    block = example.output
    if block is None:
        if not new:
            return None
        if example.closing.path != page:
            raise PageError(f"{example.where}: cannot add an output block: the code block ends "
                            f"in {example.closing.path}, not on the page")
        if ">" in example.indent:
            raise PageError(f"{example.where}: cannot add an output block inside a block quote; "
                            "write it by hand")
        marker = fence_for(new)
        indent = example.indent
        body = [indent + marker + OUTPUT, *(indent + n if n else n for n in new), indent + marker]
        return Edit(page, example.closing.line, example.closing.line, tuple(body))
    included = sorted({o.path for o in block.origins if o.path != page})
    if included:
        raise PageError(f"{example.where}: cannot update the output block at {block.fence}: "
                        f"its text comes from {', '.join(included)}; update that file instead")
    if ">" in block.indent:
        raise PageError(f"{example.where}: cannot update the output block at {block.fence}: it "
                        "is in a block quote; update it by hand")
    first, last = block.origins[0].line - 1, block.origins[-1].line - 1
    if not new:
        return Edit(page, first, last + 1, ())
    marker = fence_for(new, block.marker)
    indent = block.indent
    body = [indent + n if n else n for n in new]
    if marker != block.marker:
        return Edit(page, first, last + 1, (indent + marker + OUTPUT, *body, indent + marker))
    return Edit(page, first + 1, last, tuple(body))


@dataclasses.dataclass(frozen=True)
class PageChange:
    path: Path
    old: bytes
    new: bytes

    def diff(self, name: str) -> str:
        old = self.old.decode("utf-8-sig").splitlines()
        new = self.new.decode("utf-8-sig").splitlines()
        return "\n".join(difflib.unified_diff(old, new, name, name, lineterm=""))


def apply(root: Path, edits: Iterable[Edit]) -> list[PageChange]:
    """The new bytes of every page the edits change (nothing is written)."""
    by_page: dict[str, list[Edit]] = {}
    for edit in edits:
        by_page.setdefault(edit.page, []).append(edit)
    changes = []
    for page, page_edits in sorted(by_page.items()):
        path = root / page
        data = path.read_bytes()
        bom = data.startswith(b"\xef\xbb\xbf")
        text = decode_utf8(data, page)
        lines = _LINE.findall(text)
        endings = [line[len(line.rstrip("\r\n")):] for line in lines]
        ending = max(("\r\n", "\n", "\r"), key=endings.count) if any(endings) else "\n"
        if lines and not endings[-1]:
            lines[-1] += ending  # every line gets an ending while editing; the last is restored
        for edit in sorted(page_edits, key=lambda e: e.start, reverse=True):
            lines[edit.start:edit.end] = [line + ending for line in edit.lines]
        result = "".join(lines)
        if text and not endings[-1]:  # the last line ends as it did, with no line break
            result = _FINAL_BREAK.sub("", result)
        new = (b"\xef\xbb\xbf" if bom else b"") + result.encode("utf-8")
        if new != data:
            changes.append(PageChange(path, data, new))
    return changes


def write(changes: Iterable[PageChange]) -> None:
    """Write every changed page: each to a temporary file first, then all renamed into place."""
    staged: list[tuple[str, Path]] = []
    try:
        for change in changes:
            fd, tmp = tempfile.mkstemp(dir=change.path.parent, prefix=f".{change.path.name}.")
            with os.fdopen(fd, "wb") as f:
                f.write(change.new)
            os.chmod(tmp, change.path.stat().st_mode & 0o7777)
            staged.append((tmp, change.path))
    except BaseException:
        for tmp, _ in staged:
            os.unlink(tmp)
        raise
    # All renamed or none: Ctrl-C or SIGTERM in the middle is held back until every page is in
    # place, then acted on. (Python runs signal handlers in the main thread whichever thread
    # received the signal, so the handlers are replaced, not the signal mask.)
    held: list[int] = []
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGINT, signal.SIGTERM):
            previous[number] = signal.signal(number, lambda received, _: held.append(received))
    try:
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if held:
            signal.raise_signal(held[0])
