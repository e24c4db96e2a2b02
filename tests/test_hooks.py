"""The site build's hooks: KaTeX at build time, font subsetting, accessible names."""

import dataclasses
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

from docscheck import Site  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def renderer():
    r = katex.KatexRenderer()
    yield r
    r.close()


def test_inline_and_display_math_become_katex_html_with_mathml(renderer):
    page = ('<p>Inline <span class="arithmatex">\\(a &lt; b\\)</span> and</p>\n'
            '<div class="arithmatex">\\[\n\\frac{x}{2}\n\\]</div>')
    used = _font_use()
    out = katex.typeset(page, renderer, "docs/page.md", used, katex.arithmatex_formulas(page))
    assert "arithmatex" not in out and "\\(" not in out and "\\[" not in out
    assert out.count('<span class="katex">') == 2
    assert out.count('<div class="katex-block"><span class="katex-display">') == 1
    assert out.count("<math") == 2  # the accessible MathML form
    assert "<mo>&lt;</mo>" in out and "<annotation" not in out  # no copy of the TeX source
    assert {"2", "<"} <= used.chars["KaTeX_Main"] and "x" not in used.chars["KaTeX_Main"]
    assert {"a", "b", "x"} <= used.chars["KaTeX_Math"]  # italic letters
    assert "2" not in used.chars["KaTeX_Math"] and "KaTeX_Typewriter" not in used.chars


def test_notebook_math_in_markdown_cells_is_typeset_but_not_in_code(renderer):
    page = ('<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput">'
            '<p>Let $f$ be</p><p>$$\nx^2\n$$</p><p><code>cost = $5 and $6</code></p></div>'
            '<div class="jp-OutputArea"><pre>$not math$</pre></div>')
    out = katex.typeset(page, renderer, "notebooks/n.ipynb", _font_use(),
                        katex.notebook_formulas(page))
    assert out.count('<span class="katex">') == 2 and out.count('class="katex-display"') == 1
    assert "<code>cost = $5 and $6</code>" in out and "<pre>$not math$</pre>" in out


def test_formula_katex_cannot_render_names_page_and_formula(renderer):
    page = '<span class="arithmatex">\\(\\frac{1}{\\nosuchmacro}\\)</span>'
    with pytest.raises(PluginError, match=r"docs/bad\.md: KaTeX cannot render the formula "
                                          r"'\\\\frac\{1\}\{\\\\nosuchmacro\}': .*nosuchmacro"):
        katex.typeset(page, renderer, "docs/bad.md", _font_use(), katex.arithmatex_formulas(page))


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


def _font_use():
    return katex.FontUse(katex.font_rules((katex.KATEX_DIST / "katex.min.css").read_text()))


def test_each_font_keeps_only_the_glyphs_its_family_may_draw(tmp_path):
    fonts = ROOT / "node_modules" / "katex" / "dist" / "fonts"
    for name in ["KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2", "KaTeX_AMS-Regular.woff2"]:
        shutil.copy(fonts / name, tmp_path / name)
    katex.subset_fonts(tmp_path, {"KaTeX_Main": {"x", "+", "R"}, "KaTeX_Math": {"x"}})
    main = set(TTFont(tmp_path / "KaTeX_Main-Regular.woff2").getBestCmap())
    math = set(TTFont(tmp_path / "KaTeX_Math-Italic.woff2").getBestCmap())
    ams = set(TTFont(tmp_path / "KaTeX_AMS-Regular.woff2").getBestCmap())
    assert {ord("x"), ord("+"), ord("R")} <= main and ord("y") not in main
    assert ord("x") in math and ord("+") not in math and ord("R") not in math
    assert ord("R") not in ams  # no element of the math asked for the AMS font
    assert {ord(c) for c in " 0123456789()"} <= main  # kept whatever the math
    assert ord(" ") in math and ord("7") not in math
    assert ams <= {0x20, 0xA0}
    assert (tmp_path / "KaTeX_Main-Regular.woff2").stat().st_size < (
        fonts / "KaTeX_Main-Regular.woff2").stat().st_size / 2


def test_font_use_follows_the_classes_of_katex_css(renderer):
    used = _font_use()
    page = '<span class="arithmatex">\\(\\mathbb{R}^n + \\texttt{x.grad}\\)</span>'
    katex.typeset(page, renderer, "docs/p.md", used, katex.arithmatex_formulas(page))
    assert "R" in used.chars["KaTeX_AMS"] and "n" not in used.chars["KaTeX_AMS"]
    assert set("x.grad") <= used.chars["KaTeX_Typewriter"]
    assert "n" in used.chars["KaTeX_Math"] and "R" not in used.chars["KaTeX_Main"]


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
    site = Site.load(ROOT / "mkdocs.yml")
    page = ROOT / "docs" / "row-vectors.md"
    examples = site.read(page).examples
    notebook = notebooks.page_notebook(site, page, "https://site/")
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert [c.source for c in code] == [e.code.rstrip("\n") for e in examples]
    assert notebook.cells[0].source.startswith("# Row vectors and transposes\n\n*This notebook")
    for cell, example in zip(code, examples, strict=True):
        shown = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        errors = [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]
        assert shown + "".join(e + "\n" for e in errors) == example.output.text + "\n"
        assert bool(errors) == bool(example.raises)


def test_notebook_keeps_a_multi_line_error_whole():
    """An expected error whose message spans lines becomes one error output, not a broken split."""
    site = Site.load(ROOT / "mkdocs.yml")
    example = site.read(ROOT / "docs" / "row-vectors.md").examples[0]
    example = dataclasses.replace(example, raises="ValueError", output=dataclasses.replace(
        example.output, text="printed\nValueError: first line\nsecond line"))
    cell = notebooks._code_cell(example, 1)
    assert [o.output_type for o in cell.outputs] == ["stream", "error"]
    assert cell.outputs[0].text == "printed\n"
    assert (cell.outputs[1].ename, cell.outputs[1].evalue) == ("ValueError", "first line\nsecond line")
