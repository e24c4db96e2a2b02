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
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from docscheck import Example, Page, Runner, Verdict, judge

log = logging.getLogger("mkdocs.plugins.sitebuild")

_serving = False  # set by on_startup when the command is `mkdocs serve`
_outputs: LiveOutputs | None = None


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


def start(command: str) -> None:
    global _serving
    _serving = command == "serve"
    if _serving:
        for handler in logging.getLogger("mkdocs").handlers:
            handler.addFilter(_Routine())
        # Ended with SIGTERM (`kill`, a terminal closed) as with Ctrl-C: MkDocs then shuts down
        # (on_shutdown stops the warm interpreters) and removes its temporary folders.
        signal.signal(signal.SIGTERM, _interrupt)


def stop() -> None:
    global _outputs
    if _outputs is not None:
        _outputs.close()
        _outputs = None


def outputs(root: Path) -> LiveOutputs | None:
    """The live outputs of this `mkdocs serve`, kept from build to build; None for a build."""
    global _outputs
    if not _serving:
        return None
    if _outputs is None:
        _outputs = LiveOutputs(root)
    return _outputs


def _settings(root: Path) -> tuple[str, float | None]:
    """The doc-test's warm-up code and time limit, from pyproject.toml as pytest reads them."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return "", None
    options = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get(
        "pytest", {}).get("ini_options", {})
    timeout = options.get("docscheck_timeout")
    return str(options.get("docscheck_warmup", "")), float(timeout) if timeout else None


def _key(chain: Iterable[Example]) -> str:
    """A chain as it runs and is compared: its code, output blocks and options."""
    parts = [json.dumps([e.code, e.shown, e.raises, e.timeout]) for e in chain]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class LiveOutputs:
    """The verdicts on the examples that changed since the server started."""

    def __init__(self, root: Path):
        warmup, timeout = _settings(root)
        self.runner = (Runner(root, warmup=warmup, timeout=timeout) if timeout
                       else Runner(root, warmup=warmup))
        self.runner.start()  # warm by the time the author first saves a change
        self.seen: dict[str, set[str]] = {}  # page -> keys of its chains at the last build
        self.verdicts: dict[str, list[Verdict]] = {}  # chain key -> verdicts of its examples

    def close(self) -> None:
        self.runner.close()

    def check(self, uri: str, page: Page) -> list[Verdict]:
        """The failing verdicts on the examples of ``page``: those of the chains that changed
        since the last build, run now, and those still standing from earlier runs."""
        chains = page.chains()
        keys = [_key(chain) for chain in chains]
        previous = self.seen.get(uri)
        self.seen[uri] = set(keys)
        if previous is not None:
            changed = [(key, chain) for key, chain in zip(keys, chains, strict=True)
                       if key not in previous and key not in self.verdicts]
            # Once each, on both warm interpreters at once: whether an output depends on
            # chance is the doc-test's to say, from two runs; here, what it prints now.
            running = [(key, chain, self.runner.run(chain, server=n % Runner.SERVERS))
                       for n, (key, chain) in enumerate(changed)]
            for key, chain, future in running:
                runs = future.result()
                self.verdicts[key] = [judge(example, run, run)
                                      for example, run in zip(chain, runs, strict=True)]
        failing = [v for key in keys for v in self.verdicts.get(key, []) if not v.ok]
        for verdict in failing:
            log.info(f"{verdict.example.where}: {_headline(verdict)}")
        return failing


def _headline(verdict: Verdict) -> str:
    if verdict.actual is not None:
        return ("out of date: the page shows other output than the example prints now "
                "(make update writes it)")
    return "fails now: " + (verdict.failure or "").split("\n")[0].split(": ", 1)[-1]


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def mark(verdict: Verdict, command: str) -> list[str]:
    """The Markdown put under an example's output block on the served page."""
    if verdict.actual is not None:
        title, intro, text = ("Out of date: this example prints something else now",
                              "The output block above is the one written in the page. The "
                              "example prints now:", verdict.actual.rstrip("\n"))
        ending = f"Write it into the page with `make update`, or for this page alone `{command}`."
    else:
        title, intro, text = ("This example fails now", "The doc-test says:",
                              (verdict.failure or "").rstrip("\n"))
        ending = "Fix the example; the page is checked again as soon as you save."
    fence = _fence(text)
    body = ["", f"{intro}", "", f"{fence}text", *text.split("\n"), fence, "", ending]
    return ["", f'!!! failure "{title}"',
            *[f"    {line}" if line else "" for line in body], ""]


def page_command(page_path: str) -> str:
    return f".venv/bin/python -m pytest {page_path} --update-output"


class BuildErrors:
    """Build errors under `mkdocs serve`, shown in the browser instead of a stuck request."""

    def __init__(self, server: Any):
        self.messages: list[str] = []
        self._server = server
        self._build: Callable[..., None] = server.builder
        self._inject: Callable[[bytes, int], bytes] = server._inject_js_into_html
        self._error_page: Callable[[int], bytes | None] = server.error_handler
        server.builder = self.build
        server._inject_js_into_html = self.inject
        server.error_handler = self.error_page

    def build(self, config: Any = None) -> None:
        logged: list[str] = []
        handler = _Collect(logged)
        mkdocs_log = logging.getLogger("mkdocs")
        mkdocs_log.addHandler(handler)
        try:
            self._build(config)
        except Exception as e:  # noqa: BLE001 - any failed build: shown, and the server goes on
            self.messages = [*logged, str(e) or type(e).__name__]
            log.error("The build failed; the pages served show why until a build succeeds.")
        else:
            self.messages = []
        finally:
            mkdocs_log.removeHandler(handler)

    def inject(self, content: bytes, epoch: int) -> bytes:
        content = self._inject(content, epoch)
        if not self.messages:
            return content
        found = re.search(rb"<body[^>]*>", content)
        at = found.end() if found else 0
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
