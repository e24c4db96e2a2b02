"""A doc-test run again with nothing changed reuses the last passing run's results; anything
an output can depend on changing runs the chain again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.engine.helpers import MakeSite, example

COUNTED = ("import helper\nopen(RUNS, 'a').write('{name}')\nprint(helper.VALUE)")


def counting_site(site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                  value: str = "1") -> tuple[pytest.Pytester, Path]:
    """Two pages whose examples count their runs in a file outside the repository."""
    runs = tmp_path / "runs.txt"
    pages = {name + ".md": example(COUNTED.replace("RUNS", repr(str(runs))).format(name=name),
                                   value) for name in ("a", "b")}
    pytester = site(pages, {"helper.py": f"VALUE = {value}\n"},
                    ini={"addopts": "-p no:cacheprovider -p no:hypothesispytest",
                         })
    for name in ("a", "b"):  # the examples import helper from snippets/, as a reader's would
        page = pytester.path / "docs" / f"{name}.md"
        page.write_text(page.read_text().replace("import helper", "import sys\nsys.path.insert("
                                                 "0, 'snippets')\nimport helper"))
    monkeypatch.chdir(pytester.path)
    return pytester, runs


def test_nothing_changed_nothing_runs(site: MakeSite, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    pytester, runs = counting_site(site, tmp_path, monkeypatch)
    pytester.runpytest().assert_outcomes(passed=2)
    assert sorted(runs.read_text()) == sorted("aabb")  # each chain twice
    result = pytester.runpytest()
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["docscheck: 2 example(s) not run again: their chain passed last "
                                 "time and nothing it depends on has changed (--no-cache runs "
                                 "them)"])
    assert sorted(runs.read_text()) == sorted("aabb")
    pytester.runpytest("--no-cache").assert_outcomes(passed=2)
    assert len(runs.read_text()) == 8
    pytester.runpytest().assert_outcomes(passed=2)  # what --no-cache found passing is kept
    assert len(runs.read_text()) == 8
    pytester.runpytest("--docscheck-thorough").assert_outcomes(passed=2)  # CI: four runs each
    assert len(runs.read_text()) == 16


def test_what_a_chain_depends_on_changing_runs_it_again(site: MakeSite, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    pytester, runs = counting_site(site, tmp_path, monkeypatch)
    pytester.runpytest().assert_outcomes(passed=2)
    page = pytester.path / "docs" / "a.md"
    page.write_text(page.read_text() + "\nMore prose: the examples are unchanged.\n")
    pytester.runpytest().assert_outcomes(passed=2)
    assert len(runs.read_text()) == 4  # prose alone changes no output
    page.write_text(page.read_text().replace("~~~output\n1", "~~~output\n2").replace(
        "```output\n1", "```output\n2"))
    pytester.runpytest().assert_outcomes(passed=1, failed=1)  # only a.md ran, and fails
    assert sorted(runs.read_text()) == sorted("aabbaa")
    store = json.loads((pytester.path / ".cache" / "docscheck" / "passed.json").read_text())
    assert sorted(store) == ["docs/b.md#0"]  # a chain that failed is not kept as passed
    pytester.runpytest().assert_outcomes(passed=1, failed=1)  # a failure is never reused
    assert sorted(runs.read_text()) == sorted("aabbaaaa")
    (pytester.path / "snippets" / "helper.py").write_text("VALUE = 2\n")  # imported, not shown
    pytester.runpytest().assert_outcomes(passed=1, failed=1)  # both ran again
    assert sorted(runs.read_text()) == sorted("aabbaaaaaabb")


def test_the_store_holds_one_entry_per_chain_whatever_the_edits(site: MakeSite, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    pytester, _ = counting_site(site, tmp_path, monkeypatch)
    page = pytester.path / "docs" / "a.md"
    for n in range(3):
        page.write_text(page.read_text() + f"\n~~~python\nprint({n})\n~~~\n~~~output\n{n}\n~~~\n"
                        .replace("~~~", "```"))
        pytester.runpytest().assert_outcomes(passed=3 + n)
    store = json.loads((pytester.path / ".cache" / "docscheck" / "passed.json").read_text())
    assert sorted(store) == ["docs/a.md#0", "docs/a.md#1", "docs/a.md#2", "docs/a.md#3",
                             "docs/b.md#0"]
    (pytester.path / "docs" / "b.md").unlink()
    pytester.runpytest().assert_outcomes(passed=4)
    store = json.loads((pytester.path / ".cache" / "docscheck" / "passed.json").read_text())
    assert "docs/b.md#0" not in store


@pytest.mark.parametrize("kept", ['["docs/a.md#0"]', '"docs/a.md#0"', "{not json", ""])
def test_a_store_that_is_not_a_table_of_chains_is_read_as_empty(site: MakeSite, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                kept: str) -> None:
    """A store spoiled by hand or by a crash: every chain runs, and the store is written anew."""
    pytester, runs = counting_site(site, tmp_path, monkeypatch)
    store = pytester.path / ".cache" / "docscheck" / "passed.json"
    store.parent.mkdir(parents=True)
    store.write_text(kept)
    pytester.runpytest().assert_outcomes(passed=2)
    assert sorted(runs.read_text()) == sorted("aabb")
    assert sorted(json.loads(store.read_text())) == ["docs/a.md#0", "docs/b.md#0"]


def test_what_every_key_starts_from_covers_the_versions_of_torch_numpy_and_the_settings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docscheck import reuse

    versions = {"torch": "2.13.0", "numpy": "2.1.0"}
    monkeypatch.setattr(reuse, "_version", lambda package: versions.get(package, "not installed"))
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")

    def base(settings: object = "warm-up") -> str:
        return reuse.PassedChains(tmp_path, [], settings).base

    first = base()
    assert base() == first
    assert base("other warm-up") != first
    for package in ("torch", "numpy"):
        versions[package] += ".post1"
        assert base() != first, package
        versions[package] = versions[package].removesuffix(".post1")
    assert base() == first
