"""The pytest items of the doc-test: a page of the site is a file (``DocPage``) whose items
are its examples (``ExampleItem``, a plain pytest item whose run is the engine's), or one
``PageProblem`` when the page cannot be checked at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from . import update
from .errors import PageError
from .page import Example, Page
from .runner import EngineError
from .session import SESSION, OverTime, distributed
from .verdict import judge


class NotATest(pytest.File):
    """A snippet named like a test module and given on the command line: never imported."""

    def collect(self) -> list[pytest.Item]:
        return []


class DocPage(pytest.File):
    """A page of the site; its items are its examples."""

    def collect(self) -> list[pytest.Item]:
        doc = self.config.stash[SESSION]
        doc.collected.add(self.path.resolve())
        if not self.config.option.collectonly and not distributed(self.config):
            doc.start_early()
        stat = self.path.stat()
        doc.read_as[self.path.resolve()] = (stat.st_mtime_ns, stat.st_size)
        try:
            page = doc.site.read(self.path)
        except PageError as e:
            return [PageProblem.from_parent(self, name="[page]", message=str(e))]
        items: list[pytest.Item] = [ExampleItem.from_parent(
            self, name=f"[CodeFence#{example.index + 1}][line:{example.fence.line}]",
            page=page, example=example) for example in page.examples]
        return items


class ExampleFailed(Exception):
    """An example that does not do what its page shows; the message says where and how."""


class ExampleItem(pytest.Item):
    """One example. Its run is the engine's (processes forked from warm interpreters, two or
    four runs); its name is the one pytest-markdown-docs gives a code fence."""

    def __init__(self, *, page: Page, example: Example, **kwargs: Any):
        super().__init__(**kwargs)
        self.page = page
        self.example = example

    def runtest(self) -> None:
        doc = self.config.stash[SESSION]
        if doc.pending:  # the first example this process runs (pytest-xdist): send them all
            pending, doc.pending = doc.pending, []
            doc.submit(pending)
        if doc.reusable(self.page, self.example):
            doc.reused += 1
            return
        try:
            runs = doc.results(self.page, self.example)
        except OverTime as e:
            raise ExampleFailed(f"{self.example.where}: {e}") from None
        except EngineError as e:
            raise ExampleFailed(f"{self.example.where}: the example could not run: {e}") from None
        index = self.page.chain_of(self.example).index(self.example)
        first, second, *others = ((name, run[index]) for name, run in runs.items())
        verdict = judge(self.example, first[1], second[1], dict(others))
        doc.judged[(self.example.page, self.example.index)] = verdict.ok
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
