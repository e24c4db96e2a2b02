"""Run chains of examples in processes forked from warm interpreters, in parallel.

``Runner`` owns two warm interpreters (``docscheck.server``), started independently so that
each has its own address-space layout, string hash seed and library state, as two readers'
interpreters would; a chain's first run is forked from one and its second from the other, never
at the same time. At most ``jobs`` runs are under way at once. A run of a chain returns one
``ExampleRun`` per example: what it printed (stdout and stderr in one stream), the exception it
raised, or the fault that stopped it (a time limit, an exit, a crash, output after its last
statement).
"""

from __future__ import annotations

import dataclasses
import json
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import child

if TYPE_CHECKING:
    from .page import Example

DEFAULT_TIMEOUT = 60.0
TAB_SIZE = 8  # a terminal's tab stops: printed tabs are shown as the spaces it shows
# A warning raised in torch's C++ code ends with the place in torch's sources that raised it, a
# path on the machine that built that torch ("/__w/pytorch/pytorch/...TensorBody.h:493"):
# different in every build of torch, so pages show it as an ellipsis.
BUILD_LOCATION = re.compile(r"\(Triggered internally at [^()\n]+:\d+\.\)")
BUILD_PLACEHOLDER = "(Triggered internally at …)"
ENGINE_DIR = Path(child.__file__).resolve().parent


@dataclasses.dataclass(frozen=True)
class Raised:
    """An exception an example raised."""

    type: str  # as Python prints it: "RuntimeError", "torch.OutOfMemoryError"
    names: tuple[str, ...]  # every name a page may declare it by in raises="..."
    message: str  # the last line(s) of the traceback: "RuntimeError: ..."
    traceback: str  # the whole traceback, from the example's first frame


@dataclasses.dataclass(frozen=True)
class ExampleRun:
    """What one example did in one run."""

    output: str  # stdout and stderr, in the order a terminal shows them
    raised: Raised | None = None
    fault: str | None = None  # why the example could not be checked, if it could not

    @property
    def shown(self) -> str:
        """What the page must show: the output, then the error line(s) if it raised."""
        if self.raised is None:
            return self.output
        separator = "" if not self.output or self.output.endswith("\n") else "\n"
        return f"{self.output}{separator}{self.raised.message}\n"


ChainRun = tuple[ExampleRun, ...]


class EngineError(Exception):
    """A warm interpreter could not start or stopped unexpectedly."""


def _reader_environment() -> dict[str, str]:
    """The environment of the interpreter examples run in: this one's, less what a reader's
    ``python`` would not have (Python's own settings, pytest's variables)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST_"))}


# glibc's heap in transparent huge pages: the warm interpreter's page tables shrink, and forking
# it (and ending a fork) costs about a fifth less. Printed output does not change; examples do
# not see the variable (the server removes it from its environment before forking).
SERVER_ONLY_ENVIRONMENT = {"GLIBC_TUNABLES": "glibc.malloc.hugetlb=1"}


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


class _Server:
    """One warm interpreter and the threads that talk to it."""

    def __init__(self, root: Path, warmup: str, log: Path,
                 on_done: Callable[[int, dict[str, Any]], None],
                 on_ready: Callable[[], None], on_failure: Callable[[str], None]):
        self.on_done, self.on_ready, self.on_failure = on_done, on_ready, on_failure
        self.ready = False
        self.closing = False
        self.log = open(log, "w+b")  # noqa: SIM115 - closed with the server
        env = _reader_environment()
        extra = {k: v for k, v in SERVER_ONLY_ENVIRONMENT.items() if k not in env}
        settings = json.dumps({"warmup": warmup, "unset": sorted(extra)})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "docscheck.server", settings], cwd=root,
            env={**env, **extra}, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self.log)
        self.outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        threading.Thread(target=self._write, daemon=True, name="docscheck-writer").start()
        threading.Thread(target=self._read, daemon=True, name="docscheck-reader").start()

    def send(self, message: dict[str, Any]) -> None:
        self.outbox.put((json.dumps(message) + "\n").encode())

    def close(self) -> None:
        self.closing = True
        self.outbox.put(None)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def _write(self) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        while True:
            data = self.outbox.get()
            try:
                if data is None:
                    stdin.close()
                    return
                stdin.write(data)
                stdin.flush()
            except (BrokenPipeError, ValueError):
                return

    def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        for line in stdout:
            event = json.loads(line)
            if event["event"] == "ready":
                self.ready = True
                self.on_ready()
            elif event["event"] == "failed":
                self.closing = True  # it stops by itself: that is no second failure
                self.on_failure("the warm-up code (the docscheck_warmup setting) failed:\n"
                                + event["message"])
            elif event["event"] == "done":
                self.on_done(event["id"], event)
        status = self.process.wait()
        if not self.closing:
            self.log.seek(0)
            log = self.log.read()[-4000:].decode("utf-8", "replace")
            self.on_failure(f"a warm interpreter stopped (status {status}):\n{log}")


@dataclasses.dataclass
class _Request:
    ident: int
    server: int
    chain: list[Example]
    folder: Path
    future: Future[ChainRun]


class Runner:
    """Runs chains of examples. ``start`` starts the warm interpreters in the background."""

    SERVERS = 2

    def __init__(self, root: Path, *, warmup: str = "", jobs: int | None = None,
                 timeout: float = DEFAULT_TIMEOUT):
        self.root = root.resolve()
        self.warmup = warmup
        self.jobs = jobs or len(os.sched_getaffinity(0))
        self.timeout = timeout
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._servers: list[_Server] = []
        self._lock = threading.Lock()
        self._queue: deque[_Request] = deque()
        self._running: dict[int, _Request] = {}
        self._next = 0
        self._failure: str | None = None
        self._closed = False

    @property
    def failed(self) -> bool:
        """Whether a warm interpreter failed: the runner runs nothing more."""
        return self._failure is not None

    def start(self) -> None:
        """Start the warm interpreters in the background (returns at once)."""
        if self._servers or self._closed:
            return
        self._tmp = tempfile.TemporaryDirectory(prefix="docscheck-")
        for number in range(self.SERVERS):
            self._servers.append(_Server(
                self.root, self.warmup, Path(self._tmp.name) / f"server-{number}.log",
                self._done, self._server_ready, self._fail))

    def close(self) -> None:
        """Stop the warm interpreters (killing what still runs) and remove the run files. A
        closed runner runs nothing more."""
        with self._lock:
            self._closed = True
        servers, self._servers = self._servers, []
        for server in servers:
            server.close()
        with self._lock:
            requests = [*self._queue, *self._running.values()]
            self._queue.clear()
            self._running.clear()
        for request in requests:
            if not request.future.done():
                request.future.set_exception(EngineError("the run was stopped before it ended"))
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Runner:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, chain: Sequence[Example], server: int = 0) -> Future[ChainRun]:
        """Run ``chain`` (an example and the examples continuing it) once, in a process forked
        from warm interpreter ``server``."""
        self.start()
        future: Future[ChainRun] = Future()
        with self._lock:
            if self._failure is not None or self._closed:
                future.set_exception(EngineError(self._failure or "the runner was closed"))
                return future
            ident, self._next = self._next, self._next + 1
            assert self._tmp is not None
            folder = Path(self._tmp.name) / str(ident)
            folder.mkdir()
            self._queue.append(_Request(ident, server, list(chain), folder, future))
        self._dispatch()
        return future

    def run_twice(self, chain: Sequence[Example]) -> Future[tuple[ChainRun, ChainRun]]:
        """Run ``chain`` twice: from each warm interpreter, one run after the other."""
        both: Future[tuple[ChainRun, ChainRun]] = Future()

        def second_done(first: ChainRun, second: Future[ChainRun]) -> None:
            error = second.exception()
            if error is not None:
                both.set_exception(error)
            else:
                both.set_result((first, second.result()))

        def first_done(first: Future[ChainRun]) -> None:
            error = first.exception()
            if error is not None:
                both.set_exception(error)
                return
            self.run(chain, server=1).add_done_callback(
                lambda second: second_done(first.result(), second))

        self.run(chain, server=0).add_done_callback(first_done)
        return both

    # -- scheduling ---------------------------------------------------------------------------

    def _dispatch(self) -> None:
        """Send queued requests to ready interpreters, keeping ``jobs`` runs under way."""
        sends = []
        with self._lock:
            for request in list(self._queue):
                if len(self._running) >= self.jobs:
                    break
                server = self._servers[request.server] if self._servers else None
                if server is None or not server.ready:
                    continue
                self._queue.remove(request)
                self._running[request.ident] = request
                sends.append((server, request))
        for server, request in sends:
            server.send({"id": request.ident, "request": self._request(request),
                         "timeouts": [self._limit(e) for e in request.chain]})

    def _request(self, request: _Request) -> dict[str, Any]:
        first = request.chain[0]
        origin = first.code_origins[0] if first.code_origins else first.fence
        main = self.root / origin.path
        return {
            "root": str(self.root),
            "capture": str(request.folder / "output"),
            "results": str(request.folder / "results.jsonl"),
            "argv0": origin.path,
            "file": str(main),
            "path0": str(main.parent),
            "examples": [{"code": e.code, "raises": e.raises,
                          "origins": [[o.path, o.line] for o in e.code_origins]}
                         for e in request.chain],
        }

    def _server_ready(self) -> None:
        self._dispatch()

    def _done(self, ident: int, event: dict[str, Any]) -> None:
        with self._lock:
            request = self._running.pop(ident)
        try:
            request.future.set_result(self._collect(request.chain, request.folder, event))
        except Exception as e:  # noqa: BLE001 - an engine bug: report it, do not hang
            request.future.set_exception(e)
        self._dispatch()

    def _fail(self, message: str) -> None:
        with self._lock:
            self._failure = self._failure or message  # the first failure is the cause
            requests = [*self._queue, *self._running.values()]
            self._queue.clear()
            self._running.clear()
        for request in requests:
            if not request.future.done():
                request.future.set_exception(EngineError(message))

    # -- reading what a run left behind -------------------------------------------------------

    def _text(self, text: str) -> str:
        """Output as the page shows it: paths under the root relative to it, the place in
        torch's sources that raised a C++ warning as an ellipsis, tabs as the spaces a terminal
        shows."""
        text = text.replace(f"{self.root}{os.sep}", "")
        text = BUILD_LOCATION.sub(BUILD_PLACEHOLDER, text)
        return "\n".join(line.expandtabs(TAB_SIZE) for line in text.split("\n"))

    def _collect(self, chain: list[Example], folder: Path, event: dict[str, Any]) -> ChainRun:
        captured = (folder / "output").read_bytes() if (folder / "output").exists() else b""
        records: dict[Any, dict[str, Any]] = {}
        results = folder / "results.jsonl"
        if results.exists():
            for line in results.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                records.setdefault(record["index"], {}).update(record)
        runs: list[ExampleRun] = []
        offset = 0
        stopped: str | None = None
        for index, example in enumerate(chain):
            if stopped is not None:
                runs.append(ExampleRun("", fault=stopped))
                continue
            record = records.get(index)
            if record is None:
                output = self._decode(captured[offset:])
                runs.append(ExampleRun(output, fault=self._ended(example, index, event)))
                stopped = f"not run: it continues {example.fence}, which did not finish"
                continue
            output = self._decode(captured[offset:record["end"]])
            offset = record["end"]
            raised = self._raised(record.get("raised"))
            fault = self._fault(record) or self._engine_frames(output)
            runs.append(ExampleRun(output, raised, fault))
            if fault is not None:
                stopped = f"not run: it continues {example.fence}, which failed"
            elif raised is not None and example.raises not in raised.names:
                stopped = f"not run: it continues {example.fence}, which raised {raised.type}"
        ending = records.get("exit")
        if stopped is None and runs:
            late = ""
            if ending is not None and "end" in ending:
                late = self._decode(captured[offset:ending["end"]])
            problem = None
            if event["timed_out"] == "exit":
                problem = (f"a thread it started was still running "
                           f"{self._limit(chain[-1]):g} s after its last statement")
            elif ending is None or "end" not in ending:
                problem = self._ended(chain[-1], "exit", event)
            elif ending.get("raised"):
                problem = "an exit handler raised:\n" + self._text(ending["raised"]["traceback"])
            if late:
                problem = (f"it printed after its last statement had run (from a thread or an exit "
                           f"handler), which the page cannot show in its place:\n{late}")
            if problem is not None:
                runs[-1] = dataclasses.replace(runs[-1], fault=problem)
        return tuple(runs)

    def _decode(self, data: bytes) -> str:
        return self._text(data.decode("utf-8", "replace"))

    def _engine_frames(self, output: str) -> str | None:
        """A warning attributed to the engine's own code (a stacklevel past the example)."""
        engine = re.escape(self._text(f"{ENGINE_DIR}{os.sep}"))
        found = re.search(rf"^(?:{engine}\w+\.py|<frozen runpy>):\d+: \w+", output, re.M)
        if found is None:
            return None
        return ("a warning it raised points above the example's own code (its stacklevel is "
                "larger than the calls that lead to it): Python would print it as "
                "`sys:1: ...`, which the engine cannot reproduce; lower the stacklevel")

    def _limit(self, example: Example) -> float:
        return example.timeout or self.timeout

    def _ended(self, example: Example, index: int | str, event: dict[str, Any]) -> str:
        status = event["status"]
        if event["timed_out"] == index:
            return (f"it did not finish within {self._limit(example):g} s; if it needs longer, "
                    f"raise its limit: {{.python timeout=\"{2 * self._limit(example):g}\"}}")
        if event.get("overflow") == index:
            return f"it printed more than {child.OUTPUT_LIMIT // (1 << 20)} MiB"
        if status < 0:
            return f"its process was killed by {_signal_name(-status)} (a crash) while it ran"
        if status == 70:
            return ("the engine's process running it failed (did the example close file "
                    "descriptors it did not open?)")
        return (f"its process ended with status {status} before the example finished "
                "(os._exit(), or an exit from native code)")

    def _raised(self, record: dict[str, Any] | None) -> Raised | None:
        if record is None:
            return None
        return Raised(record["type"], tuple(record["names"]), self._text(record["message"]),
                      self._text(record["traceback"]))

    def _fault(self, record: dict[str, Any]) -> str | None:
        if "exit" in record:
            return (f"it called sys.exit({record['exit']['code']}) (SystemExit), which ends a "
                    "reader's script there; the page cannot show that")
        if "interrupt" in record:
            return "it raised KeyboardInterrupt:\n" + self._text(record["interrupt"]["traceback"])
        if "syntax" in record:
            s = record["syntax"]
            return f"syntax error at {s['path']}:{s['line']}: {s['message']}\n    {s['text'].strip()}"
        return None
