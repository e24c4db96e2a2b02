"""The doc-test's state for one pytest session, in one owner: ``DocSession`` (kept in the
config's stash under ``SESSION``). It reads the site, starts the chains' runs (or reuses the
results of chains that passed), waits for them within the session's time limit, and gathers
update mode's edits and the verdicts to remember.
"""

from __future__ import annotations

import math
import os
import time
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from . import update
from .page import MAX_TIMEOUT
from .reuse import STORE, PassedChains
from .runner import EngineError, Runner, Runs

if TYPE_CHECKING:
    from .items import ExampleItem
    from .page import Example, Page
    from .site import Site

MKDOCS_YML = "mkdocs.yml"


class DocSession:
    """Everything the plugin keeps for one pytest session: the one owner of its state."""

    def __init__(self, config: pytest.Config, mkdocs_yml: Path):
        self.config = config
        self.mkdocs_yml = mkdocs_yml
        self._site: Site | None = None
        jobs = config.getoption("docscheck_jobs")
        if jobs is not None and jobs < 1:
            raise pytest.UsageError(f"--docscheck-jobs {jobs}: at least 1 is needed")
        self.thorough = thorough(config)
        self.runner = Runner(mkdocs_yml.parent, warmup=config.getini("docscheck_warmup"),
                             jobs=jobs, timeout=timeout_setting(config), thorough=self.thorough)
        # (page, index of the chain's first example) -> (the chain run, its runs)
        self.runs: dict[tuple[str, int], tuple[tuple[Example, ...], Future[Runs]]] = {}
        self.update = bool(config.getoption("update_output"))
        self.edits: list[update.Edit] = []
        self.collected: set[Path] = set()  # pages collected, with examples or not
        # each page's file as it was read (modification time, size): --update-output writes no
        # page that changed since, as its edits were planned on the page as it was then
        self.read_as: dict[Path, tuple[int, int]] = {}
        self.examples_run = 0
        self.failed = 0
        self.changes: list[update.PageChange] = []
        self.update_error: str | None = None
        self.pending: list[ExampleItem] = []  # examples not yet sent (under pytest-xdist)
        self.total_timeout = timeout_setting(config, "docscheck_total_timeout", MAX_TOTAL_TIMEOUT)
        self.no_cache = bool(config.getoption("docscheck_no_cache"))
        self._passed: PassedChains | None = None
        self.reused = 0  # examples not run: their chain passed with everything as it is now
        self.judged: dict[tuple[str, int], bool] = {}  # (page, example index) -> passed
        self.remember_error: str | None = None
        self.deadline: float | None = None  # when the examples sent must all have run

    @property
    def site(self) -> Site:
        if self._site is None:
            from .site import Site

            parser = self.config.hook.pytest_markdown_docs_markdown_it()
            self._site = Site.load(self.mkdocs_yml, parser)
        return self._site

    def results(self, page: Page, example: Example) -> Runs:
        """The runs of the chain up to ``example`` (started now if not yet). Past the
        session's total time limit, what still runs is stopped and OverTime raised."""
        if self.deadline is None:
            self.deadline = time.monotonic() + self.total_timeout
        elif time.monotonic() >= self.deadline:
            self.runner.close()
            raise OverTime(self.total_timeout)
        future = self.chain_runs(page.chain_of(example))
        try:
            return future.result(timeout=max(0.0, self.deadline - time.monotonic()))
        except TimeoutError:
            self.runner.close()  # ends every run still under way
            raise OverTime(self.total_timeout) from None
        except EngineError:
            if time.monotonic() >= self.deadline:
                raise OverTime(self.total_timeout) from None
            raise

    def chain_runs(self, chain: tuple[Example, ...]) -> Future[Runs]:
        """The runs of ``chain`` (two, or four in a thorough doc-test): those this session
        last started for the chain of the same first example, if that chain begins with the
        same examples (same code, same options: the same runs), or new ones. The doc-test and
        the tests that run a page's chains (``docscheck_chain_runs``) share them, so each chain
        runs once (twice) per session."""
        key = chain_key(chain)
        known = self.runs.get(key)
        if known is None or known[0][:len(chain)] != chain:
            known = self.runs[key] = (chain, self.runner.run_all(chain))
        return known[1]

    @property
    def passed_chains(self) -> PassedChains | None:
        """The results kept from earlier sessions (none for a thorough doc-test, which runs
        everything and keeps nothing)."""
        if self.thorough:
            return None
        if self._passed is None:
            settings = [self.config.getini("docscheck_warmup"), self.runner.timeout,
                        self.runner.runs]
            self._passed = PassedChains(self.site.root, self.site.page_paths(), settings)
        return self._passed

    def start_early(self) -> None:
        """Start the warm interpreters now, so that they warm up while pytest collects, unless
        the examples' results may be reused (then they start when a chain must run)."""
        if self.no_cache or self.thorough or not (self.mkdocs_yml.parent / STORE).exists():
            self.runner.start()

    def reusable(self, page: Page, example: Example) -> bool:
        """Whether the whole chain ``example`` belongs to passed last time, with everything
        it depends on as it is now."""
        passed = self.passed_chains
        if passed is None or self.no_cache:
            return False
        return passed.passed(page.chain_of(example, whole=True))

    def remember(self) -> None:
        """Keep, for the next session, which of the chains judged whole in this one passed."""
        passed = self.passed_chains
        if passed is None:
            return
        for chain, _ in self.runs.values():
            verdicts = [self.judged.get((e.page, e.index)) for e in chain]
            if None not in verdicts:
                passed.record(chain, all(verdicts))
        passed.save()

    def submit(self, items: list[ExampleItem]) -> None:
        """Start every selected chain (in the order of the items) that must run."""
        longest: dict[tuple[str, int], tuple[Page, Example]] = {}
        order: list[tuple[str, int]] = []
        for item in items:
            key = chain_key(item.page.chain_of(item.example))
            if key not in longest:
                order.append(key)
            if key not in longest or longest[key][1].index < item.example.index:
                longest[key] = (item.page, item.example)
        if self.deadline is None:
            self.deadline = time.monotonic() + self.total_timeout
        for key in order:
            page, example = longest[key]
            if not self.reusable(page, example):
                self.chain_runs(page.chain_of(example))


class OverTime(Exception):
    """The session's examples ran past their total time limit (docscheck_total_timeout)."""

    def __init__(self, limit: float):
        super().__init__(f"not judged: the examples of this session ran past their total time "
                         f"limit of {limit:g} s (docscheck_total_timeout), so what still ran was "
                         "stopped; find the slow examples with --durations, or raise the limit")


def chain_key(chain: tuple[Example, ...]) -> tuple[str, int]:
    """(page, index of the chain's first example): a chain's place among the session's runs."""
    return chain[0].page, chain[0].index


SESSION = pytest.StashKey[DocSession]()


def timeout_setting(config: pytest.Config, name: str = "docscheck_timeout",
             limit: float = MAX_TIMEOUT) -> float:
    text = str(config.getini(name))
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value <= limit:
        raise pytest.UsageError(f"{name} = {text!r}: a number of seconds from 0 to {limit:g} "
                                "is needed")
    return value


MAX_TOTAL_TIMEOUT = 6 * 3600  # seconds: a doc-test longer than this is a mistake


def thorough(config: pytest.Config) -> bool:
    """Whether every chain runs four times (--docscheck-thorough, or CI set and not false)."""
    ci = os.environ.get("CI", "").strip().lower()
    return bool(config.getoption("docscheck_thorough")) or ci not in ("", "0", "false", "no")


def distributed(config: pytest.Config) -> bool:
    """Whether pytest-xdist runs the tests in several processes (this one hands them out, or
    is one of them). Then the warm interpreters start, and the chains are sent, only in a
    process that runs an example (the project's scheduler keeps all pages in one process; if
    pages were split between processes, each would run every chain, and still judge only its
    own examples)."""
    return hasattr(config, "workerinput") or getattr(config.option, "dist", "no") != "no"
