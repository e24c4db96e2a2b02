"""What `mkdocs serve` adds to a build: live outputs, and build errors shown in the browser.

**Live outputs.** While an author edits, the examples of a page run again when they change (the
code, its snippets or the output block): in the doc-test engine's own runner, two warm
interpreters started with the first build and kept for every rebuild, once per chain (the
doc-test, which runs each chain twice, also says when an output depends on chance). An example
whose output block is not what it prints now, or that fails, is marked on the served page with
what it prints and the command that writes it, and named in the terminal, one line per block.
Examples that did not change are not run again; their last verdict stays on the page.
`mkdocs build` (and so CI) never runs examples: the doc-test does.

**Build errors.** MkDocs' server makes every request wait while a rebuild is under way, and when
the rebuild fails it keeps them waiting until one succeeds. Under `mkdocs serve` a failed
rebuild instead ends like a successful one: the browsers reload, and every page served shows the
error (each message the build logged: page, line, reason), on its own where the failed build
left no page (it empties the site folder first), above the page where there is one, until a
rebuild succeeds and the browsers reload again.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
import signal
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, wait
from pathlib import Path
from typing import Any, Protocol

from docscheck import Example, ExampleRun, Page, Runner, Verdict, judge
from docscheck.page import MAX_TIMEOUT
from docscheck.runner import DEFAULT_TIMEOUT, EngineError
from docscheck.update import SNIPPET_NOTATION, fence_for
from docscheck.verdict import bounded, visible

from . import markup

log = logging.getLogger("mkdocs.plugins.sitebuild")


# What MkDocs and mkdocs-jupyter say at every rebuild, which an author watching the terminal
# need not read: a rebuild prints one line ("Documentation built in ..."), and what is wrong.
_ROUTINE = ("Building documentation...", "Detected file changes", "Reloading browsers",
            "Cleaning site directory", "Cache hit: ", "Copied jupyter file: ")


class _Routine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            return True
        message = record.getMessage()
        message = re.sub(r"^\[\d\d:\d\d:\d\d\] ", "", message)
        return not message.startswith(_ROUTINE)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _no_server() -> None:
    """Before the server is there, nothing to ask for."""


class Serving:
    """What lasts from build to build of one `mkdocs serve`: the live outputs (started with
    the first build) and the way to ask the server for a build. The plugin makes one when the
    command is `mkdocs serve`, and none for `mkdocs build`."""

    def __init__(self) -> None:
        for handler in logging.getLogger("mkdocs").handlers:
            handler.addFilter(_Routine())
        # Ended with SIGTERM (`kill`, a terminal closed) as with Ctrl-C: MkDocs then shuts down
        # (on_shutdown stops the warm interpreters) and removes its temporary folders.
        signal.signal(signal.SIGTERM, _interrupt)
        self._outputs: LiveOutputs | None = None
        self._rebuild: Callable[[], None] = _no_server
        self._errors: BuildErrors | None = None

    def attach(self, server: Any) -> None:
        """Show build errors in the browser (``BuildErrors``), and let the live outputs ask
        ``server`` (MkDocs' LiveReloadServer) for a build, as its file watcher does when a file
        changes."""
        self._errors = BuildErrors(server)

        def rebuild() -> None:
            with server._rebuild_cond:
                server._want_rebuild = True
                server._rebuild_cond.notify_all()

        self._rebuild = rebuild
        if self._outputs is not None:
            self._outputs.rebuild = rebuild

    def outputs(self, root: Path) -> LiveOutputs:
        """The live outputs, kept from build to build."""
        if self._outputs is None:
            self._outputs = LiveOutputs(root)
            self._outputs.rebuild = self._rebuild
        return self._outputs

    def failed(self, error: BaseException) -> None:
        """The error that ended a build, for the pages served to show."""
        if self._errors is not None:
            self._errors.failed(error)

    def stop(self) -> None:
        if self._outputs is not None:
            self._outputs.close()
            self._outputs = None


def _settings(root: Path) -> tuple[str, float]:
    """The doc-test's warm-up code and time limit, from the pytest settings of the site (the
    file pytest itself would read: pytest.ini, pyproject.toml, tox.ini or setup.cfg)."""
    from _pytest.config.findpaths import determine_setup

    try:
        found = determine_setup(inifile=None, override_ini=None, args=[str(root)],
                                rootdir_cmd_arg=str(root), invocation_dir=root)[2]
    except Exception:  # noqa: BLE001 - no usable settings: the doc-test reports them itself
        found = {}
    ini = {k: getattr(v, "value", v) for k, v in found.items()}  # pytest 9 wraps each value
    warmup = str(ini.get("docscheck_warmup", ""))
    try:
        timeout = float(str(ini.get("docscheck_timeout", DEFAULT_TIMEOUT)))
    except ValueError:
        timeout = DEFAULT_TIMEOUT
    return warmup, timeout if 0 < timeout <= MAX_TIMEOUT else DEFAULT_TIMEOUT


def _key(chain: Iterable[Example]) -> str:
    """A chain as it runs: its code and options (what it prints does not depend on the page's
    output blocks, against which it is judged again at every build)."""
    return hashlib.sha256(json.dumps([[e.code, e.raises, e.timeout] for e in chain]).encode()
                          ).hexdigest()


def body_content_start(content: bytes) -> int:
    """Where a served page's body begins: the offset (in bytes) after its start tag, as an HTML
    parser finds it (not in a comment, a script or an attribute); 0 for a page without one."""
    page = content.decode("utf-8", "surrogateescape")
    for token in markup.tokens(page, opaque=frozenset({"script", "style"})):
        if token.kind == "start" and token.tag == "body":
            return len(page[:token.end].encode("utf-8", "surrogateescape"))
    return 0


class ChainRunner(Protocol):
    """What the live outputs use of a runner: the engine's ``Runner``, or a test's stand-in."""

    @property
    def failed(self) -> bool: ...
    def start(self) -> None: ...
    def refresh(self) -> None: ...
    def close(self) -> None: ...
    def run(self, chain: Sequence[Example], server: int = 0) -> Future[tuple[ExampleRun, ...]]: ...


class LiveOutputs:
    """What each chain of the site prints now, run once per version of its code in the doc-test
    engine's runner, and the verdicts on the pages as they are at each build.

    Every chain runs in the background: those of the first build as the server starts, a new or
    changed one as soon as a build reads it. A build waits a moment for the runs it started
    (most take well under a second), and asks for another build when runs it did not wait for
    end, so that a slow example never holds the server. A warm interpreter that dies (an
    example killed it) is replaced, and the chain it ran is shown as failing."""

    WAIT = 3.0  # seconds a build waits for the runs it started

    def __init__(self, root: Path, runner: Callable[[], ChainRunner] | None = None):
        warmup, timeout = _settings(root)
        self._new_runner: Callable[[], ChainRunner] = runner or (
            lambda: Runner(root, warmup=warmup, timeout=timeout))
        self.runner = self._new_runner()
        self.runner.start()
        self.runs: dict[str, tuple[ExampleRun, ...] | str] = {}  # key -> its run, or why none
        self.running: dict[str, Future[tuple[ExampleRun, ...]]] = {}
        self.rebuild: Callable[[], None] = _no_server  # asks the server for a build
        self._building = False  # a build is under way: it shows what ends before it checks
        self._lock = threading.Lock()

    def close(self) -> None:
        self.runner.close()

    def check(self, pages: dict[str, Page]) -> dict[str, list[Verdict]]:
        """The failing verdicts on the examples of ``pages`` (by page), from the runs of their
        chains as they are now; starts the runs of chains not run yet."""
        chains = {uri: page.chains() for uri, page in pages.items()}
        keys = {_key(chain): chain for each in chains.values() for chain in each}
        self.runner.refresh()  # runs started now see the repository's files as they are now
        with self._lock:
            self._building = True
            for key in [k for k in self.runs if k not in keys]:  # no page has it any more
                del self.runs[key]
            started = [self._start(key, chain) for key, chain in keys.items()
                       if key not in self.runs and key not in self.running]
        wait([f for f in started if f is not None], timeout=self.WAIT)
        with self._lock:
            self._building = False
            runs = dict(self.runs)
        failing: dict[str, list[Verdict]] = {}
        for uri, each in chains.items():
            for chain in each:
                got = runs.get(_key(chain))
                if got is None:
                    continue
                if isinstance(got, str):
                    verdicts = [Verdict(chain[0], f"{chain[0].where}: the example could not run: "
                                                  f"{got}")]
                else:
                    verdicts = [judge(e, r, r) for e, r in zip(chain, got, strict=True)]
                wrong = [v for v in verdicts if not v.ok]
                if wrong:
                    failing.setdefault(uri, []).extend(wrong)
        for verdict in (v for each in failing.values() for v in each):
            log.info(f"{verdict.example.where}: {_headline(verdict)}")
        return failing

    def _start(self, key: str, chain: tuple[Example, ...]) -> Future[tuple[ExampleRun, ...]] | None:
        """Run ``chain`` once (called with the lock held)."""
        future = self.runner.run(chain, server=len(self.running) % Runner.SERVERS)
        self.running[key] = future
        future.add_done_callback(lambda done: self._finished(key, done))
        return future

    def _finished(self, key: str, future: Future[tuple[ExampleRun, ...]]) -> None:
        error = future.exception()
        with self._lock:
            self.running.pop(key, None)
            if error is None:
                self.runs[key] = future.result()
            else:
                self.runs[key] = str(error)
                if isinstance(error, EngineError) and self.runner.failed:
                    # A warm interpreter died: every later run would fail. Start new ones; the
                    # chains that were running with the old ones run again.
                    old, self.runner = self.runner, self._new_runner()
                    self.runner.start()
                    threading.Thread(target=old.close, daemon=True).start()
            wanted = not self._building
        if wanted:
            self.rebuild()


def _headline(verdict: Verdict) -> str:
    if verdict.actual is not None and verdict.example.output is None:
        return "prints output the page does not show (make update adds an output block)"
    if verdict.actual is not None:
        return ("out of date: the page shows other output than the example prints now "
                "(make update writes it)")
    return "fails now: " + (verdict.failure or "").split("\n")[0].split(": ", 1)[-1]


def _shown(text: str) -> list[str]:
    """Printed text as lines a box on the page can hold: bounded, invisible characters (a
    carriage return among them) spelled out, include notation escaped as the site unescapes it."""
    lines = []
    for line in bounded(text.rstrip("\n")).split("\n"):
        line = visible(line)[0].replace("·", " ")
        if SNIPPET_NOTATION.search(line):
            line = re.sub(r"(-+8<-+)", r";\1", line, count=1)
        lines.append(line)
    return lines


def mark(verdict: Verdict, command: str) -> list[str]:
    """The Markdown put under an example's output block on the served page."""
    if verdict.actual is not None and verdict.example.output is None:
        title, intro = ("This example prints output the page does not show",
                        "The page shows no output block after it. The example prints:")
        text = _shown(verdict.actual)
        ending = (f"Add it to the page with `make update`, or for this page alone `{command}`.")
    elif verdict.actual is not None:
        title, intro = ("Out of date: this example prints something else now",
                        "The output block above is the one written in the page. The example "
                        "prints now:")
        text = _shown(verdict.actual)
        ending = f"Write it into the page with `make update`, or for this page alone `{command}`."
    else:
        title, intro = "This example fails now", "The doc-test says:"
        text = _shown(verdict.failure or "")
        ending = "Fix the example; the page is checked again as soon as you save."
    fence = fence_for(text)
    body = ["", f"{intro}", "", f"{fence}text", *text, fence, "", ending]
    return ["", f'!!! failure "{title}"',
            *[f"    {line}" if line else "" for line in body], ""]


def page_command(page_path: str) -> str:
    return f".venv/bin/python -m pytest {page_path} --update-output"


class BuildErrors:
    """Build errors under `mkdocs serve`, shown in the browser instead of a stuck request."""

    def __init__(self, server: Any):
        self.messages: list[str] = []
        # The error that ended the build under way (``failed``, from the plugin's
        # on_build_error): MkDocs logs a message once per `mkdocs serve`, so a build failing
        # again for the same reason logs nothing, and only the error says why.
        self._error: str | None = None
        self._server = server
        self._build: Callable[..., None] = server.builder
        self._inject: Callable[[bytes, int], bytes] = server._inject_js_into_html
        self._error_page: Callable[[int], bytes | None] = server.error_handler
        server.builder = self.build
        server._inject_js_into_html = self.inject
        server.error_handler = self.error_page

    def failed(self, error: BaseException) -> None:
        self._error = str(error) or type(error).__name__

    def build(self, config: Any = None) -> None:
        logged: list[str] = []
        handler = _Collect(logged)
        mkdocs_log = logging.getLogger("mkdocs")
        mkdocs_log.addHandler(handler)
        self._error = None
        try:
            self._build(config)
        except Exception as e:  # noqa: BLE001 - any failed build: shown, and the server goes on
            said = [*logged, *([self._error] if self._error else []), str(e) or type(e).__name__]
            self.messages = list(dict.fromkeys(said))  # each once, in order
            log.error("The build failed; the pages served show why until a build succeeds.")
        else:
            self.messages = []
        finally:
            mkdocs_log.removeHandler(handler)

    def inject(self, content: bytes, epoch: int) -> bytes:
        content = self._inject(content, epoch)
        if not self.messages:
            return content
        at = body_content_start(content)
        alone = content[at:].lstrip().startswith(b"<script")  # the error page: nothing else
        return content[:at] + self.banner(alone).encode() + content[at:]

    def error_page(self, code: int) -> bytes | None:
        """A failed build cleaned the site folder before it failed: a page it did not write
        again shows the error alone, and reloads when a build succeeds."""
        if self.messages and code == 404:
            page = (b'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                    b"<title>The build failed</title></head><body></body></html>")
            return self.inject(page, self._server._visible_epoch)
        return self._error_page(code)

    def banner(self, alone: bool) -> str:
        items = "".join(f"<li><code>{html.escape(m)}</code></li>" for m in self.messages)
        where = ("The page reloads when a build succeeds." if alone
                 else "The page below is what the failed build wrote before it failed.")
        return ('<div class="sitebuild-build-error" role="alert" style="position:sticky;top:0;'
                "z-index:10;padding:1em 1.5em;background:#b00020;color:#fff;font:16px/1.5 "
                f'sans-serif"><strong>The last build failed.</strong> {where} Fix this and save:'
                f'<ul style="margin:.5em 0 0">{items}</ul></div>')


class _Collect(logging.Handler):
    def __init__(self, into: list[str]):
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())
