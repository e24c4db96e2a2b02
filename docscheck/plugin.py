"""The pytest plugin (entry point ``docscheck`` in pyproject.toml): every page is a test file.

A page under the site's ``docs_dir`` (read from ``mkdocs.yml`` at pytest's root) is collected
as a file whose items are its examples (``items``), which the engine runs. When
collection ends, every selected chain of examples is sent to the warm interpreters
(``Runner``): twice, or four times with ``--docscheck-thorough`` (the default in CI); the chains
run in parallel, and each item then waits for its own results and judges them
(``verdict.judge``).

``--update-output`` rewrites output blocks instead of failing on them (``update``). The
session's state has one owner, ``session.DocSession``; this module holds the hooks, the
options and the fixtures.
"""

from __future__ import annotations

import signal
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from . import runner, update
from .config import MARKDOWN_SUFFIXES, SiteConfig
from .errors import PageError
from .items import DocPage, ExampleItem, NotATest, PageProblem
from .runner import Runner, Runs
from .session import MKDOCS_YML, SESSION, DocSession, distributed

if TYPE_CHECKING:
    from collections.abc import Callable

    from .page import Example

def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("docscheck", "checked examples of an MkDocs site")
    group.addoption("--update-output", action="store_true", default=False, dest="update_output",
                    help="rewrite every output block under the docs with what its example "
                         "really prints (all pages or none)")
    group.addoption("--docscheck-thorough", action="store_true", default=False,
                    dest="docscheck_thorough",
                    help="run every chain four times, not two: also with one thread and "
                         "torch's portable CPU kernels, and in a new interpreter (the default "
                         "when the environment variable CI is set)")
    group.addoption("--no-cache", action="store_true", default=False, dest="docscheck_no_cache",
                    help="run every example, also those whose chain passed last time with "
                         "everything it depends on unchanged (.cache/docscheck/)")
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


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM ends the session as Ctrl-C does: what runs is stopped and cleaned up."""
    raise KeyboardInterrupt(f"ended by {signal.Signals(signum).name}")


def _restore_sigterm() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


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
    if doc.update and distributed(config):
        raise pytest.UsageError("--update-output rewrites pages from one process: run it "
                                "without -n (pytest-xdist)")
    if not config.option.collectonly and not distributed(config) and _runs_pages(config, doc):
        doc.start_early()
    if threading.current_thread() is threading.main_thread() and \
            signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminated)
        config.add_cleanup(_restore_sigterm)


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
) -> Callable[[tuple[Example, ...]], Future[Runs]]:
    """``chain -> future of its runs`` (by name: ``runner.RUNS``) for a chain of a page,
    shared with the doc-test of that page in this session (``DocSession.chain_runs``)."""
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
    if not distributed(session.config):
        doc.submit(examples)
        return
    doc.pending = examples  # sent when this process runs its first example, if ever


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
    if doc is not None and exitstatus != pytest.ExitCode.INTERRUPTED and doc.collected:
        try:
            doc.remember()
        except OSError as e:  # a read-only checkout, say: the next session runs everything
            doc.remember_error = f"docscheck: the results were not kept for the next run: {e}"
        except PageError:  # the site could not be read: the pages' own failures say why
            pass
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
    if doc is not None and doc.remember_error:
        terminalreporter.write_line(doc.remember_error, yellow=True)
    if doc is not None and doc.reused:
        terminalreporter.write_line(
            f"docscheck: {doc.reused} example(s) not run again: their chain passed last time "
            "and nothing it depends on has changed (--no-cache runs them)")
    if doc is not None and doc.runner.repeated:
        terminalreporter.write_line(
            f"docscheck: {len(doc.runner.repeated)} run(s) made again, as their process exited "
            "in the middle of its chain (the second run is the one judged):", yellow=True)
        for line in doc.runner.repeated:
            terminalreporter.write_line(f"  {line}", yellow=True)
    if doc is None or not doc.update:
        return
    write = terminalreporter.write_line
    for change in doc.changes:
        write(change.diff(doc.site.config.relative(change.path)))
    if doc.update_error:
        write(doc.update_error, red=True, bold=True)
    else:
        write(f"--update-output: rewrote {len(doc.changes)} page(s)", bold=True)
