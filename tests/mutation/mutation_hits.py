"""A pytest plugin for `make mutation`: the tests that reach the engine's code in other processes.

mutmut tries each mutant of a function against the tests that call that function, and learns
which those are by recording, in the pytest process, the functions each test calls. The engine
runs its examples in warm interpreters and their forks (``docscheck.server``,
``docscheck.child``), where that recording cannot work: mutmut reads its settings from the
folder a process runs in, a fixture site there. So, while mutmut records, this plugin keeps
those processes out of it (they run the engine unmutated and record nothing), and counts every
function of ``docscheck.server`` and ``docscheck.child`` as called by each test that started a
warm interpreter. When mutmut tries a mutant, the warm interpreters run it: they import the
engine the tests imported (``docscheck.protocol.python_command``) and inherit the variable that
names the mutant. And a mutant's tests run quickest first.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from mutmut.mutation.trampoline import get_mutant_under_test
from mutmut.state import state
from mutmut.utils.format_utils import mangled_name_from_mutant_name

STARTS_A_WARM_INTERPRETER = "docscheck.runner.xǁ_Serverǁ__init__"
OTHER_PROCESSES = ("docscheck/server.py", "docscheck/child.py")


def _recording() -> bool:
    return get_mutant_under_test() == "stats"


def _functions(module: str) -> set[str]:
    """Every mutated function of ``module`` (a path under mutmut's folder), by mutmut's name."""
    mutants = json.loads(Path(module + ".meta").read_text(encoding="utf-8"))["exit_code_by_key"]
    return {mangled_name_from_mutant_name(name) for name in mutants}


_OTHERS = pytest.StashKey[set[str]]()


def pytest_configure(config: pytest.Config) -> None:
    if _recording():
        # mutmut keeps the value in this process too: only the processes started go without it
        os.environ.pop("MUTANT_UNDER_TEST", None)
        config.stash[_OTHERS] = {name for path in OTHER_PROCESSES for name in _functions(path)}
    elif _trying_a_mutant():
        # The tests of one mutant (mutmut's fork for it) and what they start, in a process group
        # of their own: a mutant that kills its process group (``os.killpg(0, ...)``: the pid of
        # a run taken for 0) then ends its own tests, and is detected, not mutmut and make.
        os.setpgid(0, 0)


def _trying_a_mutant() -> bool:
    return get_mutant_under_test() not in ("", "stats", "fail")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    if _recording() and STARTS_A_WARM_INTERPRETER in state()._stats:
        others: set[str] = item.config.stash[_OTHERS]
        state()._stats.update(others)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """When a mutant is tried: its quickest tests first, so that a mutant one of them detects
    is done with sooner (mutmut stops at the first failure)."""
    if not _trying_a_mutant():
        return
    durations = state().duration_by_test
    items.sort(key=lambda item: durations.get(item.nodeid, durations.get("mutants/" + item.nodeid, 0.0)))
