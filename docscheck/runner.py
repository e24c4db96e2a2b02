"""Run chains of examples in processes forked from one warm interpreter, in parallel.

``Runner`` owns the warm interpreter (``docscheck.server``) and a folder for what each run
leaves behind. A run of a chain returns one ``ExampleRun`` per example: what it printed (stdout
and stderr in one stream), the exception it raised, or the fault that stopped it (a time limit,
an exit, a crash, output after its last statement).
"""

from __future__ import annotations

import dataclasses
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from . import child

if TYPE_CHECKING:
    from .page import Example

DEFAULT_TIMEOUT = 60.0


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
    """The warm interpreter could not start or stopped unexpectedly."""


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


class Runner:
    """Runs chains of examples; one warm interpreter per Runner, started by ``start``."""

    def __init__(self, root: Path, *, warmup: str = "", jobs: int | None = None,
                 timeout: float = DEFAULT_TIMEOUT):
        self.root = root.resolve()
        self.warmup = warmup
        self.jobs = jobs or len(os.sched_getaffinity(0))
        self.timeout = timeout
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._pending: dict[int, tuple[Future[ChainRun], list[Example], Path]] = {}
        self._lock = threading.Lock()
        self._next = 0
        self._failure: str | None = None
        self.ready = threading.Event()
        self.warmup_seconds: float | None = None

    def start(self) -> None:
        """Start the warm interpreter in the background (returns at once)."""
        if self._process is not None:
            return
        self._tmp = tempfile.TemporaryDirectory(prefix="docscheck-")
        self._stderr = open(Path(self._tmp.name) / "server.stderr", "w+b")  # noqa: SIM115
        env = _reader_environment()
        extra = {k: v for k, v in SERVER_ONLY_ENVIRONMENT.items() if k not in env}
        settings = json.dumps({"warmup": self.warmup, "jobs": self.jobs, "unset": sorted(extra)})
        self._process = subprocess.Popen(
            [sys.executable, "-m", "docscheck.server", settings], cwd=self.root,
            env={**env, **extra}, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._stderr)
        threading.Thread(target=self._write, daemon=True, name="docscheck-writer").start()
        threading.Thread(target=self._read, daemon=True, name="docscheck-reader").start()

    def close(self) -> None:
        """Stop the warm interpreter (killing what still runs) and remove the run files."""
        process = self._process
        if process is not None:
            self._outbox.put(None)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            self._process = None
        with self._lock:
            pending, self._pending = self._pending, {}
        for future, _, _ in pending.values():
            if not future.done():
                future.set_exception(EngineError("the run was stopped before this chain ended"))
        if self._stderr is not None:
            self._stderr.close()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Runner:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, chain: Sequence[Example]) -> Future[ChainRun]:
        """Run ``chain`` (an example and the examples continuing it) once, in a new process."""
        self.start()
        future: Future[ChainRun] = Future()
        with self._lock:
            if self._failure is not None:
                future.set_exception(EngineError(self._failure))
                return future
            ident, self._next = self._next, self._next + 1
            assert self._tmp is not None
            folder = Path(self._tmp.name) / str(ident)
            folder.mkdir()
            self._pending[ident] = (future, list(chain), folder)
        first = chain[0]
        origin = first.code_origins[0] if first.code_origins else first.fence
        main = self.root / origin.path
        request = {
            "root": str(self.root),
            "capture": str(folder / "output"),
            "results": str(folder / "results.jsonl"),
            "argv0": origin.path,
            "file": str(main),
            "path0": str(main.parent),
            "examples": [{"code": e.code, "raises": e.raises,
                          "origins": [[o.path, o.line] for o in e.code_origins]} for e in chain],
        }
        timeouts = [e.timeout or self.timeout for e in chain]
        message = {"id": ident, "request": request, "timeouts": timeouts}
        self._outbox.put((json.dumps(message) + "\n").encode())
        return future

    # -- the threads that talk to the warm interpreter ---------------------------------------

    def _write(self) -> None:
        process = self._process
        assert process is not None and process.stdin is not None
        while True:
            data = self._outbox.get()
            try:
                if data is None:
                    process.stdin.close()
                    return
                process.stdin.write(data)
                process.stdin.flush()
            except (BrokenPipeError, ValueError):
                return

    def _read(self) -> None:
        process = self._process
        assert process is not None and process.stdout is not None
        for line in process.stdout:
            event = json.loads(line)
            if event["event"] == "ready":
                self.warmup_seconds = event["seconds"]
                self.ready.set()
            elif event["event"] == "failed":
                self._fail("the warm-up code (the docscheck_warmup setting) failed:\n"
                           + event["message"])
            elif event["event"] == "done":
                with self._lock:
                    future, chain, folder = self._pending.pop(event["id"])
                try:
                    future.set_result(self._collect(chain, folder, event))
                except Exception as e:  # noqa: BLE001 - an engine bug: report it, do not hang
                    future.set_exception(e)
        status = process.wait()
        if self._process is not None:  # not closed by us
            self._fail(f"the warm interpreter stopped (status {status}):\n{self._server_log()}")

    def _server_log(self) -> str:
        if self._stderr is None or self._stderr.closed:
            return ""
        self._stderr.seek(0)
        return self._stderr.read()[-4000:].decode("utf-8", "replace")

    def _fail(self, message: str) -> None:
        with self._lock:
            self._failure = message
            pending, self._pending = self._pending, {}
        self.ready.set()
        for future, _, _ in pending.values():
            future.set_exception(EngineError(message))

    # -- reading what a run left behind -------------------------------------------------------

    def _text(self, data: bytes) -> str:
        return data.decode("utf-8", "replace").replace(f"{self.root}{os.sep}", "")

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
                output = self._text(captured[offset:])
                runs.append(ExampleRun(output, fault=self._ended(example, index, event, captured)))
                stopped = f"not run: it continues {example.fence}, which did not finish"
                continue
            output = self._text(captured[offset:record["end"]])
            offset = record["end"]
            raised = self._raised(record.get("raised"))
            fault = self._fault(record)
            runs.append(ExampleRun(output, raised, fault))
            if fault is not None:
                stopped = f"not run: it continues {example.fence}, which failed"
            elif raised is not None and example.raises not in raised.names:
                stopped = f"not run: it continues {example.fence}, which raised {raised.type}"
        ending = records.get("exit")
        last = len(runs) - 1
        if stopped is None and runs:
            late = ""
            if ending is not None and "end" in ending:
                late = self._text(captured[offset:ending["end"]])
            problem = None
            if event["timed_out"] == "exit":
                problem = (f"a thread it started was still running "
                           f"{self._limit(chain[-1]):g} s after its last statement")
            elif ending is None or "end" not in ending:
                problem = self._ended(chain[-1], "exit", event, captured)
            elif ending.get("raised"):
                problem = "an exit handler raised:\n" + self._text(
                    ending["raised"]["traceback"].encode())
            if late:
                problem = (f"it printed after its last statement had run (from a thread or an exit "
                           f"handler), which the page cannot show in its place:\n{late}")
            if problem is not None:
                runs[last] = dataclasses.replace(runs[last], fault=problem)
        return tuple(runs)

    def _limit(self, example: Example) -> float:
        return example.timeout or self.timeout

    def _ended(self, example: Example, index: int | str, event: dict[str, Any],
               captured: bytes) -> str:
        status = event["status"]
        if event["timed_out"] == index:
            return (f"it did not finish within {self._limit(example):g} s; if it needs longer, "
                    f"raise its limit: {{.python timeout=\"{2 * self._limit(example):g}\"}}")
        if status == -signal.SIGXFSZ:
            return f"it printed more than {child.OUTPUT_LIMIT // (1 << 20)} MiB"
        if status < 0:
            return (f"its process was killed by {_signal_name(-status)} (a crash) while it ran")
        return (f"its process ended with status {status} before the example finished "
                "(os._exit(), or an exit from native code)")

    def _raised(self, record: dict[str, Any] | None) -> Raised | None:
        if record is None:
            return None
        return Raised(record["type"], tuple(record["names"]),
                      self._text(record["message"].encode()),
                      self._text(record["traceback"].encode()))

    def _fault(self, record: dict[str, Any]) -> str | None:
        if "exit" in record:
            return (f"it called sys.exit({record['exit']['code']}) (SystemExit), which ends a "
                    "reader's script there; the page cannot show that")
        if "interrupt" in record:
            return "it raised KeyboardInterrupt:\n" + self._text(
                record["interrupt"]["traceback"].encode())
        if "syntax" in record:
            s = record["syntax"]
            return f"syntax error at {s['path']}:{s['line']}: {s['message']}\n    {s['text'].strip()}"
        return None
