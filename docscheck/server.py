"""A warm interpreter that runs of chains of examples are forked from.

Started by ``docscheck.runner`` as a new ``python`` running ``main`` (with the environment a
reader's ``python`` has, and the runner's engine: ``protocol.python_command``). That process
stays small: it is the *keeper*, which forks the warm interpreter, then only waits. The warm
interpreter runs the warm-up code once (for this site: import torch and run one
``backward(gradient=...)``), then forks one process per ``ChainRequest``: that process runs the
chain (``child.run_chain``), or, for a cold run, becomes a new ``python`` that does
(``child.cold_main``). Each runs in a session of its own on a pseudo-terminal of its own, whose
output the warm interpreter keeps, with what the run's process reports on a pipe (which
example starts, how each ended), and sends in the run's ``Done``.

No process outlives its run: the run's process ends what the examples left running (it is a
"subreaper": orphans become its children); when it is killed (a time limit, too much output),
what it started becomes the warm interpreter's, which kills it; when the warm interpreter ends
(its input closed: the runner is gone or done), the keeper kills what is left and, if the
runner is gone, removes the runner's files (the copies of the repository).

Why not ``multiprocessing``'s forkserver: its children import the parent's main script again
(pytest's or mkdocs' entry point) and take the parent's ``sys.path``, ``sys.argv`` and working
directory, so they neither start fast nor look like a reader's ``python snippets/x.py``.

Messages (``protocol``), one per line. In: ``ChainRequest``. Out: ``Ready`` or ``Failed``
once, then ``Done`` per request. The server stops, killing what still runs, when its input
closes.
"""

from __future__ import annotations

import atexit
import base64
import ctypes
import gc
import json
import os
import platform
import select
import selectors
import shutil
import signal
import sys
import time
import traceback
from collections.abc import Callable
from typing import BinaryIO

from docscheck import child, protocol  # imported before forking, so children start with them
from docscheck.protocol import ChainRequest, Done, EngineFault, Failed, Ready, Stage

POLL = 0.25  # seconds between two looks at the deadlines
# System calls that read a file descriptor (its number is their first argument).
_READS = {"x86_64": {0, 17, 19, 295}, "aarch64": {63, 65, 67, 69}}.get(platform.machine(), set())


class _Run:
    """One run under way: its process, its terminal, and where it is in its chain."""

    def __init__(self, request: ChainRequest, pid: int, progress: int, master: int, tty: str):
        self.request = request
        self.pid = pid
        self.progress = progress
        self.master = master
        self.tty = tty
        self.output = bytearray()  # what the terminal received
        self.reports: list[str] = []  # the messages the run's process wrote
        self.timeouts = [e.timeout for e in request.examples] or [60.0]
        self.stage: Stage = 0
        self.deadline = time.monotonic() + self.timeouts[0]
        self.printed_before = 0  # bytes the run had printed when its current stage started
        self.buffer = b""
        self.timed_out: Stage | None = None
        self.overflow: Stage | None = None
        self.waiting: Stage | None = None
        self.terminal_open = True

    @property
    def printed(self) -> int:
        return len(self.output)

    def progress_line(self, line: bytes) -> None:
        """A line from the run's process: a message (how an example ended), or which example
        starts (or "exit" for the end of the chain)."""
        if line.startswith(b"{"):
            self.reports.append(line.decode(errors="replace"))
            return
        if line != b"exit" and not line.isdigit():
            return  # (what an engine fault cut short)
        self.stage = "exit" if line == b"exit" else int(line)
        limit = self.timeouts[-1] if self.stage == "exit" else self.timeouts[int(self.stage)]
        self.deadline = time.monotonic() + limit
        self.printed_before = self.printed

    def read_progress(self) -> bool:
        """Read what the run's process wrote to its pipe; whether the pipe is still open."""
        while True:
            try:
                data = os.read(self.progress, 1 << 16)
            except BlockingIOError:
                return True
            if not data:
                return False
            self.buffer += data
            *lines, self.buffer = self.buffer.split(b"\n")
            for line in lines:
                self.progress_line(line)

    def copy_output(self) -> None:
        """Keep what is waiting on the terminal."""
        while self.terminal_open:
            try:
                data = os.read(self.master, 1 << 16)
            except BlockingIOError:
                return
            except OSError:  # EIO: no process has the terminal open any more
                data = b""
            if not data:
                self.terminal_open = False
                return
            self.output += data

    def done(self, status: int) -> Done:
        return Done(self.request.id, status, self.timed_out, self.overflow, self.waiting,
                    base64.b64encode(self.output).decode("ascii"), tuple(self.reports))


def _fork(request: ChainRequest, encoded: bytes, base_path: list[str], keep: list[int]) -> _Run:
    """The run of ``request`` (``encoded``: as it came) started, in a process of its own."""
    read, write = os.pipe()
    master, slave = child.open_terminal()
    tty = os.ttyname(slave)
    pid = os.fork()
    if pid == 0:  # the run's process: never returns
        try:
            for fd in (read, master, *keep):
                os.close(fd)
            signal.set_wakeup_fd(-1)
            for number in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM):
                signal.signal(number, signal.SIG_DFL)
            child.enter_terminal(slave)
            if request.cold:
                os.chdir(request.workdir)
                given = os.memfd_create("docscheck-request", 0)  # the request, for the new python
                child.write_all(given, encoded)
                os.lseek(given, 0, os.SEEK_SET)
                for fd in (given, write):
                    os.set_inheritable(fd, True)
                command = protocol.python_command("docscheck.child:cold_main", str(given), str(write),
                                                  json.dumps(base_path))
                os.execv(command[0], command)
            child.run_chain(request, base_path, write)
            os._exit(0)
        except BaseException:  # noqa: BLE001 - an engine fault: report it where the engine reads it
            fault = traceback.format_exc()
            try:
                # (on a line of its own: the fault may have cut a message short)
                child.write_all(write, b"\n" + protocol.encode(EngineFault(fault)))
            except BaseException:  # noqa: BLE001 - the example closed the pipe: its terminal, then
                os.write(2, fault.encode(errors="replace"))
            finally:
                os._exit(70)
    os.close(write)
    os.close(slave)
    os.set_blocking(read, False)
    os.set_blocking(master, False)
    return _Run(request, pid, read, master, tty)


def reads_terminal(pid: int, tty: str) -> bool:
    """Whether a thread of ``pid`` or of a process it started waits in a read of ``tty``."""
    for process in [pid, *child.descendants(pid)]:
        try:
            tasks = os.listdir(f"/proc/{process}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{process}/task/{task}/syscall") as f:
                    call = f.read().split()
                if len(call) > 1 and call[0].isdigit() and int(call[0]) in _READS and \
                        os.readlink(f"/proc/{process}/fd/{int(call[1], 16)}") == tty:
                    return True
            except (OSError, ValueError):
                continue
    return False


class _Serving:
    """The warm interpreter's loop: requests in, runs forked, their terminals copied, their
    limits watched, their ends reported."""

    def __init__(self, requests: BinaryIO, events: BinaryIO, base_path: list[str]):
        self.requests, self.events, self.base_path = requests, events, base_path
        self.wake_read, wake_write = os.pipe()
        os.set_blocking(wake_write, False)
        signal.set_wakeup_fd(wake_write)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        self.selector = selectors.DefaultSelector()
        self.selector.register(requests.fileno(), selectors.EVENT_READ, "requests")
        self.selector.register(self.wake_read, selectors.EVENT_READ, "wake")
        self.keep = [requests.fileno(), events.fileno(), self.wake_read, wake_write]
        self.own = set(child.children(os.getpid()))  # what the warm-up started (if anything)
        self.running: dict[int, _Run] = {}
        self.pending = b""
        self.open_input = True

    def send(self, message: protocol.Message) -> None:
        self.events.write(protocol.encode(message))
        self.events.flush()

    def loop(self) -> None:
        try:
            while self.open_input or self.running:
                now = time.monotonic()
                wait = min([POLL, *(run.deadline - now for run in self.running.values())])
                events = self.selector.select(timeout=max(wait, 0))
                ended = not events  # a child that ended signals it (SIGCHLD): look at least
                for key, _ in events:  # every POLL seconds all the same
                    if key.data == "requests":
                        self.read_requests()
                    elif key.data == "wake":
                        os.read(self.wake_read, 1 << 12)
                        ended = True
                    elif key.data[0] == "terminal":
                        self.copy_terminal(key.data[1])
                    else:
                        self.read_progress(key.data[1])
                self.watch_limits()
                if ended:
                    _reap(self.running, self.selector, self.send, self.own)
        finally:
            for run in self.running.values():
                _kill(run.pid)
            _end_strays(self.own)

    def read_requests(self) -> None:
        data = os.read(self.requests.fileno(), 1 << 16)
        if not data:  # the runner is done, or gone: stop what runs
            self.open_input = False
            self.selector.unregister(self.requests.fileno())
            for run in self.running.values():
                _kill(run.pid)
            return
        self.pending += data
        *lines, self.pending = self.pending.split(b"\n")
        for line in lines:
            request = protocol.decode(line)
            assert isinstance(request, ChainRequest)
            run = _fork(request, line, self.base_path, self.keep)
            self.running[run.pid] = run
            self.selector.register(run.progress, selectors.EVENT_READ, ("progress", run))
            self.selector.register(run.master, selectors.EVENT_READ, ("terminal", run))

    def copy_terminal(self, run: _Run) -> None:
        run.copy_output()
        if not run.terminal_open:
            self.selector.unregister(run.master)

    def read_progress(self, run: _Run) -> None:
        if not run.read_progress():
            self.selector.unregister(run.progress)

    def watch_limits(self) -> None:
        """Stop the runs past their time limit (noting those waiting for input) or their
        share of output."""
        now = time.monotonic()
        for run in self.running.values():
            if run.timed_out is not None or run.overflow is not None:
                continue
            if now >= run.deadline:
                run.timed_out = run.stage
                if reads_terminal(run.pid, run.tty):
                    run.waiting = run.stage
                _kill(run.pid)
            elif run.printed - run.printed_before > child.OUTPUT_LIMIT:
                run.overflow = run.stage
                _kill(run.pid)


def serve(requests: BinaryIO, events: BinaryIO, base_path: list[str]) -> None:
    _Serving(requests, events, base_path).loop()


def _kill(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _end_strays(own: set[int]) -> None:
    """Kill the processes that became this one's when a run's process died (what a killed run
    had started), and theirs."""
    for _ in range(1000):
        strays = [p for p in child.children(os.getpid()) if p not in own]
        if not strays:
            return
        for pid in strays:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in strays:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def _reap(running: dict[int, _Run], selector: selectors.BaseSelector,
          send: Callable[[protocol.Message], None], own: set[int]) -> None:
    while running:
        # Find an ended child without reaping it: while it is a zombie its process group cannot
        # be reused, so killing the group (what the run started in it) hits nothing else.
        try:
            info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return
        if info is None:
            return
        _kill(info.si_pid)
        pid, status = os.waitpid(info.si_pid, 0)
        run = running.pop(pid, None)
        if run is None:
            continue
        _end_strays(own | set(running))
        for fd in (run.progress, run.master):
            try:
                selector.unregister(fd)
            except KeyError:
                pass
        # Every process that had the terminal open is gone: what it holds is the run's last.
        while run.terminal_open and select.select([run.master], [], [], 2.0)[0]:
            run.copy_output()
        run.read_progress()  # and what it wrote to its pipe
        for fd in (run.progress, run.master):
            os.close(fd)
        send(run.done(os.waitstatus_to_exitcode(status)))


def _forget_warnings() -> None:
    """Forget which warnings the warm-up showed, so that an example shows them again."""
    import warnings

    for module in list(sys.modules.values()):
        registry = getattr(module, "__warningregistry__", None)
        if isinstance(registry, dict):
            registry.clear()
    warnings.onceregistry.clear()  # type: ignore[attr-defined]
    warnings._filters_mutated()  # type: ignore[attr-defined]


_HUGE = 1 << 21  # bytes in a huge page (x86-64, aarch64 with 4 KiB pages)
_MADV_HUGEPAGE, _MADV_COLLAPSE = 14, 25


def _huge_pages() -> None:
    """Move the warm interpreter's heap (its private writable memory not backed by a file) to
    huge pages where the kernel can (``MADV_COLLAPSE``, Linux 6.1 or later; elsewhere nothing
    changes): forking it then copies, and ending a fork frees, one page-table entry per 2 MiB
    instead of 512 (about a fifth of the CPU time of a trivial example's run). The memory
    stays where it is, so the examples see the same addresses."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    with open("/proc/self/maps") as f:
        regions = [line.split() for line in f]
    for fields in regions:
        if fields[1] != "rw-p" or (len(fields) > 5 and fields[5] != "[heap]"):
            continue
        low, high = (int(x, 16) for x in fields[0].split("-"))
        low = -(-low // _HUGE) * _HUGE  # the whole huge pages inside the region
        high = high // _HUGE * _HUGE
        if high > low:
            libc.madvise(low, high - low, _MADV_HUGEPAGE)
            libc.madvise(low, high - low, _MADV_COLLAPSE)


def _keep(warm: int, parent: int, run_files: str | None) -> None:
    """The keeper: wait for the warm interpreter, reaping what becomes this process's; when it
    ends, kill what is left, remove the run files if the runner is gone, and exit as it did."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C ends the warm interpreter, then this
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)  # the runner's pipes are the warm interpreter's alone
    status = 1
    while True:
        try:
            pid, ended = os.wait()
        except ChildProcessError:
            break
        if pid == warm:
            status = os.waitstatus_to_exitcode(ended)
            child.end_descendants()
            break
    if run_files and os.getppid() != parent:
        shutil.rmtree(run_files, ignore_errors=True)
    os._exit(status if status >= 0 else 128 - status)


def main() -> None:
    settings = json.loads(sys.argv[1])
    child.prctl(36, 1)  # PR_SET_CHILD_SUBREAPER: orphans of what runs below come to this process
    parent = os.getppid()
    warm = os.fork()
    if warm:
        _keep(warm, parent, settings.get("run_files"))
    child.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: the warm interpreter dies with its keeper
    child.prctl(36, 1)
    for name in settings["unset"]:  # for this interpreter only, not for the examples
        os.environ.pop(name, None)
    # The protocol keeps file descriptors of its own; 0 and 1 then point elsewhere, so that
    # nothing the warm-up prints can corrupt it.
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    events = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(2, 1)
    base_path = sys.path[1:]  # sys.path[0] is the working directory of `python -c`
    try:
        exec(compile(settings["warmup"], "<docscheck warm-up>", "exec"),  # noqa: S102
             {"__name__": "__docscheck_warmup__"})
    except BaseException:  # noqa: BLE001 - reported to the engine, which names the setting
        events.write(protocol.encode(Failed(traceback.format_exc())))
        events.flush()
        os._exit(1)
    sys.stdout.flush()
    ctypes.CDLL(None).fflush(None)  # nothing buffered by C code may reach a child's output
    _forget_warnings()
    atexit._clear()  # type: ignore[attr-defined] # never run (os._exit): forgotten once, not per run
    gc.collect()
    gc.freeze()  # children then touch (and copy) fewer pages of the warm interpreter
    _huge_pages()
    events.write(protocol.encode(Ready()))
    events.flush()
    serve(requests, events, base_path)
    events.close()
    os._exit(0)  # no teardown of the warm interpreter's modules: it only costs time


if __name__ == "__main__":
    main()
