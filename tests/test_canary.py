"""The Zensical canary (sitebuild/canary.py, `make check-zensical`) on small built sites."""

import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import canary

ROOT = Path(__file__).resolve().parents[1]
KATEX = ('<span class="katex"><span class="katex-mathml"><math></math></span>'
         '<span class="katex-html">x</span></span>')


def _write(site: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text)
    return site


def _sites(tmp_path: Path) -> tuple[Path, Path]:
    mkdocs = _write(tmp_path / "mkdocs", {
        "index.html": (
            '<h1 id="home">Home</h1><p><a class="md-button" href="notebooks/index.ipynb" '
            'download="index.ipynb"><span class="twemoji"><svg></svg></span> Download the '
            'notebook</a></p><p class="checked-with">Checked with torch 2.13.0.</p>'
            f'<p>Inline {KATEX} and</p><div class="katex-block" tabindex="0">'
            f'<span class="katex-display">{KATEX}</span></div>'
            '<div class="highlight"><pre><code>$not math$</code></pre></div>'
            '<img alt="A plot" class="figure" src="figures/index/plot-light.svg#only-light">'
            '<h2 id="more">More</h2>'),
        "exercises/one/index.html": (
            '<div class="jp-Cell"><div class="jp-RenderedMarkdown"><p>' + KATEX + "</p></div>"
            '</div><div class="jp-Cell"><pre>code</pre></div>'),
        "notebooks/index.ipynb": "{}",
        "figures/index/plot-light.svg": "<svg/>",
        "404.html": ('<div class="md-search" role="dialog" aria-label="Search"></div>'
                     "<h1>Not found</h1>"),
        "assets/javascripts/x.html": "<p>not a page</p>",
    })
    zensical = _write(tmp_path / "zensical", {
        "index.html": (
            '<h1 id="home">Home</h1><p>Inline <span class="arithmatex">\\(x\\)</span> and</p>'
            '<div class="arithmatex">\\[x\\]</div>'
            '<div class="highlight"><pre><code>$not math$</code></pre></div>'
            '<p><a href="notebooks/index.ipynb">the notebook</a></p>'),
        "404.html": '<div class="md-search" role="dialog"></div><h1>Not found</h1>',
        "extra/index.html": "<p>only here</p>",
    })
    return mkdocs, zensical


def test_page_facts_count_what_the_reader_gets() -> None:
    page = ('<a class="md-button" href="../notebooks/vjp.ipynb">Download <b>the</b>\n notebook'
            '</a> <a class="md-button" href="https://colab.example/x">Open in Colab</a>'
            f'{KATEX}<span class="arithmatex">\\(y\\)</span><h2 id="a">A</h2>'
            '<img class="figure" src="../figures/vjp/f-dark.svg#only-dark"><pre>x</pre>'
            '<a href="../">home</a><a href="#a">here</a><a href="mailto:x@y">mail</a>')
    facts = canary.page_facts(page, "vjp/index.html")
    assert facts.buttons == ["Download the notebook", "Open in Colab"]
    assert (facts.typeset, facts.tex, facts.figures, facts.code_blocks) == (1, 1, 1, 1)
    assert facts.headings == {"a"}
    assert facts.links == {"notebooks/vjp.ipynb", "figures/vjp/f-dark.svg", "index.html"}


def test_comparison_names_each_page_and_what_it_lacks(tmp_path: Path) -> None:
    mkdocs, zensical = _sites(tmp_path)
    comparison = canary.compare(mkdocs, zensical)
    assert comparison.pages == ["404.html", "exercises/one/index.html", "index.html"]
    assert comparison.extra_pages == ["extra/index.html"]
    found = {(d.page, d.what.split(":")[0]) for d in comparison.differences}
    assert found == {
        ("exercises/one/index.html", "missing"),
        ("index.html", "formulas"), ("index.html", "buttons"), ("index.html", "figures"),
        ("index.html", "statements of the torch checked with"), ("index.html", "1 heading anchors missing"),
        ("index.html", "1 links to files Zensical did not make"),
        ("404.html", "dialogs and progress bars without a name")}
    assert comparison.files["notebooks to download"] == (1, 0)
    assert comparison.files["figures"] == (1, 0)
    text = canary.report(comparison, ["# Canary"])
    assert "| exercise pages | 1 | 0 | 1 / 0 | 0 | 0 / 0 | 0 / 0 | 2 / 0 | 1 / 0 | 0 / 0 |" in text
    assert "| pages from Markdown | 1 | 1 | 2 / 0 | 2 | 1 / 0 | 1 / 0 | 0 / 0 | 1 / 1 | 0 / 0 |" in text
    assert "| other pages | 1 | 1 | 0 / 0 | 0 | 0 / 0 | 0 / 0 | 0 / 0 | 0 / 0 | 0 / 1 |" in text
    assert ('- `index.html`: formulas: 2 typeset by MkDocs, 0 by Zensical, 2 left as TeX; '
            'buttons: "Download the notebook" with MkDocs, none with Zensical;') in text
    assert "1 heading anchors missing: more" in text
    index = next(line for line in text.splitlines() if line.startswith("- `index.html`"))
    assert index.endswith("; 1 links to files Zensical did not make: notebooks/index.ipynb")
    assert "- `404.html`: dialogs and progress bars without a name: 0 with MkDocs, 1 with" in text
    assert "\nPages only Zensical built: extra/index.html\n" in text


def test_pages_are_not_counted_among_a_folders_files(tmp_path: Path) -> None:
    site = _write(tmp_path / "site", {"exercises/one/index.html": "<p>x</p>",
                                      "exercises/one.ipynb": "{}"})
    assert canary.compare(site, site).files["exercise notebooks"] == (1, 1)


def test_the_same_site_twice_differs_nowhere(tmp_path: Path) -> None:
    mkdocs, _ = _sites(tmp_path)
    comparison = canary.compare(mkdocs, mkdocs)
    assert comparison.differences == [] and comparison.extra_pages == []
    assert "No page differs in what is compared." in canary.report(comparison)


def test_the_build_never_imports_the_canary() -> None:
    code = ("import sys, sitebuild.plugin, sitebuild.build; "
            "sys.exit('sitebuild.canary' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
    for module in (ROOT / "sitebuild").glob("*.py"):
        if module.name != "canary.py":
            assert "canary" not in module.read_text(), module


def test_the_canary_is_not_part_of_the_tests_or_ci() -> None:
    """Zensical's environment is made on demand only (`make check-zensical`)."""
    makefile = (ROOT / "Makefile").read_text()
    test_target = makefile.split("\ntest:")[1].split("\n\n")[0]
    assert "zensical" not in test_target and "zensical" not in (ROOT / ".ci" / "run").read_text()


def test_the_report_is_markdown_tables_with_a_cell_under_each_column(tmp_path: Path) -> None:
    mkdocs, zensical = _sites(tmp_path)
    text = canary.report(canary.compare(mkdocs, zensical), ["# Canary"])
    assert text.startswith("# Canary\n\n| pages |") and text.endswith(".ipynb\n")
    assert not text.endswith("\n\n")
    tables = [block.splitlines() for block in text.split("\n\n") if block.startswith("|")]
    assert [[cell.strip() for cell in table[0].strip("|").split("|")] for table in tables] == [
        ["pages", "built by MkDocs", "by Zensical", "formulas typeset (MkDocs / Zensical)",
         "left as TeX", "buttons", "figures", "notebook cells", "code blocks", "unnamed dialogs"],
        ["files", "MkDocs", "Zensical"]]
    for table in tables:
        assert {row.count("|") for row in table} == {table[0].count("|")}, table


@pytest.mark.parametrize("count, listed", [
    (3, "a.ipynb, b.ipynb, c.ipynb"), (4, "a.ipynb, b.ipynb, c.ipynb, ...")])
def test_links_to_files_zensical_did_not_make_are_listed_up_to_three(
        tmp_path: Path, count: int, listed: str) -> None:
    files = [f"{name}.ipynb" for name in "abcd"[:count]]
    links = "".join(f'<a href="{name}">{name}</a>' for name in files)
    mkdocs = _write(tmp_path / "mkdocs", {"index.html": links, **{name: "{}" for name in files}})
    zensical = _write(tmp_path / "zensical", {"index.html": links})
    [difference] = canary.compare(mkdocs, zensical).differences
    assert difference.what == f"{count} links to files Zensical did not make: {listed}"


@pytest.mark.parametrize("count, listed", [(5, "a, b, c, d, e"), (6, "a, b, c, d, e, ...")])
def test_heading_anchors_zensical_lost_are_listed_up_to_five(tmp_path: Path, count: int,
                                                             listed: str) -> None:
    headings = "".join(f'<h{level} id="{name}">{name}</h{level}>'  # every level of heading
                       for level, name in zip([1, 2, 3, 4, 5, 6], "abcdef"[:count], strict=False))
    mkdocs = _write(tmp_path / "mkdocs", {"index.html": headings})
    zensical = _write(tmp_path / "zensical", {"index.html": "<h2>no anchors</h2>"})
    [difference] = canary.compare(mkdocs, zensical).differences
    assert difference.what == f"{count} heading anchors missing: {listed}"


def test_notebook_cells_and_code_blocks_zensical_lost_are_counted(tmp_path: Path) -> None:
    cells = '<div class="jp-Cell"><p>a</p></div><div class="jp-Cell"><pre>b</pre></div>'
    mkdocs = _write(tmp_path / "mkdocs", {"index.html": cells + "<pre>c</pre>"})
    zensical = _write(tmp_path / "zensical", {"index.html": "<p>a</p>"})
    assert [d.what for d in canary.compare(mkdocs, zensical).differences] == [
        "notebook cells: 2 with MkDocs, 0 with Zensical",
        "code blocks: 2 with MkDocs, 0 with Zensical"]
