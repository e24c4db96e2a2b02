"""The site build's hooks: KaTeX at build time, font subsetting, accessible names."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hooks"))
import accessible_names  # noqa: E402
import katex  # noqa: E402
import notebooks  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402

from tests.docscheck.expand import Expander  # noqa: E402
from tests.docscheck.page import find_examples  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def renderer():
    r = katex.KatexRenderer()
    yield r
    r.close()


def test_inline_and_display_math_become_katex_html_with_mathml(renderer):
    page = ('<p>Inline <span class="arithmatex">\\(a &lt; b\\)</span> and</p>\n'
            '<div class="arithmatex">\\[\n\\frac{x}{2}\n\\]</div>')
    used = set()
    out = katex.typeset(page, renderer, "docs/page.md", used, katex.arithmatex_formulas(page))
    assert "arithmatex" not in out and "\\(" not in out and "\\[" not in out
    assert out.count('<span class="katex">') == 2
    assert out.count('<div class="katex-block"><span class="katex-display">') == 1
    assert out.count("<math") == 2  # the accessible MathML form
    assert '<annotation encoding="application/x-tex">a &lt; b</annotation>' in out
    assert {"a", "b", "x", "2", "<"} <= used


def test_notebook_math_in_markdown_cells_is_typeset_but_not_in_code(renderer):
    page = ('<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput">'
            '<p>Let $f$ be</p><p>$$\nx^2\n$$</p><p><code>cost = $5 and $6</code></p></div>'
            '<div class="jp-OutputArea"><pre>$not math$</pre></div>')
    out = katex.typeset(page, renderer, "notebooks/n.ipynb", set(), katex.notebook_formulas(page))
    assert out.count('<span class="katex">') == 2 and out.count('class="katex-display"') == 1
    assert "<code>cost = $5 and $6</code>" in out and "<pre>$not math$</pre>" in out


def test_formula_katex_cannot_render_names_page_and_formula(renderer):
    page = '<span class="arithmatex">\\(\\frac{1}{\\nosuchmacro}\\)</span>'
    with pytest.raises(PluginError, match=r"docs/bad\.md: KaTeX cannot render the formula "
                                          r"'\\\\frac\{1\}\{\\\\nosuchmacro\}': .*nosuchmacro"):
        katex.typeset(page, renderer, "docs/bad.md", set(), katex.arithmatex_formulas(page))


def test_build_fails_on_a_bad_formula(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Page\n\nBroken: $\\frac{1}{$ here.\n")
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: fixture\ntheme: material\nhooks:\n  - {ROOT}/hooks/katex.py\n"
        "markdown_extensions:\n  - pymdownx.arithmatex:\n      generic: true\n")
    result = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-d",
                             str(tmp_path / "site")], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode != 0
    assert "docs/index.md: KaTeX cannot render the formula '\\\\frac{1}{'" in result.stderr


def test_fonts_keep_only_the_glyphs_of_used_characters(tmp_path):
    source = ROOT / "node_modules" / "katex" / "dist" / "fonts" / "KaTeX_Main-Regular.woff2"
    shutil.copy(source, tmp_path / source.name)
    katex.subset_fonts(tmp_path, {"x", "2", "+"})
    kept = set(TTFont(tmp_path / source.name).getBestCmap())
    assert {ord("x"), ord("2"), ord("+")} <= kept
    assert ord("y") not in kept and ord("7") not in kept
    assert (tmp_path / source.name).stat().st_size < source.stat().st_size / 2


def test_search_dialog_and_progress_bar_get_names():
    page = "".join(accessible_names.NAMES)
    named = accessible_names.name_elements(page, "index.md")
    assert 'role="dialog" aria-label="Search"' in named
    assert 'role="progressbar" aria-label="Loading the page"' in named


def test_changed_theme_markup_fails_the_build_instead_of_passing_silently():
    with pytest.raises(PluginError, match="index.md: expected the theme markup"):
        accessible_names.name_elements("<div>no theme markup</div>", "index.md")


def test_markdown_for_jupyter_quotes_admonitions_and_points_links_to_the_site():
    lines = ['## The `sum()` trick { #trick }', "", '!!! warning "Careful"', "",
             "    See [shapes](shapes.md#kinds).", "", "Back to [home](index.md)."]
    assert notebooks.for_jupyter(lines, "https://site/") == "\n".join([
        "## The sum() trick", "", "> **Careful**", ">",
        "> See [shapes](https://site/shapes/#kinds).", ">",
        "Back to [home](https://site/)."])


def test_page_notebook_has_each_example_with_its_checked_output():
    expander = Expander(ROOT / "mkdocs.yml")
    page = ROOT / "docs" / "row-vectors.md"
    examples = find_examples(MarkdownIt("commonmark"), expander.expand(page))
    notebook = notebooks.page_notebook(expander, page, "https://site/")
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert [c.source for c in code] == [e.code.rstrip("\n") for e in examples]
    assert notebook.cells[0].source.startswith("# Row vectors and transposes\n\n*This notebook")
    for cell, example in zip(code, examples, strict=True):
        shown = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        errors = [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]
        assert shown + "".join(e + "\n" for e in errors) == example.output.text
        assert bool(errors) == bool(example.raises)
