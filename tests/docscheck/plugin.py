"""The pytest plugin that turns every page under ``docs/`` into checked examples.

Collection is ours (a page is expanded with pymdownx.snippets first, which pytest-markdown-docs'
own collector cannot do); each example then runs as a pytest-markdown-docs item through the
``CheckedOutputRunner`` registered with its runner mechanism, and the page parser is the one its
``pytest_markdown_docs_markdown_it`` hook provides.

``pytest --update-output`` rewrites the output blocks from what the examples really print.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pytest_markdown_docs._runners import _Runner, register_runner
from pytest_markdown_docs.definitions import FenceTestDefinition
from pytest_markdown_docs.plugin import MarkdownInlinePythonItem

from . import runner, update
from .expand import Expander, ExpansionError
from .page import Example, PageError, find_examples

DOCS_DIR = "docs"
SNIPPETS_DIR = "snippets"
_expanders: dict[Path, Expander] = {}


@dataclasses.dataclass(frozen=True)
class CheckedFence(FenceTestDefinition):
    """A pytest-markdown-docs test definition that also knows its page and output block."""

    example: Example | None = None
    index: int = 0
    root: Path | None = None
    # index -> the namespace each example of this page ran in, for examples marked ``continues``
    namespaces: dict | None = None
    # with --update-output: where to record (example, what it printed); None: compare instead
    updates: list | None = None


@register_runner()
class CheckedOutputRunner(_Runner):
    """Runs an example and compares its stdout with the output block that follows it."""

    def runtest(self, test: CheckedFence, args: dict, *, asyncio_runner=None):
        example = test.example
        ran = test.namespaces
        if example.continues:
            if test.index - 1 not in ran:
                raise runner.ExampleFailure(
                    f"{runner.where(example)}: continues the example before it, which has not "
                    "run successfully (run the whole page)")
            args = ran[test.index - 1]
        actual = runner.run(example, args, test.root)
        ran[test.index] = args
        if test.updates is not None:
            test.updates.append((test.source_path, example, actual))
        else:
            runner.compare(example, actual)

    def repr_failure(self, test: CheckedFence, excinfo: pytest.ExceptionInfo, style=None):
        error = excinfo.value
        if isinstance(error, runner.ExampleError):
            return runner.format_error(error, test.root)
        if isinstance(error, runner.ExampleFailure):
            return str(error)
        return str(excinfo.getrepr(style="short"))


class PageProblem(pytest.Item):
    """A page that cannot be checked at all (a missing include, a broken convention)."""

    def __init__(self, *, message: str, **kwargs):
        super().__init__(**kwargs)
        self.message = message

    def runtest(self):
        raise PageError(self.message)

    def repr_failure(self, excinfo, style=None):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, None, "page"


class DocPage(pytest.File):
    """A Markdown page of the site; its items are its Python examples."""

    def collect(self):
        root = Path(str(self.config.rootpath))
        mkdocs_yml = root / "mkdocs.yml"
        try:
            if mkdocs_yml not in _expanders:
                _expanders[mkdocs_yml] = Expander(mkdocs_yml)
            expanded = _expanders[mkdocs_yml].expand(self.path)
            parser = self.config.hook.pytest_markdown_docs_markdown_it()
            examples = find_examples(parser, expanded)
        except (ExpansionError, PageError) as e:
            yield PageProblem.from_parent(self, name="[page]", message=str(e))
            return
        namespaces: dict[int, dict] = {}
        updates = self.config.stash.get(update.RECORDED, None)
        for index, example in enumerate(examples):
            definition = CheckedFence(
                source=example.code,
                fixture_names=(),
                start_line=example.fence.line - 1,
                source_path=self.path,
                runner_name=CheckedOutputRunner.__name__,
                example=example,
                index=index,
                root=root,
                namespaces=namespaces,
                updates=updates,
            )
            yield MarkdownInlinePythonItem.from_parent(
                self, name=f"[CodeFence#{index + 1}][line:{example.fence.line}]",
                test_definition=definition)


def pytest_addoption(parser):
    parser.getgroup("docscheck").addoption(
        "--update-output", action="store_true", default=False,
        help="rewrite every output block under docs/ with what its example really prints")


def pytest_configure(config):
    if config.getoption("--update-output"):
        config.stash[update.RECORDED] = []


def _in_snippets(path: Path, config) -> bool:
    snippets = Path(str(config.rootpath)) / SNIPPETS_DIR
    return path == snippets or snippets in path.parents


class NotATest(pytest.File):
    """A snippet named like a test module: it is never imported or collected."""

    def collect(self):
        return []


def pytest_ignore_collect(collection_path: Path, config):
    """Snippets are examples, not tests: never collect them."""
    return True if _in_snippets(collection_path, config) else None


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path: Path, parent):
    """Even a snippet named on the command line is not imported as a test module."""
    if _in_snippets(module_path, parent.config):
        return NotATest.from_parent(parent, path=module_path)
    return None


def pytest_collect_file(file_path: Path, parent):
    root = Path(str(parent.config.rootpath))
    if file_path.suffix == ".md" and (root / DOCS_DIR) in file_path.parents:
        return DocPage.from_parent(parent, path=file_path)
    return None


def pytest_sessionfinish(session, exitstatus):
    if update.RECORDED in session.config.stash:
        update.apply(session.config, session.config.stash[update.RECORDED])
