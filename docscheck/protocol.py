"""The messages between the runner, the warm interpreters and the processes that run examples.

Each message is a frozen dataclass, sent as one line of JSON (``encode``) and read back as the
same dataclass (``decode``): the runner sends ``ChainRequest``s to a warm interpreter
(``docscheck.server``), which answers ``Ready`` or ``Failed`` once, then ``Done`` per request;
the process that runs a chain (``docscheck.child``) writes one ``ExampleResult`` per example and
one ``ExitResult`` (or an ``EngineFault``) to a pipe of its run, between the lines that say
which example starts. The server hands them on, as written, in the run's ``Done``, with what
the examples printed: the run's terminal output, where the child marks the end of each example
(``mark``). A run leaves no file behind: nothing is written to the disk per run.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import json
import sys
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, Union

# The folder that holds this ``docscheck``: the interpreters the engine starts import the engine
# of the process that starts them, not another one they might find (PYTHONPATH, which examples
# do not get, may be what found this one).
ENGINE_HOME = str(Path(__file__).resolve().parent.parent)


def python_command(entry: str, *args: str) -> list[str]:
    """A new ``python`` that calls ``entry`` (``"docscheck.module:function"``) of this engine
    with ``sys.argv[1:]`` = ``args``. ``ENGINE_HOME`` is searched first while the engine is
    imported and then taken off ``sys.path``, which is then a reader's ``python -c``'s."""
    module, function = entry.split(":")
    code = (f"import sys; home = sys.argv.pop(1); sys.path.insert(1, home); "
            f"from {module} import {function}; sys.path.remove(home); {function}()")
    return [sys.executable, "-c", code, ENGINE_HOME, *args]


@dataclasses.dataclass(frozen=True)
class ExampleCode:
    """One example as a run needs it."""

    code: str
    origins: tuple[tuple[str, int], ...]  # each line's file (relative to the root) and line
    raises: str | None  # the exception the page declares, if any
    timeout: float  # seconds


@dataclasses.dataclass(frozen=True)
class ChainRequest:
    """Run a chain of examples once."""

    id: int
    examples: tuple[ExampleCode, ...]
    workdir: str  # the private working directory the chain runs in: a copy of the repository
    argv0: str  # sys.argv[0] and __file__, relative to the working directory
    token: str  # what the child's marks in the output carry, so that no example can fake one
    cold: bool = False  # in a new interpreter (as a reader runs it), not a fork of a warm one


@dataclasses.dataclass(frozen=True)
class Ready:
    """The warm interpreter has run its warm-up and takes requests."""


@dataclasses.dataclass(frozen=True)
class Failed:
    """The warm-up failed; the warm interpreter stops."""

    message: str


Stage = Union[int, str]  # an example's index, or "exit" for the end of the chain  # noqa: UP007


@dataclasses.dataclass(frozen=True)
class Done:
    """A run has ended (every process it started is gone)."""

    id: int
    status: int  # the exit code, or minus the signal that ended the process
    timed_out: Stage | None = None  # what ran past its time limit
    overflow: Stage | None = None  # what printed more than its share
    waiting: Stage | None = None  # what was waiting for input from the terminal when stopped
    terminal: str = ""  # what the run's terminal received, base64-encoded (``output``)
    reports: tuple[str, ...] = ()  # the messages the run's process wrote, each as encoded

    @property
    def output(self) -> bytes:
        """What the run's terminal received: the examples' output and the child's marks."""
        return base64.b64decode(self.terminal)


@dataclasses.dataclass(frozen=True)
class Problem:
    """An exception as Python prints it."""

    type: str  # "RuntimeError", "torch.OutOfMemoryError"
    names: tuple[str, ...]  # every name a page may declare it by
    message: str  # the last line(s) of the traceback
    traceback: str


@dataclasses.dataclass(frozen=True)
class BadSyntax:
    path: str  # relative to the root
    line: int
    message: str
    text: str


@dataclasses.dataclass(frozen=True)
class ExampleResult:
    """How one example ended (what it printed is in the run's output, up to its mark)."""

    index: int
    raised: Problem | None = None
    exit_code: str | None = None  # repr of SystemExit's code: the example called sys.exit
    interrupt: Problem | None = None  # it raised KeyboardInterrupt
    syntax: BadSyntax | None = None
    waits_for_input: str | None = None  # where it read from the terminal: "snippets/x.py:3"


@dataclasses.dataclass(frozen=True)
class ExitResult:
    """The chain's interpreter exited (threads joined, exit handlers run, modules cleared)."""

    left_running: tuple[str, ...] = ()  # processes still running at the end ("pid: command")


@dataclasses.dataclass(frozen=True)
class EngineFault:
    """The engine's code in the run's process failed (not an example's code)."""

    traceback: str


Message = Union[ChainRequest, Ready, Failed, Done, ExampleResult, ExitResult,  # noqa: UP007
                EngineFault]
_KINDS: dict[str, type] = {k.__name__: k for k in typing.get_args(Message)}


def mark(token: str, stage: Stage) -> bytes:
    """What the child writes to its terminal when an example (or the exit) ends: an escape
    sequence a terminal shows as nothing, which no example can print by chance."""
    return f"\x1b]docscheck;{token};{stage}\x07".encode()


def encode(message: Message) -> bytes:
    return (json.dumps({"kind": type(message).__name__, **_plain(message)}) + "\n").encode()


def decode(line: bytes | str) -> Message:
    data = json.loads(line)
    kind = _KINDS[data.pop("kind")]
    value = _builder(kind)(data)
    assert isinstance(value, kind)
    return value  # type: ignore[return-value]


def _plain(value: Any) -> Any:
    """A message (or one of its values) as JSON holds it: dataclasses as dicts, tuples as lists."""
    names = _names(type(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


_NAMES: dict[type, tuple[str, ...] | None] = {}


def _names(kind: type) -> tuple[str, ...] | None:
    """The fields of a message class (None for other types)."""
    if kind not in _NAMES:
        _NAMES[kind] = (tuple(f.name for f in dataclasses.fields(kind))
                        if dataclasses.is_dataclass(kind) else None)
    return _NAMES[kind]


def _same(data: Any) -> Any:
    return data


@functools.cache
def _builder(hint: Any) -> Callable[[Any], Any]:
    """What turns ``data`` (from JSON) into a value of the type ``hint``; made once per type
    (the annotations are strings here, and evaluating them costs more than a decode)."""
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        kind: Any = next((a for a in typing.get_args(hint) if dataclasses.is_dataclass(a)), None)
        if kind is None:
            return _same
        build = _builder(kind)
        return lambda data: build(data) if isinstance(data, dict) else data
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _builder(args[0])
            return lambda data: None if data is None else tuple(item(x) for x in data)
        items = tuple(_builder(a) for a in args)
        return lambda data: None if data is None else tuple(
            build(x) for build, x in zip(items, data, strict=True))
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = typing.get_type_hints(hint)
        fields = tuple((f.name, _builder(hints[f.name])) for f in dataclasses.fields(hint))
        return lambda data: None if data is None else hint(
            **{name: build(data[name]) for name, build in fields if name in data})
    return _same
