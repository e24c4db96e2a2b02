"""Run one example and compare what it prints with the output block under it.

Code is compiled statement by statement with the file name and line numbers the statement was
written at (the snippet file, or the page for code written inline), so a traceback points at the
real ``snippets/<file>.py:<line>`` and shows its source line.
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import io
import random
import sys
import traceback
from pathlib import Path

from .expand import Origin
from .page import Example


class ExampleFailure(Exception):
    """An example that ran but does not match its page; the message says where and how."""


class ExampleError(Exception):
    """An example that raised unexpectedly; the original exception is ``__cause__``."""

    def __init__(self, header: str, files: set[str]):
        super().__init__(header)
        self.header = header
        self.files = files


def reset_state() -> None:
    """Put back the global state an example may change: seeds, dtype, grad mode, print options."""
    random.seed(0)
    torch = sys.modules.get("torch")
    if torch is None:  # nothing has imported torch yet, so its state is still the default
        return
    torch.manual_seed(0)
    torch.set_default_dtype(torch.float32)
    torch.set_grad_enabled(True)
    torch.autograd.set_detect_anomaly(False)
    torch.set_printoptions(profile="default")  # also resets sci_mode


def where(example: Example) -> str:
    """``docs/page.md:12`` plus the snippet files the block includes."""
    files = example.snippet_files
    return f"{example.fence}" + (f" (code from {', '.join(files)})" if files else "")


def _compile(example: Example, root: Path) -> tuple[list, set[str]]:
    """Code objects, one per top-level statement, each carrying the file and lines it came from."""
    page_file = str(root / example.fence.path)
    try:
        tree = ast.parse(example.code, filename=page_file)
    except SyntaxError as e:
        origin = _origin_of(example, e.lineno or 1)
        raise ExampleFailure(f"{where(example)}: syntax error at {origin}: {e.msg}\n"
                             f"    {(e.text or '').rstrip()}") from None
    compiled, files = [], set()
    for stmt in tree.body:
        lines = range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1)
        origins = [_origin_of(example, n) for n in lines]
        paths = {o.path for o in origins}
        if len(paths) > 1:
            raise ExampleFailure(f"{where(example)}: the statement at {origins[0]} mixes lines of "
                                 f"{' and '.join(sorted(paths))}; keep each statement in one file")
        path = origins[0].path
        for node in ast.walk(stmt):
            if hasattr(node, "lineno") and node.lineno is not None:
                node.lineno = _origin_of(example, node.lineno).line
                end = getattr(node, "end_lineno", None)
                node.end_lineno = _origin_of(example, end).line if end else node.lineno
        filename = str(root / path)
        files.add(filename)
        compiled.append(compile(ast.Module([stmt], type_ignores=[]), filename, "exec",
                                dont_inherit=True))
    return compiled, files


def _origin_of(example: Example, code_line: int) -> Origin:
    """The origin of line ``code_line`` (1-based) of the example's code."""
    index = min(max(code_line, 1), len(example.code_origins)) - 1
    origin = example.code_origins[index] if example.code_origins else None
    return origin or Origin(example.fence.path, example.fence.line + code_line)


def error_line(error: BaseException) -> str:
    """The last line(s) of a traceback, as Python prints them: ``RuntimeError: message``."""
    return "".join(traceback.format_exception_only(type(error), error)).rstrip("\n")


def _matches(error: BaseException, name: str) -> bool:
    kind = type(error)
    return name in (kind.__name__, kind.__qualname__, f"{kind.__module__}.{kind.__qualname__}")


def run(example: Example, namespace: dict, root: Path) -> str:
    """Run the example in ``namespace``; return what it printed (and its error line, if expected)."""
    code, files = _compile(example, root)
    if not example.continues:
        reset_state()
    stdout = io.StringIO()
    try:
        with contextlib.redirect_stdout(stdout):
            for part in code:
                exec(part, namespace)
    except Exception as e:  # noqa: BLE001 - every failure is reported with its traceback
        if example.raises and _matches(e, example.raises):
            return stdout.getvalue() + error_line(e) + "\n"
        expected = f" (the page expects {example.raises})" if example.raises else ""
        raise ExampleError(f"{where(example)}: the example raised {type(e).__name__}{expected}",
                           files) from e
    if example.raises:
        raise ExampleFailure(f"{where(example)}: declares raises={example.raises!r} "
                             "but ran without an error")
    return stdout.getvalue()


def compare(example: Example, actual: str) -> None:
    """Raise ExampleFailure with a unified diff if ``actual`` is not what the page shows."""
    shown = example.output.text if example.output else ""
    if _normal(actual) == _normal(shown):
        return
    if example.output is None:
        raise ExampleFailure(f"{where(example)}: the example prints but the page shows no output "
                             f"block after it.\nIt printed:\n{actual}")
    diff = difflib.unified_diff(_normal(shown).split("\n"), _normal(actual).split("\n"),
                                f"{example.output.fence} (output shown on the page)",
                                "output printed by the example", lineterm="")
    raise ExampleFailure(f"{where(example)}: printed output differs from the output block at "
                         f"{example.output.fence}\n" + "\n".join(diff))


def _normal(text: str) -> str:
    return text.rstrip("\n")


def format_error(error: ExampleError, root: Path) -> str:
    """The traceback of an unexpected exception, from the first frame in a page or snippet."""
    cause = error.__cause__
    tb = cause.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename not in error.files:
        tb = tb.tb_next
    lines = traceback.format_exception(type(cause), cause, tb)
    text = "".join(lines).replace(str(root) + "/", "")
    return f"{error.header}\n{text}"
