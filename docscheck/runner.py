"""Run chains of examples in processes forked from warm interpreters, in parallel.

``Runner`` owns two warm interpreters (``docscheck.server``), started independently so that
each has its own address-space layout, string hash seed and library state, as two readers'
interpreters would; a chain's first run is forked from one and its second from the other. With
``thorough`` (CI), a chain runs twice more: forked from a third warm interpreter that has one
thread and torch's portable CPU kernels (a reader's other machine), and in a new interpreter
(a *cold* run, exactly as a reader runs the script). At most ``jobs`` runs are under way at
once, each in a private copy of the repository (``workdir.py``) on a terminal of its own.

A run of a chain returns one ``ExampleRun`` per example: what it printed (the terminal's text,
stdout and stderr as a terminal interleaves them; the exit's output belongs to the last
example), the exception it raised, or the fault that stopped it (a time limit, waiting for
input, an exit, a crash, a process left running). A run whose process exited normally in the
middle of its chain is made once more, and listed in ``Runner.repeated`` (``_again``).
"""

from __future__ import annotations

import dataclasses
import json
import os
import queue
import re
import secrets
import signal
import subprocess
import tempfile
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from . import child, protocol
from .protocol import ChainRequest, Done, EngineFault, ExampleCode, ExampleResult, ExitResult, Problem
from .workdir import Copies, Copy

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


# What the third warm interpreter of a thorough run has: one thread, and torch's portable CPU
# kernels instead of those for this CPU's vector unit (AVX2, AVX-512, ...).
PORTABLE_ENVIRONMENT = {"ATEN_CPU_CAPABILITY": "default", "OMP_NUM_THREADS": "1"}
# The runs of a chain, by name: the two of every doc-test, then those of a thorough one.
RUNS = ("first", "second")
THOROUGH_RUNS = (*RUNS, "portable", "cold")
Runs = dict[str, "ChainRun"]


class _Server:
    """One warm interpreter (with its keeper) and the threads that talk to it."""

    def __init__(self, root: Path, warmup: str, log: Path, run_files: Path,
                 environment: dict[str, str],
                 on_done: Callable[[Done], None],
                 on_ready: Callable[[], None], on_failure: Callable[[str], None]):
        self.on_done, self.on_ready, self.on_failure = on_done, on_ready, on_failure
        self.ready = False
        self.closing = False
        self.log = open(log, "w+b")  # noqa: SIM115 - closed with the server
        env = {**_reader_environment(), **environment}
        extra = {k: v for k, v in SERVER_ONLY_ENVIRONMENT.items() if k not in env}
        settings = json.dumps({"warmup": warmup, "unset": sorted(extra),
                               "run_files": str(run_files)})
        self.process = subprocess.Popen(
            protocol.python_command("docscheck.server:main", settings), cwd=root,
            env={**env, **extra}, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self.log)
        self.outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        threading.Thread(target=self._write, daemon=True, name="docscheck-writer").start()
        threading.Thread(target=self._read, daemon=True, name="docscheck-reader").start()

    def send(self, request: ChainRequest) -> None:
        self.outbox.put(protocol.encode(request))

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
            message = protocol.decode(line)
            if isinstance(message, protocol.Ready):
                self.ready = True
                self.on_ready()
            elif isinstance(message, protocol.Failed):
                self.closing = True  # it stops by itself: that is no second failure
                self.on_failure("the warm-up code (the docscheck_warmup setting) failed:\n"
                                + message.message)
            elif isinstance(message, Done):
                self.on_done(message)
        status = self.process.wait()
        if not self.closing:
            self.log.seek(0)
            log = self.log.read()[-4000:].decode("utf-8", "replace")
            self.on_failure(f"a warm interpreter stopped (status {status}):\n{log}")


@dataclasses.dataclass
class _Request:
    ident: int
    server: int
    cold: bool
    chain: list[Example]
    future: Future[ChainRun]
    token: str = dataclasses.field(default_factory=lambda: secrets.token_hex(8))
    copy: Copy | None = None
    attempt: int = 0  # 1 when it runs again after it was cut short (``Runner.repeated``)


class Runner:
    """Runs chains of examples. ``start`` starts the warm interpreters in the background."""

    SERVERS = 2

    def __init__(self, root: Path, *, warmup: str = "", jobs: int | None = None,
                 timeout: float = DEFAULT_TIMEOUT, thorough: bool = False):
        self.root = root.resolve()
        self.warmup = warmup
        self.jobs = jobs or len(os.sched_getaffinity(0))
        self.timeout = timeout
        self.thorough = thorough
        self.runs = THOROUGH_RUNS if thorough else RUNS
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._copies: Copies | None = None
        self._servers: list[_Server] = []
        self._lock = threading.Lock()
        self._queues: dict[int, deque[_Request]] = defaultdict(deque)  # by warm interpreter
        self._running: dict[int, _Request] = {}
        self._next = 0
        self._failure: str | None = None
        self._closed = False
        # The runs made again because their first was cut short: "page:line (why)", in order.
        self.repeated: list[str] = []

    @property
    def failed(self) -> bool:
        """Whether a warm interpreter failed: the runner runs nothing more."""
        return self._failure is not None

    def start(self) -> None:
        """Start the warm interpreters in the background (returns at once)."""
        if self._servers or self._closed:
            return
        self._tmp = tempfile.TemporaryDirectory(prefix="docscheck-")
        folder = Path(self._tmp.name)
        self._copies = Copies(self.root, folder / "copies")
        environments = [{}, {}, PORTABLE_ENVIRONMENT] if self.thorough else [{}, {}]
        for number, environment in enumerate(environments):
            self._servers.append(_Server(
                self.root, self.warmup, folder / f"server-{number}.log", folder, environment,
                self._done, self._server_ready, self._fail))

    def refresh(self) -> None:
        """Runs started from now on see the repository's files as they are now (the doc-test
        runs them as they were when it started; a live build refreshes before each build)."""
        if self._copies is not None:
            self._copies.refresh()

    def close(self) -> None:
        """Stop the warm interpreters (killing what still runs) and remove the run files. A
        closed runner runs nothing more."""
        with self._lock:
            self._closed = True
        servers, self._servers = self._servers, []
        for server in servers:
            server.close()
        with self._lock:
            requests = [*self._waiting(), *self._running.values()]
            self._queues.clear()
            self._running.clear()
        for request in requests:
            if not request.future.done():
                request.future.set_exception(EngineError("the run was stopped before it ended"))
        if self._copies is not None:
            self._copies.close()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Runner:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, chain: Sequence[Example], server: int = 0, *,
            cold: bool = False) -> Future[ChainRun]:
        """Run ``chain`` (an example and the examples continuing it) once, in a process forked
        from warm interpreter ``server`` (or, ``cold``, in a new interpreter started from it)."""
        self.start()
        future: Future[ChainRun] = Future()
        with self._lock:
            if self._failure is not None or self._closed:
                future.set_exception(EngineError(self._failure or "the runner was closed"))
                return future
            if server >= len(self._servers):
                raise ValueError(f"no warm interpreter {server} (thorough={self.thorough})")
            ident, self._next = self._next, self._next + 1
            self._queues[server].append(_Request(ident, server, cold, list(chain), future))
        self._dispatch()
        return future

    def run_all(self, chain: Sequence[Example]) -> Future[Runs]:
        """Every run of ``chain`` this runner makes (``self.runs``), at the same time."""
        where = {"first": (0, False), "second": (1, False), "portable": (2, False),
                 "cold": (0, True)}
        return _gather({name: self.run(chain, where[name][0], cold=where[name][1])
                        for name in self.runs})

    def run_twice(self, chain: Sequence[Example]) -> Future[tuple[ChainRun, ChainRun]]:
        """Run ``chain`` twice, from each of the first two warm interpreters."""
        both: Future[tuple[ChainRun, ChainRun]] = Future()

        def done(runs: Future[Runs]) -> None:
            error = runs.exception()
            if error is not None:
                both.set_exception(error)
            else:
                both.set_result((runs.result()["first"], runs.result()["second"]))

        _gather({"first": self.run(chain, 0), "second": self.run(chain, 1)}
                ).add_done_callback(done)
        return both

    # -- scheduling ---------------------------------------------------------------------------

    def _dispatch(self) -> None:
        """Send queued requests to ready interpreters, keeping ``jobs`` runs under way."""
        sends = []
        with self._lock:
            while len(self._running) < self.jobs:
                # The request asked for first among those of the ready warm interpreters.
                ready = [queue for number, queue in self._queues.items()
                         if queue and number < len(self._servers) and self._servers[number].ready]
                if not ready:
                    break
                request = min(ready, key=lambda queue: queue[0].ident).popleft()
                self._running[request.ident] = request
                sends.append((self._servers[request.server], request))
        for server, request in sends:
            assert self._copies is not None
            request.copy = self._copies.take()
            server.send(self._request(request, request.copy.where))

    def _request(self, request: _Request, workdir: Path) -> ChainRequest:
        first = request.chain[0]
        origin = first.code_origins[0] if first.code_origins else first.fence
        return ChainRequest(
            id=request.ident,
            examples=tuple(ExampleCode(e.code, tuple((o.path, o.line) for o in e.code_origins),
                                       e.raises, self._limit(e))
                           for e in request.chain),
            workdir=str(workdir), argv0=origin.path,
            token=request.token, cold=request.cold)

    def _waiting(self) -> list[_Request]:
        return [request for queue in self._queues.values() for request in queue]

    def _server_ready(self) -> None:
        self._dispatch()

    def _done(self, done: Done) -> None:
        with self._lock:
            request = self._running.pop(done.id, None)
        if request is None:  # the runner failed, or was closed, meanwhile: nobody waits for it
            return
        copy, request.copy = request.copy, None
        self._dispatch()  # the next run starts (in a copy of its own) while this one is read
        try:
            assert copy is not None
            report = _RunReport(request, done, copy.where, self._limit)
            runs = report.collect(done)
            if report.cut_short is not None and request.attempt == 0:
                self._again(request, report.cut_short)
            else:
                request.future.set_result(runs)
        except Exception as e:  # noqa: BLE001 - an engine bug: report it, do not hang
            request.future.set_exception(e)
        finally:
            if copy is not None and self._copies is not None:
                self._copies.give_back(copy)

    def _again(self, request: _Request, where: tuple[Example, str]) -> None:
        """Run ``request`` once more, first in its queue: its process exited normally in the
        middle of its chain. An example that calls ``os._exit(0)`` does that again (and its
        second run is reported); a run whose end the engine lost (it has happened, rarely,
        under heavy load) runs whole the second time. Either way the runner says so."""
        run = "a cold run" if request.cold else f"a run forked from warm interpreter {request.server}"
        again = dataclasses.replace(request, attempt=request.attempt + 1,
                                    token=secrets.token_hex(8), copy=None)
        with self._lock:
            self.repeated.append(f"{where[0].fence} ({run}): its process exited (status 0) "
                                 f"before the example finished; {where[1]}")
            stopped = self._failure or ("the runner was closed" if self._closed else None)
            if stopped is None:
                self._queues[request.server].appendleft(again)
        if stopped is not None:
            request.future.set_exception(EngineError(stopped))
            return
        self._dispatch()

    def _fail(self, message: str) -> None:
        with self._lock:
            self._failure = self._failure or message  # the first failure is the cause
            requests = [*self._waiting(), *self._running.values()]
            self._queues.clear()
            self._running.clear()
        for request in requests:
            if not request.future.done():
                request.future.set_exception(EngineError(message))

    def _limit(self, example: Example) -> float:
        return example.timeout or self.timeout


def _gather(futures: dict[str, Future[ChainRun]]) -> Future[Runs]:
    """One future of the runs by name, done when all are (failed if one failed)."""
    every: Future[Runs] = Future()
    lock = threading.Lock()

    def one_done(_: Future[ChainRun]) -> None:
        with lock:  # the runs may end at once, in two threads
            if every.done() or not all(f.done() for f in futures.values()):
                return
            error = next((f.exception() for f in futures.values() if f.exception()), None)
            if error is not None:
                every.set_exception(error)
            else:
                every.set_result({name: f.result() for name, f in futures.items()})

    for future in futures.values():
        future.add_done_callback(one_done)
    return every


class _RunReport:
    """What the server reported of one run, read into ``ExampleRun``s: its terminal output (cut
    at the child's marks), its results, the way it ended."""

    def __init__(self, request: _Request, done: Done, workdir: Path,
                 limit: Callable[[Example], float]):
        self.chain = request.chain
        self.limit = limit
        self.output = done.output
        self.examples: dict[int, ExampleResult] = {}
        self.exit: ExitResult | None = None
        self.engine_fault = ""
        for line in done.reports:
            try:
                message = protocol.decode(line)
            except (ValueError, KeyError):  # a message an engine fault cut short
                continue
            if isinstance(message, ExampleResult):
                self.examples[message.index] = message
            elif isinstance(message, ExitResult):
                self.exit = message
            elif isinstance(message, EngineFault):
                self.engine_fault = message.traceback
        self.marks = self._marks(request.token)
        self.workdir = str(workdir)
        self.attempt = request.attempt
        # Where the run's process exited normally (status 0, not stopped by the engine) before
        # its chain ended, if it did: the example, and what the engine had of it then.
        self.cut_short: tuple[Example, str] | None = None

    def _marks(self, token: str) -> dict[int, tuple[int, int]]:
        """Where each example's mark is in the output: (start, end) by example index."""
        found = {}
        for number in range(len(self.chain)):
            mark = protocol.mark(token, number)
            at = self.output.find(mark)
            if at >= 0:
                found[number] = (at, at + len(mark))
        return found

    def text(self, data: bytes | str) -> str:
        """Output as the page shows it: the working directory left out of the paths of
        tracebacks and warnings, the place in torch's sources that raised a C++ warning as an
        ellipsis, tabs as the spaces a terminal shows."""
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        here = re.escape(self.workdir + os.sep)
        text = re.sub(rf'(?m)^(\s*File "){here}', r"\1", text)
        text = re.sub(rf"(?m)^{here}(?=[^\n:]+:\d+: )", "", text)
        text = BUILD_LOCATION.sub(BUILD_PLACEHOLDER, text)
        return "\n".join(line.expandtabs(TAB_SIZE) for line in text.split("\n"))

    def collect(self, done: Done) -> ChainRun:
        runs: list[ExampleRun] = []
        offset = 0
        stopped: str | None = None
        for index, example in enumerate(self.chain):
            if stopped is not None:
                runs.append(ExampleRun("", fault=stopped))
                continue
            result = self.examples.get(index)
            if result is None or index not in self.marks:
                runs.append(ExampleRun(self.text(self.output[offset:]),
                                       fault=self._ended(example, index, done)))
                stopped = f"not run: it continues {example.fence}, which did not finish"
                continue
            start, end = self.marks[index]
            output = self.text(self.output[offset:start])
            offset = end
            raised = self._raised(result.raised)
            fault = self._fault(result) or self._engine_frames(output)
            runs.append(ExampleRun(output, raised, fault))
            if fault is not None:
                stopped = f"not run: it continues {example.fence}, which failed"
            elif raised is not None and example.raises not in raised.names:
                stopped = f"not run: it continues {example.fence}, which raised {raised.type}"
        if stopped is None and runs:
            runs[-1] = self._with_exit(runs[-1], self.text(self.output[offset:]), done)
        return tuple(runs)

    def _with_exit(self, last: ExampleRun, printed: str, done: Done) -> ExampleRun:
        """The last example's run with what the exit printed, or the exit's fault."""
        problem = None
        if done.timed_out == "exit":
            problem = (f"a thread it started was still running "
                       f"{self.limit(self.chain[-1]):g} s after its last statement")
        elif self.exit is None:
            problem = self._ended(self.chain[-1], "exit", done)
        elif self.exit.left_running:
            problem = ("it left processes running, which a reader's script would leave behind "
                       "(end them, or wait for them, before the example ends): "
                       + "; ".join(self.exit.left_running))
        if last.raised is not None and printed:
            problem = problem or ("it printed while exiting after an error, which the page "
                                  f"cannot show in its place:\n{printed}")
        output = last.output + printed if last.raised is None else last.output
        return dataclasses.replace(last, output=output, fault=last.fault or problem)

    def _engine_frames(self, output: str) -> str | None:
        """A warning attributed to the engine's own code (a stacklevel past the example)."""
        engine = re.escape(f"{ENGINE_DIR}{os.sep}")
        found = re.search(rf"^(?:{engine}\w+\.py|<frozen runpy>|<string>):\d+: \w+", output,
                          re.M)
        if found is None:
            return None
        return ("a warning it raised points above the example's own code (its stacklevel is "
                "larger than the calls that lead to it): Python would print it as "
                "`sys:1: ...`, which the engine cannot reproduce; lower the stacklevel")

    def _ended(self, example: Example, index: int | str, done: Done) -> str:
        status = done.status
        if done.waiting == index:
            return ("it waits for input from the terminal (a reader's script would stop there "
                    "until they type): give the example its input another way")
        if done.timed_out == index:
            return (f"it did not finish within {self.limit(example):g} s; if it needs longer, "
                    f"raise its limit: {{.python timeout=\"{2 * self.limit(example):g}\"}}")
        if done.overflow == index:
            return f"it printed more than {child.OUTPUT_LIMIT // (1 << 20)} MiB"
        if status < 0:
            return f"its process was killed by {_signal_name(-status)} (a crash) while it ran"
        if status == 70:
            return ("the engine's process running it failed (did the example close file "
                    "descriptors it did not open?)\n" + self.engine_fault[-2000:]).rstrip()
        message = (f"its process ended with status {status} before the example finished "
                   "(os._exit(), or an exit from native code)")
        arrived = isinstance(index, int) and index in self.examples
        if status == 0:
            self.cut_short = self.cut_short or (example, (
                "its result arrived, the end of its output did not" if arrived else
                f"neither its result nor the end of its output arrived ({len(self.output)} bytes did)"))
            if self.attempt:
                message += ", in a second run as well"
        if arrived:
            message += ("; its result arrived but not all it printed: the engine lost the end "
                        "of its output (a bug of the engine, not of the example)")
        return message

    def _raised(self, problem: Problem | None) -> Raised | None:
        if problem is None:
            return None
        return Raised(problem.type, problem.names, self.text(problem.message),
                      self.text(problem.traceback))

    def _fault(self, result: ExampleResult) -> str | None:
        if result.exit_code is not None:
            return (f"it called sys.exit({result.exit_code}) (SystemExit), which ends a "
                    "reader's script there; the page cannot show that")
        if result.waits_for_input is not None:
            return (f"it waits for input at {result.waits_for_input} (a reader's script would "
                    "stop there until they type): give the example its input another way")
        if result.interrupt is not None:
            return "it raised KeyboardInterrupt:\n" + self.text(result.interrupt.traceback)
        if result.syntax is not None:
            s = result.syntax
            return f"syntax error at {s.path}:{s.line}: {s.message}\n    {s.text.strip()}"
        return None
