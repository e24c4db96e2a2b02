"""``--update-output``: write what each example really printed into its output block."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from .page import OUTPUT_LANG, Example, PageError

# On the pytest config: (page, example, what it printed) for every example that ran.
RECORDED = pytest.StashKey[list]()


def _edit(example: Example, actual: str, page_rel: str) -> tuple[int, int, list[str]]:
    """The replacement of page lines [start, end) (0-based) that makes the page show ``actual``."""
    new = actual.rstrip("\n").split("\n") if actual.strip("\n") else []
    block = example.output
    if block is None:
        if example.closing.path != page_rel:
            raise PageError(f"{example.fence}: cannot add an output block after a fence that "
                            "ends in another file")
        indent = example.indent
        after = example.closing.line  # 1-based closing fence line: insert right after it
        body = [indent + "```" + OUTPUT_LANG, *(indent + n if n else n for n in new), indent + "```"]
        return after, after, body if new else []
    if block.fence.path != page_rel:
        raise PageError(f"{block.fence}: cannot update an output block included from another file")
    start = block.fence.line  # 0-based index of the first content line
    if not new:  # the example prints nothing any more: remove the whole output block
        return start - 1, start + block.count + 1, []
    return start, start + block.count, [block.indent + n if n else n for n in new]


def apply(config, recorded: list[tuple[Path, Example, str]]) -> None:
    """Rewrite the pages and print a unified diff of every change."""
    write = config.get_terminal_writer()
    write.line()
    root = Path(str(config.rootpath))
    by_page: dict[Path, list[tuple[Example, str]]] = {}
    for page, example, actual in recorded:
        by_page.setdefault(page, []).append((example, actual))
    changed = 0
    for page, results in sorted(by_page.items()):
        rel = page.resolve().relative_to(root.resolve()).as_posix()
        old = page.read_text(encoding="utf-8").split("\n")
        lines = list(old)
        edits = sorted((_edit(ex, actual, rel) for ex, actual in results), reverse=True)
        for start, end, body in edits:
            lines[start:end] = body
        if lines != old:
            changed += 1
            page.write_text("\n".join(lines), encoding="utf-8")
            write.line("".join(d + "\n" for d in difflib.unified_diff(old, lines, rel, rel, lineterm="")))
    write.line(f"--update-output: rewrote {changed} page(s)", bold=True)
