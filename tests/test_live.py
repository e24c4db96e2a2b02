"""The live outputs of `mkdocs serve` (sitebuild/live.py), with a runner whose runs the test
decides: what is marked on a page, where, and what happens when runs fail or come late."""

from __future__ import annotations

import logging
import signal
import threading
import time
import types
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Protocol

import pytest

from docscheck import EngineError, Example, ExampleRun, Page, Runner, Site, Verdict
from sitebuild import live

MKDOCS_YML = """\
site_name: fixture
markdown_extensions:
  - pymdownx.superfences
  - pymdownx.snippets:
      base_path: ["."]
      check_paths: true
"""
FENCE = "```"


def _page(prose_above: str = "", shown: str = "1") -> str:
    return (f"# Page\n\n{prose_above}{FENCE}python\nprint(1)\n{FENCE}\n"
            f"{FENCE}output\n{shown}\n{FENCE}\n")


class FakeRunner:
    """Runs nothing: each run is a future the test ends with ``finish``."""

    def __init__(self) -> None:
        self.started: list[tuple[str, Future[tuple[ExampleRun, ...]]]] = []
        self.failed = False
        self.closed = False

    def start(self) -> None:
        pass

    def refresh(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def run(self, chain: Sequence[Example], server: int = 0) -> Future[tuple[ExampleRun, ...]]:
        future: Future[tuple[ExampleRun, ...]] = Future()
        self.started.append((chain[0].code, future))
        return future


class Pages(Protocol):
    """The ``site`` fixture: ``site(a=text, ...)`` writes docs/a.md, ... and reads them."""

    def __call__(self, **texts: str) -> dict[str, Page]: ...


class CountedOutputs(live.LiveOutputs):
    """The live outputs, with no server: the builds they ask for are counted in ``rebuilds``."""

    def __init__(self, root: Path, runner: Callable[[], FakeRunner]):
        super().__init__(root, runner=runner)
        self.rebuilds: list[int] = []
        self.rebuild = lambda: self.rebuilds.append(1)


# The ``outputs`` fixture: the live outputs, and the runners they made (the last one in use).
Outputs = tuple[CountedOutputs, list[FakeRunner]]


@pytest.fixture
def site(tmp_path: Path) -> Pages:
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML)
    (tmp_path / "docs").mkdir()

    def pages(**texts: str) -> dict[str, Page]:
        for name, text in texts.items():
            (tmp_path / "docs" / f"{name}.md").write_text(text)
        loaded = Site.load(tmp_path / "mkdocs.yml")
        return {f"{name}.md": loaded.read(tmp_path / "docs" / f"{name}.md") for name in texts}

    return pages


@pytest.fixture
def outputs(tmp_path: Path) -> Iterator[Outputs]:
    runners: list[FakeRunner] = []

    def new() -> FakeRunner:
        runners.append(FakeRunner())
        return runners[-1]

    made = CountedOutputs(tmp_path, runner=new)
    made.WAIT = 0.2
    yield made, runners
    made.close()


def _output_line(verdict: Verdict) -> int:
    """The page line of the output block a verdict is about."""
    output = verdict.example.output
    assert output is not None
    return output.origins[-1].line


def _finish_all(runners: list[FakeRunner], printed: str = "2\n") -> None:
    for _, future in runners[-1].started:
        if not future.done():
            future.set_result((ExampleRun(printed),))


def _finish_once_started(runners: list[FakeRunner]) -> None:
    """Finish the runs as soon as the check has started them (it may take a while to get there
    on a busy machine: a fixed delay would sometimes come first and finish nothing)."""
    deadline = time.monotonic() + 30
    while not (runners and runners[-1].started) and time.monotonic() < deadline:
        time.sleep(0.01)
    _finish_all(runners)


def test_a_mark_follows_its_example_when_prose_above_it_moves(site: Pages, outputs: Outputs) -> None:
    made, runners = outputs
    first = made.check(site(a=_page()))
    assert first == {}  # not run yet: nothing to show
    _finish_all(runners)
    assert made.rebuilds == [1]  # the run ended after the build: the server builds again
    verdicts = made.check(site(a=_page()))["a.md"]
    assert _output_line(verdicts[0]) == 8
    moved = made.check(site(a=_page("Two new\nlines.\n\n")))["a.md"]
    assert _output_line(moved[0]) == 11  # judged on the page as it is now
    assert len(runners[-1].started) == 1  # and not run again: the code did not change


def test_a_page_added_while_serving_is_run_and_marked(site: Pages, outputs: Outputs) -> None:
    made, runners = outputs
    made.check(site(a=_page(shown="2")))
    _finish_all(runners)
    assert made.check(site(a=_page(shown="2"))) == {}
    made.check(site(a=_page(shown="2"), b=_page(prose_above="New.\n\n")))
    _finish_all(runners)
    marked = made.check(site(a=_page(shown="2"), b=_page(prose_above="New.\n\n")))
    assert list(marked) == ["b.md"]


def test_a_run_the_build_waits_for_is_shown_by_that_build_without_another(site: Pages,
                                                                          outputs: Outputs) -> None:
    made, runners = outputs
    made.WAIT = 5.0
    threading.Thread(target=_finish_once_started, args=(runners,)).start()
    assert list(made.check(site(a=_page()))) == ["a.md"]
    assert made.rebuilds == []


def test_a_dead_warm_interpreter_is_replaced_and_its_chain_shown_as_failing(site: Pages,
                                                                            outputs: Outputs) -> None:
    made, runners = outputs
    made.check(site(a=_page()))
    runners[0].failed = True
    runners[0].started[0][1].set_exception(EngineError("a warm interpreter stopped (status -9)"))
    assert len(runners) == 2
    marked = made.check(site(a=_page()))["a.md"]
    assert "could not run: a warm interpreter stopped" in (marked[0].failure or "")
    # Edited, the example runs again, on the new warm interpreters.
    made.check(site(a=_page().replace("print(1)", "print(3)")))
    assert len(runners[1].started) == 1


@pytest.mark.parametrize("failed", [False, True])
def test_a_run_that_fails_with_warm_interpreters_alive_keeps_them(site: Pages, outputs: Outputs,
                                                                   failed: bool) -> None:
    """Only an engine error from a runner whose warm interpreter died replaces the runner: an
    engine error of a runner that still works, or another error, is shown on its chain."""
    made, runners = outputs
    made.check(site(a=_page()))
    error = EngineError("the run was stopped before it ended") if not failed else ValueError("bug")
    runners[0].failed = failed
    runners[0].started[0][1].set_exception(error)
    assert len(runners) == 1 and not runners[0].closed
    marked = made.check(site(a=_page()))["a.md"]
    assert f"could not run: {error}" in (marked[0].failure or "")


def test_a_failing_example_is_marked_with_what_the_doc_test_says(
        site: Pages, outputs: Outputs, caplog: pytest.LogCaptureFixture) -> None:
    made, runners = outputs
    made.check(site(a=_page()))
    runners[0].started[0][1].set_exception(ValueError("a bug"))
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.sitebuild"):
        [verdict] = made.check(site(a=_page()))["a.md"]
    assert live.mark(verdict, "command") == [
        "", '!!! failure "This example fails now"', "", "    The doc-test says:", "",
        "    ```text", "    docs/a.md:3: the example could not run: a bug", "    ```", "",
        "    Fix the example; the page is checked again as soon as you save.", ""]
    assert caplog.messages == ["docs/a.md:3: fails now: the example could not run: a bug"]


def test_the_terminal_says_which_example_is_out_of_date(
        site: Pages, outputs: Outputs, caplog: pytest.LogCaptureFixture) -> None:
    made, runners = outputs
    made.check(site(a=_page()))
    _finish_all(runners, "2\n")
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.sitebuild"):
        made.check(site(a=_page()))
    assert caplog.messages == ["docs/a.md:3: out of date: the page shows other output than the "
                               "example prints now (make update writes it)"]


@pytest.mark.parametrize("printed, shown", [
    ("10%\r20%\n", "10%<CR>20%"),
    ('--8<-- "snippets/x.py"\n', ';--8<-- "snippets/x.py"'),
    ('--8<-- "a.py" --8<-- "b.py"\n', ';--8<-- "a.py" --8<-- "b.py"'),  # a line's start is enough
    ("```\nafter\n", "```"),
])
def test_what_an_example_prints_stays_inside_its_box(printed: str, shown: str, site: Pages,
                                                      outputs: Outputs) -> None:
    made, runners = outputs
    made.check(site(a=_page()))
    _finish_all(runners, printed)
    verdict = made.check(site(a=_page()))["a.md"][0]
    box = live.mark(verdict, "command")
    assert f"    {shown}" in box
    opening = next(line.strip() for line in box if line.strip().endswith("`text"))
    fence = opening[:-len("text")]
    assert box.count(f"    {fence}") == 1  # closed once, by its own fence: no printed line does
    assert all(line.strip() != fence for line in box[:box.index(f"    {opening}")])


def test_an_example_without_output_block_is_marked_as_such(site: Pages, outputs: Outputs) -> None:
    made, runners = outputs
    page = f"# Page\n\n{FENCE}python\nprint(1)\n{FENCE}\n"
    made.check(site(a=page))
    _finish_all(runners)
    verdict = made.check(site(a=page))["a.md"][0]
    box = live.mark(verdict, "command")
    assert box[:4] == ["", '!!! failure "This example prints output the page does not show"', "",
                       "    The page shows no output block after it. The example prints:"]
    assert box[-2:] == ["    Add it to the page with `make update`, or for this page alone "
                        "`command`.", ""]


def test_an_example_printing_other_output_is_marked_out_of_date(site: Pages,
                                                                outputs: Outputs) -> None:
    made, runners = outputs
    made.check(site(a=_page()))
    _finish_all(runners, "2\n")
    verdict = made.check(site(a=_page()))["a.md"][0]
    assert live.mark(verdict, "command") == [
        "", '!!! failure "Out of date: this example prints something else now"', "",
        "    The output block above is the one written in the page. The example prints now:", "",
        "    ```text", "    2", "    ```", "",
        "    Write it into the page with `make update`, or for this page alone `command`.", ""]


def test_the_time_limit_of_an_example_is_the_engines_default_unless_set(tmp_path: Path) -> None:
    """One default time limit (docscheck.runner.DEFAULT_TIMEOUT) for the doc-test and for the
    live outputs of `mkdocs serve`; the site's pytest settings may change it for both."""
    import pytest as pytest_module

    from docscheck.runner import DEFAULT_TIMEOUT

    (tmp_path / "pyproject.toml").write_text("[tool.pytest.ini_options]\n")
    assert live._settings(tmp_path)[1] == DEFAULT_TIMEOUT
    config = pytest_module.Config.fromdictargs({}, [str(tmp_path)])
    assert float(config.getini("docscheck_timeout")) == DEFAULT_TIMEOUT
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\ndocscheck_timeout = "12"\n')
    assert live._settings(tmp_path)[1] == 12


def test_the_live_outputs_run_in_the_doc_tests_engine_with_the_sites_settings(
        tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\ndocscheck_warmup = "import json"\ndocscheck_timeout = "12"\n')
    made = live.LiveOutputs(tmp_path)
    try:
        assert isinstance(made.runner, Runner)
        assert (made.runner.root, made.runner.warmup, made.runner.timeout) == (
            tmp_path.resolve(), "import json", 12)
    finally:
        made.close()


@pytest.mark.parametrize("page, before", [
    ('<!doctype html><html><head><title>t</title></head><body class="x">café', '<body class="x">'),
    # a body tag in a comment, a script or an attribute is not the page's
    ('<!-- <body> --><head><title>é</title><script>let s = "<body>";</script></head><body>x', "<body>"),
    ('<html><head><meta content="<body>"></head>\n<body data-x=">">x', '<body data-x=">">'),
    ("<p>no body tag at all</p>", ""),
    ('<head><style>/* <body> */ p::after { content: "<body>" }</style></head><body>x', "<body>"),
])
def test_the_error_banner_goes_after_the_pages_body_tag(page: str, before: str) -> None:
    expected = len(page[:page.rindex(before) + len(before)].encode()) if before else 0
    assert live.body_content_start(page.encode()) == expected  # in bytes


@pytest.mark.parametrize("level, message, shown", [
    (logging.INFO, "Building documentation...", False),
    (logging.INFO, "[12:03:59] Detected file changes", False),
    (logging.INFO, "[12:03:59] Reloading browsers", False),
    (logging.INFO, "Documentation built in 0.52 seconds", True),
    (logging.INFO, "[12:03:59] Serving on http://127.0.0.1:8000/", True),
    (logging.WARNING, "Building documentation...", True),
])
def test_a_rebuild_says_only_what_an_author_needs_in_the_terminal(level: int, message: str,
                                                                  shown: bool) -> None:
    record = logging.LogRecord("mkdocs", level, __file__, 1, "%s", (message,), None)
    assert live._Routine().filter(record) is shown


class FakeServer:
    """What BuildErrors uses of MkDocs' LiveReloadServer: a build that fails while ``error``
    is set, the script it injects, and its error pages."""

    def __init__(self) -> None:
        self.error: Exception | None = None
        self._visible_epoch = 7
        self.on_build_error: Callable[[Exception], None] = lambda error: None

    def builder(self, config: object = None) -> None:
        if self.error is not None:
            self.on_build_error(self.error)  # MkDocs calls the plugins' on_build_error, then raises
            raise self.error

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        end = content.rfind(b"</body>")  # as MkDocs does: before the end tag, if there is one
        end = len(content) if end < 0 else end
        return content[:end] + f"<script>reload({epoch})</script>".encode() + content[end:]

    def error_handler(self, code: int) -> bytes | None:
        return f"error {code}".encode()


def test_live_outputs_made_before_the_server_ask_for_builds_once_it_is_there(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(signal, "signal", lambda *args: None)  # not this process's SIGTERM
    monkeypatch.setattr(live, "LiveOutputs", lambda root: types.SimpleNamespace(rebuild=None))
    serving = live.Serving()
    made = serving.outputs(tmp_path)
    assert made.rebuild() is None  # no server yet: asking for a build does nothing
    server = FakeServer()
    server._rebuild_cond = threading.Condition()  # type: ignore[attr-defined]
    server._want_rebuild = False  # type: ignore[attr-defined]
    serving.attach(server)
    made.rebuild()
    assert server._want_rebuild is True  # type: ignore[attr-defined]
    assert serving.outputs(tmp_path) is made


def test_what_mkdocs_logged_while_a_build_failed_is_shown_first() -> None:
    """Warnings and errors MkDocs' loggers wrote during the failed build (a strict build's
    warnings, say), then the error it ended with; nothing below a warning."""
    server = FakeServer()
    errors = live.BuildErrors(server)
    build = errors._build  # the server's own build, which BuildErrors calls

    def logging_build(config: object = None) -> None:
        logging.getLogger("mkdocs.structure.pages").info("Doc file 'a.md' read")
        logging.getLogger("mkdocs.structure.pages").warning("Doc file 'a.md' links to 'b.md'")
        build(config)

    errors._build = logging_build
    server.error = ValueError("Aborted with 1 warnings in strict mode!")
    server.builder()
    assert errors.messages == ["Doc file 'a.md' links to 'b.md'",
                               "Aborted with 1 warnings in strict mode!"]


@pytest.mark.parametrize("error, said", [
    (KeyError(), "KeyError"), (ValueError("docs/a.md:3: no such snippet"), "docs/a.md:3: no such snippet")])
def test_a_failed_build_is_shown_on_every_page_until_one_succeeds(error: Exception, said: str) -> None:
    server = FakeServer()
    errors = live.BuildErrors(server)
    server.on_build_error = errors.failed  # as the plugin's on_build_error does
    server.error = error
    server.builder()  # the server calls the build through BuildErrors
    assert errors.messages == [said]
    page = errors.inject(b"<html><body><p>page</p></body></html>", 3)
    assert page.startswith(b'<html><body><div class="sitebuild-build-error" role="alert"')
    assert f"<li><code>{said}</code></li>".encode() in page
    assert b"The page below is what the failed build wrote before it failed." in page
    alone = errors.error_page(404)
    assert alone is not None and b"The page reloads when a build succeeds." in alone
    assert alone.endswith(b"</ul></div><script>reload(7)</script></body></html>")
    server.error = None
    server.builder()
    assert errors.messages == []
    assert errors.inject(b"<body>page</body>", 3) == b"<body>page<script>reload(3)</script></body>"
    assert errors.error_page(404) == b"error 404"
