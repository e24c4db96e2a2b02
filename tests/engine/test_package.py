"""The engine as a package: typed, loaded by its entry point, imported by nothing in tests/;
the tests and the benchmark typed as strictly."""

import ast
import importlib.metadata
import subprocess
import sys
from pathlib import Path

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


def test_a_page_read_from_the_cache_is_the_page_read_again(tmp_path: Path) -> None:
    """The facade's cache (used by the site build) gives what reading gives, and a changed
    include is read again."""
    from docscheck import Site

    (tmp_path / "docs").mkdir()
    (tmp_path / "snippets").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: fixture\nmarkdown_extensions:\n  - pymdownx.superfences\n"
        "  - pymdownx.snippets:\n      base_path: ['.']\n      check_paths: true\n")
    (tmp_path / "snippets" / "a.py").write_text("print(1)\n")
    page = tmp_path / "docs" / "page.md"
    page.write_text('```python\n--8<-- "snippets/a.py"\n```\n```output\n1\n```\n')
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
