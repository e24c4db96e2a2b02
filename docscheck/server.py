"""A warm interpreter that chains of examples are forked from.

Started by ``docscheck.runner`` as ``python -m docscheck.server`` (a new interpreter, with the
environment a reader's ``python`` has), it runs the warm-up code once (for this site: import
torch and run one ``backward(gradient=...)``, which imports torch.fx and sympy), then forks one
process per request. Each forked process runs one chain of examples (``child.run_chain``) in
its own process group; the server kills the group when an example runs past its time limit or
prints more than its share, and when the process ends.

Why not ``multiprocessing``'s forkserver: its children import the parent's main script again
(pytest's or mkdocs' entry point) and take the parent's ``sys.path``, ``sys.argv`` and working
directory, so they neither start fast nor look like a reader's ``python snippets/x.py``.

Protocol, one JSON object per line. In: ``{"id": n, "timeouts": [seconds per example, ...],
"request": {...}}`` (see child.py). Out: ``{"event": "ready"}`` or ``{"event": "failed",
"message": ...}`` once, then ``{"event": "done", "id": n, "status": s, "timed_out": k,
"overflow": k}`` per request: ``s`` is the exit code or minus the signal number, ``k`` the
example that ran out of time or printed too much (``"exit"`` for the end of the chain), or
null. The server stops, killing what still runs, when its input closes.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import selectors
import signal
import sys
import time
import traceback
from typing import Any, BinaryIO

from docscheck import child  # imported before forking, so children start with it

MAX_TIMEOUT = 24 * 3600.0  # seconds; longer limits are cut to this
POLL = 0.25  # seconds between two looks at the size of what the examples printed


class _Running:
    def __init__(self, ident: int, pid: int, progress: int, capture: str,
                 timeouts: list[float]):
        self.id = ident
        self.pid = pid
        self.progress = progress
        self.capture = capture
        self.timeouts = [min(t, MAX_TIMEOUT) for t in timeouts] or [60.0]
        self.current: int | str = 0
        self.deadline = time.monotonic() + self.timeouts[0]
        self.printed_before = 0  # size of the capture when the current example started
        self.buffer = b""
        self.timed_out: int | str | None = None
        self.overflow: int | str | None = None

    def mark(self, mark: bytes) -> None:
        """The child says which example starts (or "exit" for the end of the chain)."""
        self.current = "exit" if mark == b"exit" else int(mark)
        limit = self.timeouts[-1] if self.current == "exit" else self.timeouts[int(self.current)]
        self.deadline = time.monotonic() + limit
        self.printed_before = self.printed()

    def printed(self) -> int:
        try:
            return os.stat(self.capture).st_size
        except OSError:
            return 0


def _fork(ident: int, request: dict[str, Any], timeouts: list[float], keep: list[int]) -> _Running:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 70
        try:
            os.setpgid(0, 0)
            os.close(read)
            for fd in keep:
                os.close(fd)
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            status = child.run_chain(request, write)
        except BaseException:  # noqa: BLE001 - an engine fault: report it on the real stderr
            try:
                os.write(2, traceback.format_exc().encode())
            finally:
                status = 70
        finally:
            os._exit(status)
    os.close(write)
    os.set_blocking(read, False)
    return _Running(ident, pid, read, request["capture"], timeouts)


def serve(requests: BinaryIO, events: BinaryIO, base_path: list[str]) -> None:
    def send(event: dict[str, Any]) -> None:
        events.write((json.dumps(event) + "\n").encode())
        events.flush()

    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    selector = selectors.DefaultSelector()
    selector.register(requests.fileno(), selectors.EVENT_READ, "requests")
    selector.register(wake_read, selectors.EVENT_READ, "wake")
    keep = [requests.fileno(), events.fileno(), wake_read, wake_write]
    running: dict[int, _Running] = {}
    pending = b""
    open_input = True
    try:
        while open_input or running:
            now = time.monotonic()
            wait = min([POLL, *(job.deadline - now for job in running.values())])
            for key, _ in selector.select(timeout=max(wait, 0)):
                if key.data == "requests":
                    data = os.read(key.fd, 1 << 16)
                    if not data:
                        open_input = False
                        selector.unregister(key.fd)
                        for job in running.values():
                            _kill(job.pid)
                        continue
                    pending += data
                    *lines, pending = pending.split(b"\n")
                    for line in lines:
                        message = json.loads(line)
                        message["request"]["sys_path"] = base_path
                        job = _fork(message["id"], message["request"], message["timeouts"], keep)
                        running[job.pid] = job
                        selector.register(job.progress, selectors.EVENT_READ, job)
                elif key.data == "wake":
                    os.read(wake_read, 1 << 12)
                else:
                    job = key.data
                    data = os.read(job.progress, 1 << 12)
                    if not data:
                        selector.unregister(job.progress)
                        continue
                    job.buffer += data
                    *marks, job.buffer = job.buffer.split(b"\n")
                    for mark in marks:
                        job.mark(mark)
            now = time.monotonic()
            for job in running.values():
                if job.timed_out is None and job.overflow is None:
                    if now >= job.deadline:
                        job.timed_out = job.current
                        _kill(job.pid)
                    elif job.printed() - job.printed_before > child.OUTPUT_LIMIT:
                        job.overflow = job.current
                        _kill(job.pid)
            _reap(running, selector, send)
    finally:
        for job in running.values():
            _kill(job.pid)


def _kill(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _reap(running: dict[int, _Running], selector: selectors.BaseSelector, send: Any) -> None:
    while running:
        # Find an ended child without reaping it: while it is a zombie its process group cannot
        # be reused, so killing the group (what the example started) hits nothing else.
        try:
            info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return
        if info is None:
            return
        _kill(info.si_pid)
        pid, status = os.waitpid(info.si_pid, 0)
        job = running.pop(pid, None)
        if job is None:
            continue
        try:
            selector.unregister(job.progress)
        except KeyError:
            pass
        os.close(job.progress)
        send({"event": "done", "id": job.id, "status": os.waitstatus_to_exitcode(status),
              "timed_out": job.timed_out, "overflow": job.overflow})


def _forget_warnings() -> None:
    """Forget which warnings the warm-up showed, so that an example shows them again."""
    import warnings

    for module in list(sys.modules.values()):
        registry = getattr(module, "__warningregistry__", None)
        if isinstance(registry, dict):
            registry.clear()
    warnings.onceregistry.clear()  # type: ignore[attr-defined]
    warnings._filters_mutated()  # type: ignore[attr-defined]


def main() -> None:
    settings = json.loads(sys.argv[1])
    for name in settings["unset"]:  # for this interpreter only, not for the examples
        os.environ.pop(name, None)
    # The protocol keeps file descriptors of its own; 0 and 1 then point elsewhere, so that
    # nothing the warm-up prints can corrupt it.
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    events = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(2, 1)
    base_path = sys.path[1:]  # sys.path[0] is the working directory of `python -m`
    started = time.perf_counter()
    try:
        exec(compile(settings["warmup"], "<docscheck warm-up>", "exec"),  # noqa: S102
             {"__name__": "__docscheck_warmup__"})
    except BaseException:  # noqa: BLE001 - reported to the engine, which names the setting
        events.write((json.dumps({"event": "failed", "message": traceback.format_exc()})
                      + "\n").encode())
        events.flush()
        sys.exit(1)
    sys.stdout.flush()
    ctypes.CDLL(None).fflush(None)  # nothing buffered by C code may reach a child's output
    _forget_warnings()
    gc.collect()
    gc.freeze()  # children then touch (and copy) fewer pages of the warm interpreter
    events.write((json.dumps({"event": "ready", "seconds": time.perf_counter() - started})
                  + "\n").encode())
    events.flush()
    serve(requests, events, base_path)
    events.close()
    os._exit(0)  # no teardown of the warm interpreter's modules: it only costs time


if __name__ == "__main__":
    main()
