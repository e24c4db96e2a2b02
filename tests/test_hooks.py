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
    out = katex.typeset(page, renderer, "docs/page.md", used)
    assert "arithmatex" not in out and "\\(" not in out and "\\[" not in out
    assert out.count('<span class="katex">') == 2
    assert out.count('<div class="katex-block"><span class="katex-display">') == 1
    assert out.count("<math") == 2  # the accessible MathML form
    assert '<annotation encoding="application/x-tex">a &lt; b</annotation>' in out
    assert {"a", "b", "x", "2", "<"} <= used


def test_formula_katex_cannot_render_names_page_and_formula(renderer):
    page = '<span class="arithmatex">\\(\\frac{1}{\\nosuchmacro}\\)</span>'
    with pytest.raises(PluginError, match=r"docs/bad\.md: KaTeX cannot render the formula "
                                          r"'\\\\frac\{1\}\{\\\\nosuchmacro\}': .*nosuchmacro"):
        katex.typeset(page, renderer, "docs/bad.md", set())


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
