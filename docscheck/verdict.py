"""Compare what an example did (two runs) with what its page shows, and say what is wrong."""

from __future__ import annotations

import dataclasses
import difflib
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .page import Example
    from .runner import ExampleRun

LEGEND = ("(invisible characters are shown as: · a space at the end of a line, <TAB>, <CR>, "
          "<U+XXXX NAME> for the others)")
_NAMED = {"\t": "<TAB>", "\r": "<CR>"}


def visible(line: str) -> tuple[str, bool]:
    """``line`` with invisible characters made visible, and whether there were any."""
    body = line.rstrip(" ")
    trailing = len(line) - len(body)
    out = []
    for char in body:
        if char in _NAMED:
            out.append(_NAMED[char])
        elif char != " " and unicodedata.category(char) in ("Zs", "Zl", "Zp", "Cf", "Cc", "Co",
                                                            "Cn"):
            out.append(f"<U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED')}>")
        else:
            out.append(char)
    text = "".join(out) + "·" * trailing
    return text, text != line


# Failures show at most this much of an output (a runaway loop can print megabytes).
SHOWN_LIMIT = 10_000


def _normal(text: str) -> str:
    return text.rstrip("\n")


def bounded(text: str, limit: int = SHOWN_LIMIT) -> str:
    """``text``, cut after ``limit`` characters with a note saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}\n[... {len(text) - limit} more characters not shown]"


DIFF_LINES = 200  # a diff shows at most this many lines
LONG_LINE = 500  # a longer line is cut; a changed one around its first difference
WINDOW = 160  # how much of a long changed line is shown around its first difference


def _first_difference(old: str, new: str) -> int:
    end = min(len(old), len(new))
    return next((i for i in range(end) if old[i] != new[i]), end)


def _cut(line: str) -> str:
    if len(line) <= LONG_LINE:
        return line
    return f"{line[:LONG_LINE]}[... {len(line) - LONG_LINE} more characters]"


def _changed_pair(old_raw: str, new_raw: str) -> list[str]:
    """A line of the page and the line printed in its place (invisible characters made
    visible), and under them a marker at the first character that differs, counted in the
    line as printed; long lines are shown around that character, never cut before it."""
    raw_at = _first_difference(old_raw, new_raw)
    old, new = visible(old_raw)[0], visible(new_raw)[0]
    at = len(visible(old_raw[:raw_at])[0])  # where that character is shown
    start = max(0, at - WINDOW // 2) if max(len(old), len(new)) > LONG_LINE else 0
    shown = []
    for line in (old, new):
        if start == 0 and len(line) <= LONG_LINE:
            shown.append(line)
            continue
        head = f"[... {start} characters] " if start else ""
        rest = len(line) - start - WINDOW
        tail = f" [... {rest} more characters]" if rest > 0 else ""
        shown.append(head + line[start:start + WINDOW] + tail)
    column = (len(f"[... {start} characters] ") if start else 0) + at - start
    return ["-" + shown[0], "+" + shown[1],
            "?" + " " * column + f"^ first difference: character {raw_at + 1} of the line"]


def diff(expected: str, actual: str, expected_name: str, actual_name: str) -> str:
    """A unified diff of two outputs, invisible characters made visible, with notes: a line
    of the page and the line printed in its place are marked where they first differ. Long
    diffs and long lines are cut, with a note saying how much, but never the part that
    differs."""
    old, new = _normal(expected).split("\n"), _normal(actual).split("\n")
    lines: list[str] = []
    marked = False
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        pairs = min(len(removed), len(added))
        for a, b in zip(removed[:pairs], added[:pairs], strict=True):
            lines.extend(_changed_pair(a, b))
        lines.extend("-" + _cut(visible(a)[0]) for a in removed[pairs:])
        lines.extend("+" + _cut(visible(b)[0]) for b in added[pairs:])
        removed.clear()
        added.clear()

    every = list(difflib.unified_diff(old, new, expected_name, actual_name, lineterm="", n=2))
    for line in every[:DIFF_LINES]:
        if line.startswith(("---", "+++", "@@")):
            flush()
            lines.append(line)
            continue
        text, changed = visible(line[1:])
        marked = marked or changed
        if line[0] == "-":
            if added:
                flush()
            removed.append(line[1:])
        elif line[0] == "+":
            added.append(line[1:])
        else:
            flush()
            lines.append(" " + _cut(text))
    flush()
    if len(every) > DIFF_LINES:
        lines.append(f"[... {len(every) - DIFF_LINES} more lines of the diff not shown]")
    if marked:
        lines.append(LEGEND)
    if expected != actual and unicodedata.normalize("NFC", _normal(expected)) == \
            unicodedata.normalize("NFC", _normal(actual)):
        lines.append("(the two differ only in Unicode normalisation: the same letters, composed "
                     "as one character in one and as a letter plus a combining mark in the other)")
    return "\n".join(lines)


def split_shown(text: str, raises: str) -> tuple[str, str]:
    """An expected error's output block, split into what was printed and the error line(s).

    The error begins at the last line that starts with the exception's name and a colon (or is
    the name alone), as Python prints it.
    """
    lines = _normal(text).split("\n")
    for index in range(len(lines) - 1, -1, -1):
        head = lines[index].split(":", 1)[0]
        if head == raises or head.endswith("." + raises):
            printed = "\n".join(lines[:index])
            return (printed + "\n" if printed else ""), "\n".join(lines[index:])
    return text, ""


@dataclasses.dataclass(frozen=True)
class Verdict:
    """What is wrong with an example, if anything."""

    example: Example
    failure: str | None = None  # the message; None when the page shows what the example does
    actual: str | None = None  # what the output block must hold, when rewriting it is the fix

    @property
    def ok(self) -> bool:
        return self.failure is None


def _seen(run: ExampleRun) -> tuple[str, str | None]:
    return run.shown, run.raised.type if run.raised else None


def _with_output(message: str, run: ExampleRun) -> str:
    printed = bounded(_normal(run.output))
    return f"{message}\nIt printed before that:\n{printed}" if printed.strip() else message


# What the runs of a thorough doc-test beyond the first two show, when they print otherwise.
OTHER_RUNS = {
    "portable": (
        "the output depends on the machine: run with one thread and torch's portable CPU "
        "kernels (OMP_NUM_THREADS=1 ATEN_CPU_CAPABILITY=default, as on a reader's machine "
        "without this one's vector unit), it printed something else. Print values rounded "
        "to what every machine agrees on (fewer digits, or torch.allclose against the "
        "expected value)", "run with one thread and portable kernels"),
    "cold": (
        "the output differs in a fresh interpreter: run as a reader runs it (a new python, "
        "nothing imported before), it printed something else. Import what the example uses "
        "itself (a submodule is not an attribute of its package until it is imported)",
        "run in a fresh interpreter"),
}


def judge(example: Example, first: ExampleRun, second: ExampleRun,
          others: Mapping[str, ExampleRun] | None = None) -> Verdict:
    """The verdict on ``example`` from two runs of it, each with fresh random seeds, and from
    the runs of a thorough doc-test (``others``, by name: see ``OTHER_RUNS``)."""
    where = example.where
    others = others or {}
    for name, run in (("", first), ("", second), *others.items()):
        if run.fault is not None:
            label = f" (in the {OTHER_RUNS[name][1]})" if name else ""
            return Verdict(example, _with_output(f"{where}{label}: {bounded(run.fault)}", run))
    if _seen(first) != _seen(second):
        return Verdict(example, (
            f"{where}: the output depends on chance: two runs, each with fresh random seeds, "
            "printed different things. Seed the example (torch.manual_seed(0), or random.seed "
            "and numpy's seed for those) and print nothing that differs from run to run "
            "(addresses, times).\n" + diff(first.shown, second.shown, "first run", "second run")))
    for name, run in others.items():
        if _seen(run) != _seen(first):
            message, label = OTHER_RUNS[name]
            return Verdict(example, f"{where}: {message}.\n"
                           + diff(first.shown, run.shown, "first run", label))
    raised = first.raised
    if raised is not None and (example.raises is None or example.raises not in raised.names):
        expects = f' (the page expects raises="{example.raises}")' if example.raises else ""
        return Verdict(example, _with_output(
            f"{where}: the example raised {raised.type}{expects}\n{bounded(raised.traceback)}",
            first))
    if example.raises is not None and raised is None:
        return Verdict(example, _with_output(
            f'{where}: declares raises="{example.raises}" but ran without an error', first))
    actual = first.shown
    if actual.startswith("\n"):
        return Verdict(example, (
            f"{where}: it prints a blank first line, which an output block cannot show (the "
            "site drops a code block's blank first line): print something before it\n"
            f"It printed:\n{bounded(_normal(actual))}"))
    if _normal(actual) == _normal(example.shown):
        return Verdict(example)
    if example.output is None:
        return Verdict(example, f"{where}: the example prints but the page shows no output "
                                f"block after it.\nIt printed:\n{bounded(_normal(actual))}", actual)
    return Verdict(example, (
        f"{where}: printed output differs from the output block at {example.output.fence}\n"
        + diff(example.shown, actual, f"{example.output.fence} (output shown on the page)",
               "output printed by the example")), actual)
