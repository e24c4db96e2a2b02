"""The engine as a package: typed, loaded by its entry point, imported by nothing in tests/;
the tests and the benchmark typed as strictly."""

import ast
import importlib.metadata
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.engine.helpers import ROOT


def test_the_packages_the_tests_and_the_benchmark_pass_the_type_checker() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "docscheck", "sitebuild", "tests", "bench"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (ROOT / "docscheck" / "py.typed").is_file()


def test_the_engine_is_a_pytest_plugin_by_its_entry_point() -> None:
    plugins = importlib.metadata.entry_points(group="pytest11")
    assert [p.value for p in plugins if p.name == "docscheck"] == ["docscheck.plugin"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_build_the_engine_and_the_benchmark_never_import_from_tests() -> None:
    sources = [*(ROOT / "docscheck").glob("*.py"), *(ROOT / "sitebuild").glob("*.py"),
               *(ROOT / "bench").glob("*.py")]
    offenders = {p.relative_to(ROOT).as_posix(): sorted(n for n in _imports(p)
                                                         if n == "tests" or n.startswith("tests."))
                 for p in sources}
    assert not {k: v for k, v in offenders.items() if v}


def _fixture_site(root: Path, superfences: str = "") -> Path:
    """A site of one page showing snippets/a.py; ``superfences``: that extension's settings."""
    (root / "docs").mkdir(parents=True)
    (root / "snippets").mkdir()
    (root / "mkdocs.yml").write_text(
        "site_name: fixture\nmarkdown_extensions:\n  - attr_list\n"
        "  - pymdownx.superfences" + superfences + "\n"
        "  - pymdownx.snippets:\n      base_path: ['.']\n      check_paths: true\n")
    (root / "snippets" / "a.py").write_text("import sys\n\nprint(sys.argv[0])\n")
    page = root / "docs" / "page.md"
    page.write_text('```python\n--8<-- "snippets/a.py"\n```\n```output\nsnippets/a.py\n```\n')
    return page


def test_a_page_read_from_the_cache_is_the_page_read_again(tmp_path: Path) -> None:
    """The facade's cache (used by the site build) gives what reading gives, and a changed
    include is read again."""
    from docscheck import Site

    page = _fixture_site(tmp_path)
    (tmp_path / "snippets" / "a.py").write_text("print(1)\n")

    class Cache(dict[str, bytes]):
        def put(self, key: str, data: bytes) -> None:
            self[key] = data

    cache = Cache()
    plain = Site.load(tmp_path / "mkdocs.yml").read(page)
    first = Site.load(tmp_path / "mkdocs.yml", cache=cache).read(page)
    assert len(cache) == 1
    again = Site.load(tmp_path / "mkdocs.yml", cache=cache).read(page)
    assert plain == first == again and again.examples[0].code.strip() == "print(1)"
    (tmp_path / "snippets" / "a.py").write_text("print(2)\n")
    changed = Site.load(tmp_path / "mkdocs.yml", cache=cache).read(page)
    assert changed.examples[0].code.strip() == "print(2)"
    assert len(cache) == 2


class _Keys(dict[str, bytes]):
    """A page cache that keeps nothing and notes the key of every page put in it."""

    def __init__(self, noted: list[str]):
        super().__init__()
        self.noted = noted

    def put(self, key: str, data: bytes) -> None:
        self.noted.append(key)


def test_a_page_is_read_again_when_the_markdown_settings_change(tmp_path: Path) -> None:
    from docscheck import Site

    keys: list[str] = []
    for name, setting in (("plain", ""), ("tabs", ":\n      preserve_tabs: true")):
        page = _fixture_site(tmp_path / name, setting)
        Site.load(tmp_path / name / "mkdocs.yml", cache=_Keys(keys)).read(page)
    assert len(keys) == 2 and keys[0] != keys[1]


def test_a_pages_cache_key_leaves_out_the_addresses_of_functions_in_the_settings(tmp_path: Path) -> None:
    """A custom fence's format function (``!!python/name:``) is at another address in every
    process: the page read by one process is found by the next."""
    fence = (":\n      custom_fences:\n        - name: text\n          class: text\n"
             "          format: !!python/name:pymdownx.superfences.fence_code_format")
    page = _fixture_site(tmp_path, fence)
    script = ("from pathlib import Path\nfrom docscheck import Site\n"
              "from tests.engine.test_package import _Keys\nkeys = []\n"
              f"Site.load(Path({str(tmp_path / 'mkdocs.yml')!r}), cache=_Keys(keys))"
              f".read(Path({str(page)!r}))\nprint(keys[0])\n")
    from docscheck import Site

    here: list[str] = []
    Site.load(tmp_path / "mkdocs.yml", cache=_Keys(here)).read(page)
    keys = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True, cwd=ROOT).stdout.strip() for _ in range(2)}
    assert keys == set(here) and len(here[0]) == 64


def test_a_file_is_one_example_as_python_runs_it(tmp_path: Path) -> None:
    from docscheck import Site
    from docscheck.errors import PageError
    from docscheck.expand import Origin

    page = _fixture_site(tmp_path)
    site = Site.load(tmp_path / "mkdocs.yml")
    whole = site.file_example(tmp_path / "snippets" / "a.py")
    assert (whole.page, whole.index, whole.code) == ("snippets/a.py", 0, "import sys\n\nprint(sys.argv[0])\n")
    assert whole.code_origins == tuple(Origin("snippets/a.py", n) for n in (1, 2, 3))
    assert (whole.fence, whole.closing, whole.start, whole.end) == (
        Origin("snippets/a.py", 1), Origin("snippets/a.py", 3), 0, 3)
    assert whole.output is None and not whole.continues and whole.indent == ""
    # every line of the file is a line of the example, blank ones and trailing ones too
    for text, count in (("X = 1\nX\n", 2), ("print(1)\n  \n", 2), ("a = 1\n\nb = 2\n", 3)):
        (tmp_path / "snippets" / "b.py").write_text(text)
        assert len(site.file_example(tmp_path / "snippets" / "b.py").code_origins) == count, text
    (tmp_path / "snippets" / "b.py").write_bytes(b"print('\xe9')\n")
    with pytest.raises(PageError, match="^snippets/b.py:1: not UTF-8"):
        site.file_example(tmp_path / "snippets" / "b.py")
    page.write_text(page.read_text() + '```{.python continues}\n--8<-- "snippets/a.py"\n```\n')
    shown = site.read(page).examples[1]
    assert shown.continues
    like = site.file_example(tmp_path / "snippets" / "a.py", like=shown)
    assert like.code == whole.code and like.code_origins == whole.code_origins
    assert (like.page, like.fence, like.output) == (shown.page, shown.fence, shown.output)
    assert like.continues is False  # the file runs on its own


def test_a_runner_runs_a_chain_twice_and_after_refresh_sees_the_files_as_they_are(tmp_path: Path) -> None:
    """What the live build uses: both runs of a chain, in order; runs see the repository as it
    was at the start, or at the last refresh (which may come before anything ran)."""
    from docscheck import Runner, Site

    page = _fixture_site(tmp_path)
    (tmp_path / "snippets" / "a.py").write_text("import sys\nprint(open('data.txt').read(), sys.argv[0])\n")
    (tmp_path / "data.txt").write_text("one")
    chain = tuple(Site.load(tmp_path / "mkdocs.yml").read(page).examples)
    (tmp_path / "docs" / "parent.md").write_text("```python\nimport os\nprint(os.getppid())\n```\n")
    parents = tuple(Site.load(tmp_path / "mkdocs.yml").read(tmp_path / "docs" / "parent.md").examples)
    runner = Runner(tmp_path, timeout=30)
    try:
        runner.refresh()
        first, second = runner.run_twice(chain).result(timeout=60)
        assert first[0].output == second[0].output == "one snippets/a.py\n"
        # each from a warm interpreter of its own (the parent of a run)
        first, second = runner.run_twice(parents).result(timeout=60)
        assert first[0].output != second[0].output
        (tmp_path / "data.txt").write_text("two")
        assert runner.run_twice(chain).result(timeout=60)[0][0].output == "one snippets/a.py\n"
        runner.refresh()
        assert runner.run_twice(chain).result(timeout=60)[1][0].output == "two snippets/a.py\n"
    finally:
        runner.close()


def test_a_runner_whose_warm_interpreters_cannot_start_fails_both_runs(tmp_path: Path) -> None:
    from docscheck import EngineError, Runner, Site

    page = _fixture_site(tmp_path)
    chain = tuple(Site.load(tmp_path / "mkdocs.yml").read(page).examples)
    runner = Runner(tmp_path, warmup="import no_such_module", timeout=30)
    try:
        with pytest.raises(EngineError, match="no_such_module"):
            runner.run_twice(chain).result(timeout=60)
        with pytest.raises(EngineError, match="no_such_module"):  # and so does every later run
            runner.run_twice(chain).result(timeout=60)
    finally:
        runner.close()


def test_a_closed_runner_runs_nothing_more(tmp_path: Path) -> None:
    """After close (the end of a session, or of `mkdocs serve`), a run fails at once and no warm
    interpreter starts again."""
    from docscheck import EngineError, Runner, Site

    page = _fixture_site(tmp_path)
    chain = tuple(Site.load(tmp_path / "mkdocs.yml").read(page).examples)
    runner = Runner(tmp_path, timeout=30)
    runner.close()
    with pytest.raises(EngineError, match="^the runner was closed$"):
        runner.run_twice(chain).result(timeout=60)
    assert runner._servers == []
    runner.close()


def test_sigterm_ends_the_session_as_ctrl_c_does_and_is_given_back() -> None:
    from docscheck import plugin

    with pytest.raises(KeyboardInterrupt, match="^ended by SIGTERM$"):
        plugin._terminated(signal.SIGTERM, None)
    previous = signal.signal(signal.SIGTERM, plugin._terminated)
    try:
        plugin._restore_sigterm()
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_a_name_the_engine_does_not_have_is_an_attribute_error() -> None:
    import docscheck

    with pytest.raises(AttributeError, match="^module 'docscheck' has no attribute 'nothing'$"):
        docscheck.nothing  # noqa: B018


def test_the_runner_fixture_outside_a_site_fails_with_one_line(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_x="def test_x(docscheck_runner):\n    pass\n")
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*ERROR at setup of test_x*", f"no mkdocs.yml at the root {pytester.path}"])
    assert "Traceback" not in result.stdout.str() and "plugin.py" not in result.stdout.str()


def test_pytest_help_describes_each_option_and_setting_of_the_engine(pytester: pytest.Pytester) -> None:
    """What an author reads in ``pytest --help``, word for word (pytest wraps it to the terminal's
    width, so spaces and line breaks are compared as one space)."""
    from docscheck import runner

    help_text = " ".join(pytester.runpytest("--help").stdout.str().split())
    assert "checked examples of an MkDocs site:" in help_text
    described = {
        "--update-output": "rewrite every output block under the docs with what its example "
                           "really prints (all pages or none)",
        "--docscheck-thorough": "run every chain four times, not two: also with one thread and "
                                "torch's portable CPU kernels, and in a new interpreter (the "
                                "default when the environment variable CI is set)",
        "--no-cache": "run every example, also those whose chain passed last time with everything "
                      "it depends on unchanged (.cache/docscheck/)",
        "--docscheck-jobs=DOCSCHECK_JOBS": "examples run at once (default: one per core)",
        "docscheck_warmup (string):": "Python code the warm interpreter runs once before forking "
                                      "a process for each chain of examples",
        "docscheck_timeout (string):": 'seconds an example may run (a fence may raise it with '
                                       'timeout="...")',
        "docscheck_total_timeout (string):": "seconds the examples of a session may take "
                                             "together; past it, the examples not yet judged fail",
        "docscheck_snippets (string):": "folder of the example files pages include; they are "
                                        "examples, never collected as tests",
    }
    for name, text in described.items():
        assert f"{name} {text}" in help_text, name
    settings = pytester.parseconfig()
    assert settings.getini("docscheck_timeout") == f"{runner.DEFAULT_TIMEOUT:g}"
    assert (settings.getini("docscheck_total_timeout"), settings.getini("docscheck_snippets"),
            settings.getini("docscheck_warmup")) == ("1800", "snippets", "")
