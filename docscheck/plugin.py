"""The pytest plugin (entry point ``docscheck`` in pyproject.toml): every page is a test file.

A page under the site's ``docs_dir`` (read from ``mkdocs.yml`` at pytest's root) is collected
as a file whose items are its examples, pytest-markdown-docs items that the engine runs. When
collection ends, every selected chain of examples is sent, twice, to the warm interpreter
(``Runner``), where the chains run in parallel; each item then waits for its own results and
judges them (``verdict.judge``).

``--update-output`` rewrites output blocks instead of failing on them (``update``).
"""

from __future__ import annotations

import math
import time
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pytest_markdown_docs.definitions import FenceTestDefinition
from pytest_markdown_docs.plugin import MarkdownInlinePythonItem

from . import runner, update
from .config import MARKDOWN_SUFFIXES, SiteConfig
from .errors import PageError
from .page import MAX_TIMEOUT
from .runner import ChainRun, EngineError, Runner
from .verdict import judge

if TYPE_CHECKING:
    from collections.abc import Callable

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
        self.runner = Runner(mkdocs_yml.parent, warmup=config.getini("docscheck_warmup"),
                             jobs=jobs, timeout=_timeout(config))
        # (page, index of the chain's first example) -> (the chain run, its two runs)
        self.runs: dict[tuple[str, int],
                        tuple[tuple[Example, ...], Future[tuple[ChainRun, ChainRun]]]] = {}
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
        self.total_timeout = _timeout(config, "docscheck_total_timeout", MAX_TOTAL_TIMEOUT)
        self.deadline: float | None = None  # when the examples sent must all have run

    @property
    def site(self) -> Site:
        if self._site is None:
            from .site import Site

            parser = self.config.hook.pytest_markdown_docs_markdown_it()
            self._site = Site.load(self.mkdocs_yml, parser)
        return self._site

    def results(self, page: Page, example: Example) -> tuple[ChainRun, ChainRun]:
        """The two runs of the chain up to ``example`` (started now if not yet). Past the
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

    def chain_runs(self, chain: tuple[Example, ...]) -> Future[tuple[ChainRun, ChainRun]]:
        """The two runs of ``chain``: those this session last started for the chain of the
        same first example, if that chain begins with the same examples (same code, same
        options: the same runs), or new ones. The doc-test and the tests that run a page's
        chains (``docscheck_chain_runs``) share them, so each chain runs once (twice) per
        session."""
        key = _chain_key(chain)
        known = self.runs.get(key)
        if known is None or known[0][:len(chain)] != chain:
            known = self.runs[key] = (chain, self._run_twice(chain))
        return known[1]

    def _run_twice(self, chain: tuple[Example, ...]) -> Future[tuple[ChainRun, ChainRun]]:
        return self.runner.run_twice(chain)

    def submit(self, items: list[ExampleItem]) -> None:
        """Start every selected chain (in the order of the items), each twice."""
        longest: dict[tuple[str, int], tuple[Page, Example]] = {}
        order: list[tuple[str, int]] = []
        for item in items:
            key = _chain_key(item.page.chain_of(item.example))
            if key not in longest:
                order.append(key)
            if key not in longest or longest[key][1].index < item.example.index:
                longest[key] = (item.page, item.example)
        if self.deadline is None:
            self.deadline = time.monotonic() + self.total_timeout
        for key in order:
            page, example = longest[key]
            self.chain_runs(page.chain_of(example))


class OverTime(Exception):
    """The session's examples ran past their total time limit (docscheck_total_timeout)."""

    def __init__(self, limit: float):
        super().__init__(f"not judged: the examples of this session ran past their total time "
                         f"limit of {limit:g} s (docscheck_total_timeout), so what still ran was "
                         "stopped; find the slow examples with --durations, or raise the limit")


def _chain_key(chain: tuple[Example, ...]) -> tuple[str, int]:
    """(page, index of the chain's first example): a chain's place among the session's runs."""
    return chain[0].page, chain[0].index


SESSION = pytest.StashKey[DocSession]()


def _timeout(config: pytest.Config, name: str = "docscheck_timeout",
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


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("docscheck", "checked examples of an MkDocs site")
    group.addoption("--update-output", action="store_true", default=False, dest="update_output",
                    help="rewrite every output block under the docs with what its example "
                         "really prints (all pages or none)")
    group.addoption("--docscheck-jobs", type=int, default=None, dest="docscheck_jobs",
                    help="examples run at once (default: one per core)")
    parser.addini("docscheck_warmup", "Python code the warm interpreter runs once before "
                  "forking a process for each chain of examples", default="")
    parser.addini("docscheck_timeout", "seconds an example may run (a fence may raise it with "
                  'timeout="...")', default=f"{runner.DEFAULT_TIMEOUT:g}")
    parser.addini("docscheck_total_timeout", "seconds the examples of a session may take "
                  "together; past it, the examples not yet judged fail", default="1800")
    parser.addini("docscheck_snippets", "folder of the example files pages include; they are "
                  "examples, never collected as tests", default="snippets")


def _distributed(config: pytest.Config) -> bool:
    """Whether pytest-xdist runs the tests in several processes (this one hands them out, or
    is one of them). Then the warm interpreters start, and the chains are sent, only in a
    process that runs an example (the project's scheduler keeps all pages in one process; if
    pages were split between processes, each would run every chain, and still judge only its
    own examples)."""
    return hasattr(config, "workerinput") or getattr(config.option, "dist", "no") != "no"


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """Refuse a conftest.py under the snippets folder before pytest imports any: snippets are
    examples a reader runs, and pytest would import such a file (with whatever it does) when
    the folder, or a file in it, is named on the command line."""
    root = Path(str(early_config.rootpath))
    if not (root / MKDOCS_YML).is_file():
        return
    snippets = root / early_config.getini("docscheck_snippets")
    found = sorted(snippets.rglob("conftest.py")) if snippets.is_dir() else []
    if found:
        names = ", ".join(p.relative_to(root).as_posix() for p in found)
        raise pytest.UsageError(f"{names}: a conftest.py under {snippets.relative_to(root)}/, "
                                "which pytest would import as test configuration; snippets are "
                                "examples, not tests: move it out")


def pytest_configure(config: pytest.Config) -> None:
    mkdocs_yml = Path(str(config.rootpath)) / MKDOCS_YML
    if not mkdocs_yml.is_file():
        return
    doc = config.stash[SESSION] = DocSession(config, mkdocs_yml)
    if doc.update and _distributed(config):
        raise pytest.UsageError("--update-output rewrites pages from one process: run it "
                                "without -n (pytest-xdist)")
    if not config.option.collectonly and not _distributed(config) and _runs_pages(config, doc):
        doc.runner.start()  # it warms up while pytest collects


def _runs_pages(config: pytest.Config, doc: DocSession) -> bool:
    """Whether the paths pytest was given hold pages of the site."""
    try:
        docs = SiteConfig.load(doc.mkdocs_yml).docs_dir
    except PageError:
        return False
    for arg in config.args:
        path = Path(str(config.invocation_params.dir), arg.split("::")[0]).resolve()
        if path == docs or docs in path.parents or path in docs.parents:
            return True
    return False


def pytest_unconfigure(config: pytest.Config) -> None:
    session = config.stash.get(SESSION, None)
    if session is not None:
        session.runner.close()


def _in_snippets(path: Path, config: pytest.Config) -> bool:
    snippets = Path(str(config.rootpath)) / config.getini("docscheck_snippets")
    return path == snippets or snippets in path.parents


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Snippets are examples, not tests: never collect them."""
    return True if SESSION in config.stash and _in_snippets(collection_path, config) else None


class NotATest(pytest.File):
    """A snippet named like a test module and given on the command line: never imported."""

    def collect(self) -> list[pytest.Item]:
        return []


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.File | None:
    if SESSION in parent.config.stash and _in_snippets(module_path, parent.config):
        return NotATest.from_parent(parent, path=module_path)
    return None


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    session = parent.config.stash.get(SESSION, None)
    if session is None or file_path.suffix.lower() not in MARKDOWN_SUFFIXES:
        return None
    try:
        is_page = session.site.is_page(file_path)
    except PageError:  # a broken mkdocs.yml: each page under docs/ reports it
        is_page = Path(str(parent.config.rootpath)) / "docs" in file_path.parents
    if is_page:
        return DocPage.from_parent(parent, path=file_path)
    return None


def _started(config: pytest.Config) -> DocSession:
    doc = config.stash.get(SESSION, None)
    if doc is None:
        pytest.fail(f"no {MKDOCS_YML} at the root {config.rootpath}", pytrace=False)
    doc.runner.start()
    return doc


@pytest.fixture(scope="session")
def docscheck_runner(pytestconfig: pytest.Config) -> Runner:
    """The session's runner (its warm interpreters), for tests that run examples themselves."""
    return _started(pytestconfig).runner


@pytest.fixture(scope="session")
def docscheck_chain_runs(
    pytestconfig: pytest.Config,
) -> Callable[[tuple[Example, ...]], Future[tuple[ChainRun, ChainRun]]]:
    """``chain -> future of its two runs`` for a chain of a page, shared with the doc-test of
    that page in this session (``DocSession.chain_runs``)."""
    return _started(pytestconfig).chain_runs


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                   items: list[pytest.Item]) -> None:
    """Every page MkDocs builds is checked when pytest is asked for the whole docs folder: a
    page pytest did not collect (left out by ``norecursedirs``, say) fails."""
    doc = config.stash.get(SESSION, None)
    if doc is None:
        return
    try:
        site = doc.site
        pages = site.page_paths()
    except PageError:
        return
    docs = site.config.docs_dir
    asked = [Path(str(config.invocation_params.dir), a.split("::")[0]).resolve()
             for a in config.args]
    if not any(a == docs or a in docs.parents for a in asked):
        return
    for page in pages:
        if page.resolve() not in doc.collected:
            file = DocPage.from_parent(session, path=page)
            items.append(PageProblem.from_parent(
                file, name="[page]", message=(
                    f"{site.config.relative(page)}: a page of the site that pytest did not "
                    "collect (norecursedirs, or a conftest, left it out): its examples must "
                    "be checked too")))


def pytest_collection_finish(session: pytest.Session) -> None:
    doc = session.config.stash.get(SESSION, None)
    if doc is None or session.config.option.collectonly:
        return
    examples = [item for item in session.items if isinstance(item, ExampleItem)]
    if not _distributed(session.config):
        doc.submit(examples)
        return
    doc.pending = examples  # sent when this process runs its first example, if ever


class DocPage(pytest.File):
    """A page of the site; its items are its examples."""

    def collect(self) -> list[pytest.Item]:
        doc = self.config.stash[SESSION]
        doc.collected.add(self.path.resolve())
        if not self.config.option.collectonly and not _distributed(self.config):
            doc.runner.start()  # the warm interpreters start while the other pages are read
        stat = self.path.stat()
        doc.read_as[self.path.resolve()] = (stat.st_mtime_ns, stat.st_size)
        try:
            page = doc.site.read(self.path)
        except PageError as e:
            return [PageProblem.from_parent(self, name="[page]", message=str(e))]
        items: list[pytest.Item] = [ExampleItem.from_parent(
            self, name=f"[CodeFence#{example.index + 1}][line:{example.fence.line}]",
            test_definition=FenceTestDefinition(
                source=example.code, fixture_names=(), start_line=example.fence.line - 1,
                source_path=self.path, runner_name=None),
            page=page, example=example) for example in page.examples]
        return items


class ExampleFailed(Exception):
    """An example that does not do what its page shows; the message says where and how."""


class ExampleItem(MarkdownInlinePythonItem):  # type: ignore[misc]
    """One example. Its run is the engine's (a forked process, twice); nothing of
    pytest-markdown-docs' own way of running code (globals, capture, retries) is used."""

    def __init__(self, *, page: Page, example: Example, **kwargs: Any):
        super().__init__(**kwargs)
        self.page = page
        self.example = example

    def runtest(self) -> None:
        doc = self.config.stash[SESSION]
        if doc.pending:  # the first example this process runs (pytest-xdist): send them all
            pending, doc.pending = doc.pending, []
            doc.submit(pending)
        try:
            first, second = doc.results(self.page, self.example)
        except OverTime as e:
            raise ExampleFailed(f"{self.example.where}: {e}") from None
        except EngineError as e:
            raise ExampleFailed(f"{self.example.where}: the example could not run: {e}") from None
        index = self.page.chain_of(self.example).index(self.example)
        verdict = judge(self.example, first[index], second[index])
        if verdict.ok:
            return
        if doc.update and verdict.actual is not None:
            try:
                edit = update.plan(self.example, verdict.actual)
            except PageError as e:
                raise ExampleFailed(str(e)) from None
            if edit is not None:
                doc.edits.append(edit)
            return
        raise ExampleFailed(verdict.failure)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        if isinstance(excinfo.value, ExampleFailed):
            return str(excinfo.value)
        return str(excinfo.getrepr(style="short"))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.example.fence.line - 1, f"{self.example.fence}"


class PageProblem(pytest.Item):
    """A page that cannot be checked at all (a missing include, a broken convention)."""

    def __init__(self, *, message: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.message = message

    def runtest(self) -> None:
        raise PageError(self.message)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        return str(excinfo.value)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, "page"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    doc = item.config.stash.get(SESSION, None)
    if doc is not None and report.failed and isinstance(item, ExampleItem | PageProblem):
        doc.failed += 1
    if doc is not None and report.when == "call" and isinstance(item, ExampleItem):
        doc.examples_run += 1
    return report


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    doc = session.config.stash.get(SESSION, None)
    if doc is None or not doc.update:
        return
    if doc.failed:
        doc.update_error = (f"--update-output: {doc.failed} example(s) or page(s) failed, so no "
                            "page was written; fix them and run again")
        return
    selected = sum(isinstance(item, ExampleItem) for item in session.items)
    if exitstatus == pytest.ExitCode.INTERRUPTED or doc.examples_run < selected:
        doc.update_error = (f"--update-output: the run stopped after {doc.examples_run} of "
                            f"{selected} examples, so no page was written")
        session.exitstatus = pytest.ExitCode.INTERRUPTED
        return
    changed = sorted(doc.site.config.relative(path) for path in
                     {(doc.site.root / edit.page).resolve() for edit in doc.edits}
                     if _stat(path) != doc.read_as.get(path))
    if changed:
        doc.update_error = (f"--update-output: {', '.join(changed)} changed while the examples "
                            "ran, so no page was written; run it again")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        return
    try:
        doc.changes = update.apply(doc.site.root, doc.edits)
        update.write(doc.changes)
    except (OSError, PageError) as e:
        doc.update_error = f"--update-output: no page was written: {e}"
        doc.changes = []
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    doc = config.stash.get(SESSION, None)
    if doc is None or not doc.update:
        return
    write = terminalreporter.write_line
    for change in doc.changes:
        write(change.diff(doc.site.config.relative(change.path)))
    if doc.update_error:
        write(doc.update_error, red=True, bold=True)
    else:
        write(f"--update-output: rewrote {len(doc.changes)} page(s)", bold=True)
