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
from .expand import ExpansionError, Expander
from .page import Example, PageError, find_examples

DOCS_DIR = "docs"
_expanders: dict[Path, Expander] = {}


@dataclasses.dataclass(frozen=True)
class CheckedFence(FenceTestDefinition):
    """A pytest-markdown-docs test definition that also knows its page and output block."""

    example: Example | None = None
    index: int = 0
    root: Path | None = None


@register_runner()
class CheckedOutputRunner(_Runner):
    """Runs an example and compares its stdout with the output block that follows it."""

    def __init__(self):
        # page -> the namespace each example ran in, for examples marked ``continues``
        self.namespaces: dict[Path, dict[int, dict]] = {}
        self.update_mode = False

    def runtest(self, test: CheckedFence, args: dict, *, asyncio_runner=None):
        example = test.example
        ran = self.namespaces.setdefault(test.source_path, {})
        if example.continues:
            if test.index - 1 not in ran:
                raise runner.ExampleFailure(
                    f"{runner.where(example)}: continues the example before it, which has not "
                    "run successfully (run the whole page)")
            args = ran[test.index - 1]
        actual = runner.run(example, args, test.root)
        ran[test.index] = args
        if self.update_mode:
            update.record(test.source_path, example, actual)
        else:
            runner.compare(example, actual)

    def repr_failure(self, test: CheckedFence, excinfo: pytest.ExceptionInfo, style=None):
        error = excinfo.value
        if isinstance(error, runner.ExampleError):
            return runner.format_error(error, test.root)
        if isinstance(error, runner.ExampleFailure):
            return str(error)
        return str(excinfo.getrepr(style="short"))


def _checked_runner() -> CheckedOutputRunner:
    from pytest_markdown_docs._runners import get_runner

    return get_runner(CheckedOutputRunner.__name__)


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
            )
            yield MarkdownInlinePythonItem.from_parent(
                self, name=f"[CodeFence#{index + 1}][line:{example.fence.line}]",
                test_definition=definition)


def pytest_addoption(parser):
    parser.getgroup("docscheck").addoption(
        "--update-output", action="store_true", default=False,
        help="rewrite every output block under docs/ with what its example really prints")


def pytest_configure(config):
    _checked_runner().update_mode = config.getoption("--update-output")
    _checked_runner().namespaces.clear()
    update.reset()


def pytest_collect_file(file_path: Path, parent):
    root = Path(str(parent.config.rootpath))
    if file_path.suffix == ".md" and (root / DOCS_DIR) in file_path.parents:
        return DocPage.from_parent(parent, path=file_path)
    return None


def pytest_sessionfinish(session, exitstatus):
    if session.config.getoption("--update-output"):
        update.apply(session.config)
