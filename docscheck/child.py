"""What runs inside the process of one run of a chain of examples (see server.py).

The process is set up as ``python snippets/<page>/<x>.py`` would be, run from the root of a
fresh clone: its working directory is a private copy of the repository (``workdir.py``),
``__name__ == "__main__"`` in a fresh ``__main__`` module, ``sys.argv``, ``sys.path[0]`` and
``__file__`` of such a run, fresh random seeds for ``random``, NumPy and torch. Its stdin, stdout
and stderr are a terminal of its own (a pseudo-terminal of ``COLUMNS`` x ``ROWS``, made by the
server), so ``isatty()``, the terminal size, buffering and the order of stdout and stderr are a
terminal's; reading from it fails as "the example waits for input" (nobody types).

Code is compiled with the file names and line numbers it was written at, so tracebacks and
warnings name ``snippets/<page>/<x>.py:<line>``, or the page line for code written in the page.
Consecutive statements from one file are compiled together, and ``from __future__`` imports
apply to the rest of the chain, as they would to the rest of a script.

After each example the child writes a mark to the terminal (``protocol.mark``), invisible in a
terminal and unguessable by the example, and its ``ExampleResult`` to the run's pipe to the
server; what comes after the last mark is what the exit printed. At the end of the chain the process
exits as a reader's interpreter does: threads are joined, the example's exit handlers run, its
modules' globals are cleared (finalizers, unfinished generators); a process forked from a warm
interpreter emulates this (the warm-up's exit handlers are dropped), a cold run (``cold_main``)
really exits. Every process the examples started and left running is then killed and named in
the ``ExitResult``.
"""

from __future__ import annotations
import __future__

import ast
import atexit
import builtins
import ctypes
import fcntl
import gc
import io
import os
import random
import signal
import struct
import sys
import termios
import threading
import time
import traceback
import types
from typing import Any, NoReturn

from . import protocol
from .protocol import BadSyntax, ChainRequest, ExampleResult, ExitResult, Problem

# An example that prints more than this is stopped (by the server, which counts what it prints).
OUTPUT_LIMIT = 8 * 1024 * 1024
COLUMNS, ROWS = 80, 24  # the examples' terminal
_IOLBF = 1  # setvbuf's mode for line buffering (glibc, musl)
_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
_libc = ctypes.CDLL(None, use_errno=True)
# Looked up when the module is imported, before any fork, rather than in every run.
_setvbuf, _malloc, _fflush = _libc.setvbuf, _libc.malloc, _libc.fflush
_C_STDOUT = ctypes.c_void_p.in_dll(_libc, "stdout")


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd`` (a pipe takes a long message in parts)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def prctl(option: int, value: int) -> None:
    if _libc.prctl(option, value, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), f"prctl({option}) failed")


def open_terminal() -> tuple[int, int]:
    """A pseudo-terminal (master, slave) of ``COLUMNS`` x ``ROWS`` that passes output on as
    written ("\\n", not "\\r\\n")."""
    master, slave = os.openpty()
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.OPOST
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    return master, slave


def enter_terminal(slave: int) -> None:
    """Make this (new) process the leader of a session of its own whose controlling terminal
    is ``slave``, on file descriptors 0, 1 and 2; it and what it starts die with their parent."""
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    for fd in (0, 1, 2):
        os.dup2(slave, fd)
    if slave > 2:
        os.close(slave)
    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    # Orphans of what the examples start (a double fork, a new session) become this process's
    # children, so that it can find and end them.
    prctl(_PR_SET_CHILD_SUBREAPER, 1)


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (of each of its threads)."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(p) for p in f.read().split()]
        except OSError:
            pass
    return found


def descendants(pid: int) -> list[int]:
    """The processes ``pid`` started, and theirs, down to the last."""
    found: list[int] = []
    stack = children(pid)
    while stack:
        process = stack.pop()
        found.append(process)
        stack += children(process)
    return found


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rpartition(")")[2].split()[0] not in ("Z", "X")
    except OSError:
        return False


def command_line(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            words = f.read().rstrip(b"\0").split(b"\0")
    except OSError:
        return f"process {pid}"
    text = " ".join(w.decode("utf-8", "replace") for w in words if w)
    return text[:200] or f"process {pid}"


def end_descendants() -> tuple[str, ...]:
    """Kill every process this one started (and their children, and the orphans that became
    its own): the command lines of those that were still running."""
    named: dict[int, str] = {}
    own = None
    for _ in range(1000):
        found = descendants(os.getpid())
        if not found:
            break
        own = own or command_line(os.getpid())
        for pid in found:
            if pid not in named and _running(pid):
                line = command_line(pid)
                named[pid] = ("a copy of the example's own process (os.fork)" if line == own
                              else line)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.001)  # SIGKILL takes effect when the process is next scheduled
        while True:  # reap what ended (and what became ours as its parent died)
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break
    return tuple(named.values())


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
    whole = _compile_whole(code, origins, root, flags)
    if whole is not None:
        return [whole], flags
    return _compile_parts(code, origins, root, flags, first)


def _compile_parts(code: str, origins: list[list[Any]], root: str, flags: int,
                   first: bool) -> tuple[list[types.CodeType], int]:
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




def _compile_whole(code: str, origins: list[list[Any]], root: str,
                   flags: int) -> types.CodeType | None:
    """The common case in one compile: code from one file, on consecutive lines, with no
    ``__future__`` import (which needs the checks of ``compile_example``), compiled after as
    many blank lines as come before it in its file. None if that is not the case, or if the
    code does not compile (``compile_example`` then says where, at the line of the file)."""
    if not origins or "__future__" in code or "\r" in code or code.count("\n") > len(origins):
        return None
    path, start = str(origins[0][0]), int(origins[0][1])
    if start < 1 or any(str(p) != path or int(n) != start + i for i, (p, n) in enumerate(origins)):
        return None
    try:
        compiled: types.CodeType = compile("\n" * (start - 1) + code, os.path.join(root, path)
                                           if root else path, "exec", flags=flags,
                                           dont_inherit=True)
    except SyntaxError:
        return None
    return compiled


def _printed_name(kind: type) -> str:
    module = kind.__module__
    return kind.__qualname__ if module in ("builtins", "__main__") else f"{module}.{kind.__qualname__}"


def describe(error: BaseException, files: set[str]) -> Problem:
    """The exception as the structured value the engine compares."""
    kind = type(error)
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename not in files:
        tb = tb.tb_next
    return Problem(
        type=_printed_name(kind),
        names=tuple(sorted({kind.__name__, kind.__qualname__, _printed_name(kind),
                            f"{kind.__module__}.{kind.__qualname__}"})),
        message=_as_stderr("".join(traceback.format_exception_only(kind, error))),
        traceback=_as_stderr("".join(traceback.format_exception(kind, error, tb))),
    )


def _as_stderr(text: str) -> str:
    """``text`` as stderr prints it: characters UTF-8 cannot encode are backslash-escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8").rstrip("\n")


class WaitsForInput(BaseException):
    """The example read from its terminal: a reader's script would wait there for typing."""


def _no_input(*_: object) -> NoReturn:
    raise WaitsForInput


class _TerminalInputBuffer(io.BufferedReader):
    read = read1 = peek = readline = readlines = readinto = readinto1 = _no_input  # type: ignore


class _TerminalInput(io.TextIOWrapper):
    read = readline = readlines = _no_input  # type: ignore[assignment]

    def __next__(self) -> str:  # type: ignore[override]
        raise WaitsForInput


def _input(prompt: object = "") -> str:
    """``input()``: shows its prompt as a terminal would, then finds nobody typing."""
    sys.stdout.write(str(prompt))
    sys.stdout.flush()
    raise WaitsForInput


def _stdin() -> io.TextIOWrapper:
    raw = io.FileIO(0, "r", closefd=False)
    raw.name = "<stdin>"  # type: ignore[misc]
    return _TerminalInput(_TerminalInputBuffer(raw), encoding="utf-8", line_buffering=True)


def _streams() -> None:
    """sys.stdin, stdout and stderr as a new interpreter makes them on a terminal."""
    streams: dict[str, io.TextIOWrapper] = {"stdin": _stdin()}
    for fd, name in ((1, "stdout"), (2, "stderr")):
        raw = io.FileIO(fd, "w", closefd=False)
        raw.name = f"<{name}>"  # type: ignore[misc]
        streams[name] = io.TextIOWrapper(
            io.BufferedWriter(raw), encoding="utf-8",
            errors="strict" if name == "stdout" else "backslashreplace", line_buffering=True)
    for name, stream in streams.items():  # sys.__stdout__ is sys.stdout in a new interpreter
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)
    # C's stdout on a terminal is line-buffered (the warm interpreter's was decided elsewhere).
    _setvbuf(_C_STDOUT, None, _IOLBF, 0)


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
        # The whole state of NumPy's global generator from the operating system's entropy
        # (numpy.random.seed() derives one through a SeedSequence, which takes a third of a
        # millisecond more in a fork).
        import numpy

        key = numpy.frombuffer(os.urandom(624 * 4), dtype=numpy.uint32)
        numpy_random.set_state(("MT19937", key, 624))
    torch = sys.modules.get("torch")
    if torch is not None:
        # What torch does at start-up for the CPU (torch.seed() would also look for GPUs).
        torch.default_generator.seed()


def _perturb_memory() -> list[object]:
    """Allocate a random amount, so that objects of two runs live at different addresses
    (a printed ``id()`` or ``<object at 0x...>`` then differs between them). The large block
    comes from C's allocator, as a large Python object's would, and is never written to: it
    moves the addresses of what is allocated after it without touching (and copying) pages
    of the warm interpreter's memory."""
    keep: list[object] = [object() for _ in range(random.randrange(1, 4096))]
    _malloc(random.randrange(1, 1 << 20))  # never freed: the process ends first
    return keep


def _flush() -> None:
    """Flush Python's and C's buffers."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001, S110 - a replaced or closed stream: nothing to flush
            pass
    _fflush(None)


def _exit_like_python(before: _Before, workdir: str) -> None:
    """What a reader's interpreter does when the script ends: wait for threads, run the exit
    handlers, drop the modules as Python does (``__main__``, then the script's own from the
    repository, in the order of ``sys.modules``), collect garbage. Errors are printed as Python
    prints them.

    Python sets each module's entry of ``sys.modules`` to None: a module nothing else holds is
    freed then, and its globals with it, in the order they were made; the globals of one in a
    reference cycle (a function or class defined in it refers to them) go at the collection
    that follows. Here the same happens to the same objects, so the finalizers run in the same
    order. (Python's "one leading underscore first" clearing comes after that, and only for a
    module something outside the script still holds; the engine does not copy it.)"""
    try:
        if threading.active_count() > 1:
            threading._shutdown()  # type: ignore[attr-defined]
    except BaseException:  # noqa: BLE001 - Python prints it and goes on
        traceback.print_exc()
    atexit._run_exitfuncs()
    before.library_exit()
    _flush()
    added = list(sys.modules)[before.modules:]
    own = [name for name in added if isinstance(sys.modules[name], types.ModuleType)
           and str(getattr(sys.modules[name], "__file__", None) or "").startswith(workdir + os.sep)]
    for name in ["__main__", *own]:
        sys.modules[name] = None  # type: ignore[assignment]
    gc.collect()
    _flush()


class _Before:
    """What the warm interpreter had when the run's process was forked: the exit handlers of
    the standard library that end what an example may leave behind run only if the example
    gave them something to do."""

    def __init__(self) -> None:
        atexit._clear()  # the warm-up's exit handlers are not the example's (and may print)
        # What the warm interpreter made after its warm-up (its own state, forked along) is not
        # the example's garbage either: the collections of the run (and the one at its exit)
        # look only at what the run makes, as the warm-up's objects are frozen.
        gc.freeze()
        # (a count, not a copy: copying would touch every module name, a page fault each)
        self.modules = len(sys.modules)
        self.finalizers = self._finalizers()
        self.processes = self._processes()
        self.log_handlers = self._log_handlers()

    @staticmethod
    def _finalizers() -> int:
        import weakref

        return len(getattr(weakref.finalize, "_registry", ()))

    @staticmethod
    def _processes() -> int:
        util = sys.modules.get("multiprocessing.util")
        process = sys.modules.get("multiprocessing.process")
        if util is None or process is None:
            return 0
        return len(process._children) + len(util._finalizer_registry)

    @staticmethod
    def _log_handlers() -> int:
        logging = sys.modules.get("logging")
        return 0 if logging is None else len(logging._handlerList)

    def library_exit(self) -> None:
        """What the standard library's exit handlers (registered when a reader's script
        imported those modules, so run after the example's own) would do here."""
        import weakref

        if self._finalizers() > self.finalizers:  # temporary folders' clean-up, say
            weakref.finalize._exitfunc()  # type: ignore[attr-defined]
        if self._processes() > self.processes:  # worker processes
            sys.modules["multiprocessing.util"]._exit_function()
        if self._log_handlers() > self.log_handlers:
            sys.modules["logging"].shutdown()


def _where(error: BaseException, files: set[str], workdir: str) -> str:
    """The example's line that was running when ``error`` was raised."""
    place = ""
    for frame, line in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename in files:
            place = f"{os.path.relpath(frame.f_code.co_filename, workdir)}:{line}"
    return place


def run_chain(request: ChainRequest, base_path: list[str], progress: int, *,
              cold: bool = False) -> None:
    """Run the examples of ``request`` in this process, whose fds 0-2 are its terminal;
    ``progress`` is its pipe to the server (which example starts, how each ended)."""
    terminal = os.dup(1)  # for the marks: an example may move 1 and 2 elsewhere

    def report(message: protocol.Message, then: str = "") -> None:
        write_all(progress, protocol.encode(message) + then.encode())

    before = None if cold else _Before()
    if not cold:
        _streams()
    else:
        sys.stdin = _stdin()
        setattr(sys, "__stdin__", sys.stdin)  # noqa: B010 - a new interpreter's is the same
    builtins.input = _input
    workdir = request.workdir
    os.chdir(workdir)
    main_file = os.path.join(workdir, request.argv0)
    sys.argv = [request.argv0]
    sys.path[:] = [os.path.dirname(main_file), *base_path]
    keep = [] if cold else _perturb_memory()
    if not cold:
        _reseed()
    namespace = _fresh_main(main_file)
    flags = 0
    os.write(progress, b"0\n")
    for index, example in enumerate(request.examples):
        result, flags = _run_example(example, index, namespace, workdir, flags)
        _flush()
        os.write(terminal, protocol.mark(request.token, index))
        raised = result.raised
        if result.syntax or result.exit_code is not None or result.interrupt \
                or result.waits_for_input or (raised and (example.raises is None
                                                          or example.raises not in raised.names)):
            report(result)
            return  # the chain stops where a reader's script would
        # How the example ended and what starts now, in one message to the server.
        report(result, f"{index + 1}\n" if index + 1 < len(request.examples) else "exit\n")
    if cold:  # the interpreter's own exit follows; this handler runs after the example's
        atexit.register(lambda: report(ExitResult(left_running=end_descendants())))
        return
    assert before is not None
    del namespace  # __main__'s globals go as Python drops the module: nothing here keeps them
    _exit_like_python(before, workdir)
    report(ExitResult(left_running=end_descendants()))
    del keep


def _run_example(example: protocol.ExampleCode, index: int, namespace: dict[str, Any],
                 workdir: str, flags: int) -> tuple[ExampleResult, int]:
    try:
        code, flags = compile_example(example.code, [list(o) for o in example.origins],
                                      workdir, flags, first=index == 0)
    except SyntaxError as e:
        path = e.filename or ""
        if os.path.isabs(path):
            path = os.path.relpath(path, workdir)
        return ExampleResult(index, syntax=BadSyntax(
            path, e.lineno or 0, e.msg, (e.text or "").rstrip("\n"))), flags
    files = {c.co_filename for c in code}
    try:
        for part in code:
            exec(part, namespace)  # noqa: S102 - running the examples is the point
    except SystemExit as e:
        return ExampleResult(index, exit_code=repr(e.code)), flags
    except WaitsForInput as e:
        return ExampleResult(index, waits_for_input=_where(e, files, workdir) or "?"), flags
    except KeyboardInterrupt as e:
        return ExampleResult(index, interrupt=describe(e, files)), flags
    except BaseException as e:  # noqa: BLE001 - every exception is the example's result
        return ExampleResult(index, raised=describe(e, files)), flags
    return ExampleResult(index), flags


def cold_main() -> None:
    """A cold run: a new interpreter on the run's terminal calling this with ``sys.argv[1:]`` =
    REQUEST_FD PROGRESS_FD BASE_PATH_JSON (``protocol.python_command``); the request is read from
    the file descriptor, which is then closed."""
    import json

    with open(int(sys.argv[1]), encoding="utf-8") as f:
        request = protocol.decode(f.read())
    assert isinstance(request, ChainRequest)
    progress = int(sys.argv[2])
    base_path = json.loads(sys.argv[3])
    prctl(_PR_SET_CHILD_SUBREAPER, 1)
    run_chain(request, base_path, progress, cold=True)
