"""What runs inside the process forked for one chain of examples (see server.py).

The process is set up as ``python snippets/<page>/<x>.py`` would be, run from the root:
``__name__ == "__main__"`` in a fresh ``__main__`` module, ``sys.argv``, ``sys.path[0]`` and the
working directory of such a run, fresh random seeds for ``random``, NumPy and torch, and stdout
and stderr on one file (file descriptors 1 and 2), line-buffered as in a terminal, so that
output, warnings and C-level writes land in the order a terminal shows them.

Code is compiled with the file names and line numbers it was written at, so tracebacks and
warnings name ``snippets/<page>/<x>.py:<line>``, or the page line for code written in the page
(the engine shows paths under the root relative to it). Consecutive statements from one file
are compiled together, and ``from __future__`` imports apply to the rest of the chain, as they
would to the rest of a script. C code's ``stdout`` is line-buffered, as in a terminal.

Results go to a JSON-lines file, one line per example, with where its output ends in the
capture file; the output itself is read from that file by the engine.
"""

from __future__ import annotations
import __future__

import ast
import atexit
import builtins
import ctypes
import io
import json
import os
import random
import sys
import threading
import traceback
import types
from typing import Any

# An example that prints more than this is stopped (by the server, which watches the size).
OUTPUT_LIMIT = 8 * 1024 * 1024
_IOLBF = 1  # setvbuf's mode for line buffering (glibc, musl)
_libc = ctypes.CDLL(None)


def _origin(origins: list[list[Any]], line: int) -> tuple[str, int]:
    index = min(max(line, 1), len(origins)) - 1
    path, number = origins[index]
    return str(path), int(number)


def _is_future(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"


def compile_example(code: str, origins: list[list[Any]], root: str = "",
                    flags: int = 0, first: bool = True) -> tuple[list[types.CodeType], int]:
    """Code objects for ``code``, one per run of consecutive statements from the same file,
    and the ``__future__`` flags in force after it (``flags``: those in force before;
    ``first``: whether the code begins its chain, the only place a ``__future__`` import may be).

    File names are ``root`` joined with the origin's path, as Python names a script run from
    ``root``. Raises SyntaxError with the file name and line the bad line came from, also for
    what would not compile in the code as shown, all of it at once (a ``__future__`` import
    after other code, a ``global`` after a use).
    """
    try:
        tree = ast.parse(code, filename="<example>")
        # Shown as one block, the code must compile as one; its parts are compiled apart below.
        compile(code, "<example>", "exec", flags=flags, dont_inherit=True)
        if not first:
            later = next((s for s in tree.body if _is_future(s)), None)
            if later is not None:
                raise SyntaxError("from __future__ imports must occur at the beginning of the "
                                  "file (this block continues the code above it)",
                                  ("<example>", later.lineno, later.col_offset + 1, ""))
    except SyntaxError as e:
        path, line = _origin(origins, e.lineno or 1)
        e.filename, e.lineno = path, line
        if e.end_lineno is not None:
            e.end_lineno = line
        raise
    for stmt in tree.body:
        if _is_future(stmt):
            assert isinstance(stmt, ast.ImportFrom)
            for alias in stmt.names:
                feature = getattr(__future__, alias.name, None)
                flags |= getattr(feature, "compiler_flag", 0)
        elif not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)):
            break
    groups: list[tuple[str, list[ast.stmt]]] = []
    for stmt in tree.body:
        path = _origin(origins, stmt.lineno)[0]
        end_path = _origin(origins, stmt.end_lineno or stmt.lineno)[0]
        if end_path != path:
            raise SyntaxError(f"this statement continues in {end_path}; keep each statement in "
                              "one file", (path, _origin(origins, stmt.lineno)[1], 0, ""))
        if groups and groups[-1][0] == path:
            groups[-1][1].append(stmt)
        else:
            groups.append((path, [stmt]))
    compiled = []
    for path, body in groups:
        module = ast.Module(body=body, type_ignores=[])
        for node in ast.walk(module):
            if isinstance(getattr(node, "lineno", None), int):
                node.lineno = _origin(origins, node.lineno)[1]  # type: ignore[attr-defined]
                end = getattr(node, "end_lineno", None)
                node.end_lineno = (  # type: ignore[attr-defined]
                    _origin(origins, end)[1] if end else node.lineno)  # type: ignore[attr-defined]
        filename = os.path.join(root, path) if root else path
        compiled.append(compile(module, filename, "exec", flags=flags, dont_inherit=True))
    return compiled, flags


def _printed_name(kind: type) -> str:
    module = kind.__module__
    return kind.__qualname__ if module in ("builtins", "__main__") else f"{module}.{kind.__qualname__}"


def describe(error: BaseException, files: set[str]) -> dict[str, Any]:
    """The exception as the structured value the engine compares."""
    kind = type(error)
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename not in files:
        tb = tb.tb_next
    return {
        "type": _printed_name(kind),
        "names": sorted({kind.__name__, kind.__qualname__, _printed_name(kind),
                         f"{kind.__module__}.{kind.__qualname__}"}),
        "message": _as_stderr("".join(traceback.format_exception_only(kind, error))),
        "traceback": _as_stderr("".join(traceback.format_exception(kind, error, tb))),
    }


def _as_stderr(text: str) -> str:
    """``text`` as stderr prints it: characters UTF-8 cannot encode are backslash-escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8").rstrip("\n")


def _fresh_main(path: str) -> dict[str, Any]:
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__builtins__ = builtins  # type: ignore[attr-defined]
    main.__cached__ = None  # type: ignore[attr-defined]
    main.__loader__ = None
    main.__spec__ = None
    sys.modules["__main__"] = main
    return main.__dict__


def _reseed() -> None:
    """New random seeds from the operating system, as a new interpreter would have."""
    random.seed()
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None:
        numpy_random.seed()
    torch = sys.modules.get("torch")
    if torch is not None:
        # What torch does at start-up for the CPU (torch.seed() would also look for GPUs).
        torch.default_generator.seed()


def _perturb_memory() -> list[object]:
    """Allocate a random amount, so that objects of the two runs live at different addresses
    (a printed ``id()`` or ``<object at 0x...>`` then differs between them)."""
    keep: list[object] = [object() for _ in range(random.randrange(1, 4096))]
    keep.append(bytearray(random.randrange(1, 1 << 20)))
    return keep


def _streams(capture: str) -> int:
    """Point stdout and stderr at the capture file; return a descriptor of the file of its own
    (an example may move 1 and 2 elsewhere, the engine still finds what was printed)."""
    fd = os.open(capture, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    streams = {
        "stdin": io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)),
                                  encoding="utf-8"),
        "stdout": io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)),
                                   encoding="utf-8", errors="strict", line_buffering=True),
        "stderr": io.TextIOWrapper(io.BufferedWriter(io.FileIO(2, "w", closefd=False)),
                                   encoding="utf-8", errors="backslashreplace",
                                   line_buffering=True),
    }
    for name, stream in streams.items():  # sys.__stdout__ is sys.stdout in a new interpreter
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)
    # C's stdout on a terminal is line-buffered; on a file it would wait for the exit.
    _libc.setvbuf(ctypes.c_void_p.in_dll(_libc, "stdout"), None, _IOLBF, 0)
    return fd


def _flush(capture: int) -> int:
    """Flush Python's and C's buffers; return where the output now ends in the capture file."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001, S110 - a replaced or closed stream: nothing to flush
            pass
    _libc.fflush(None)
    return os.fstat(capture).st_size


def run_chain(request: dict[str, Any], progress: int) -> int:
    """Run the examples of ``request`` in this process; returns the exit status for it."""
    results = open(request["results"], "w", encoding="utf-8")  # noqa: SIM115 - kept to the end

    def report(record: dict[str, Any]) -> None:
        results.write(json.dumps(record) + "\n")
        results.flush()

    capture = _streams(request["capture"])
    root = request["root"]
    os.chdir(root)
    sys.argv = [request["argv0"]]
    sys.path[:] = [request["path0"], *request["sys_path"]]
    _reseed()
    keep = _perturb_memory()
    namespace = _fresh_main(request["file"])
    exit_handlers = atexit._ncallbacks()  # those of the warm interpreter's modules
    flags = 0
    for index, example in enumerate(request["examples"]):
        os.write(progress, f"{index}\n".encode())
        record: dict[str, Any] = {"index": index}
        try:
            code, flags = compile_example(example["code"], example["origins"], root, flags,
                                          first=index == 0)
            files = {c.co_filename for c in code}
        except SyntaxError as e:
            record["syntax"] = {"path": e.filename, "line": e.lineno, "message": e.msg,
                                "text": (e.text or "").rstrip("\n")}
            record["end"] = _flush(capture)
            report(record)
            return 0
        try:
            for part in code:
                exec(part, namespace)  # noqa: S102 - running the examples is the point
        except SystemExit as e:
            record["exit"] = {"code": repr(e.code)}
        except KeyboardInterrupt as e:
            record["interrupt"] = describe(e, files)
        except BaseException as e:  # noqa: BLE001 - every exception is the example's result
            record["raised"] = describe(e, files)
        record["end"] = _flush(capture)
        report(record)
        expected = example.get("raises")
        raised = record.get("raised")
        if set(record) - {"index", "end", "raised"} or (
                raised and (expected is None or expected not in raised["names"])):
            return 0  # the chain stops where a reader's script would
    # What a reader's interpreter does at the end: wait for threads, then run exit handlers.
    # The handlers of the warm interpreter's modules (torch's) print nothing and take ~30 ms,
    # so they run only when an example registered one of its own.
    os.write(progress, b"exit\n")
    try:
        if threading.active_count() > 1:
            threading._shutdown()  # type: ignore[attr-defined]
        if atexit._ncallbacks() > exit_handlers:
            atexit._run_exitfuncs()
    except BaseException as e:  # noqa: BLE001
        report({"index": "exit", "raised": describe(e, set())})
    report({"index": "exit", "end": _flush(capture)})
    del keep
    return 0
