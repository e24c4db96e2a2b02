"""The site build's package, sitebuild/: KaTeX, fonts, notebooks, figures."""

import dataclasses
import fnmatch
import getpass
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import markdown
import pytest
from fontTools.ttLib import TTFont
from mkdocs.exceptions import PluginError

from docscheck import Site
from docscheck.fences import SiteMarkdown
from sitebuild import figures, formulas, katex_markdown, notebooks
from sitebuild.cache import Cache, Entries, Kept, write
from sitebuild.fonts import Rules, characters, font_rules, subset_fonts
from sitebuild.katex import KatexError, Typesetter
from tests.conftest import with_cache

ROOT = Path(__file__).resolve().parents[1]
KATEX = ROOT / "node_modules" / "katex"
SITE = Site.load(ROOT / "mkdocs.yml")


@pytest.fixture
def typesetter(tmp_path: Path) -> Iterator[Typesetter]:
    t = Typesetter(KATEX, Kept(tmp_path / "katex.json"))
    yield t
    t.close()


def test_inline_and_display_math_become_katex_html_with_mathml(typesetter: Typesetter) -> None:
    page = ('<p>Inline <span class="arithmatex">\\(a &lt; b\\)</span> and</p>\n'
            '<div class="arithmatex">\\[\n\\frac{x}{2}\n\\]</div>')
    out = typesetter.typeset(page, formulas.arithmatex_formulas(page), "docs/page.md")
    assert "arithmatex" not in out and "\\(" not in out and "\\[" not in out
    assert out.count('<span class="katex">') == 2
    assert out.count('<div class="katex-block" tabindex="0"><span class="katex-display">') == 1
    assert out.count("<math") == 2  # the accessible MathML form
    assert "<mo>&lt;</mo>" in out and "<annotation" not in out  # no copy of the TeX source
    main = set().union(*(set(u.get("KaTeX_Main", "")) for u in typesetter.used))
    math = set().union(*(set(u.get("KaTeX_Math", "")) for u in typesetter.used))
    assert {"2", "<"} <= main and "x" not in main
    assert {"a", "b", "x"} <= math and "2" not in math


def test_notebook_math_in_markdown_cells_is_typeset_but_not_in_code(typesetter: Typesetter) -> None:
    page = ('<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput">'
            '<p>Let $f$ be</p><p>$$\nx^2\n$$</p><p><code>cost = $5 and $6</code></p></div>'
            '<div class="jp-OutputArea"><pre>$not math$</pre></div>')
    out = typesetter.typeset(page, formulas.notebook_formulas(page), "exercises/n.ipynb")
    assert out.count('<span class="katex">') == 2 and out.count('class="katex-display"') == 1
    assert "<code>cost = $5 and $6</code>" in out and "<pre>$not math$</pre>" in out


def test_notebook_formulas_after_a_nested_div_in_the_same_cell_are_found() -> None:
    """A solution's code block (its own <div>s) comes before the formulas of its explanation:
    they are in the Markdown cell all the same, and nothing outside the cell is."""
    page = ('<div class="jp-Cell"><div class="jp-RenderedHTMLCommon jp-RenderedMarkdown">'
            '<p>First $a$.</p><details><div class="highlight"><pre><code>x = $not$</code></pre>'
            '</div><div><p>Then $b^2$ and $$c$$.</p></div></details></div></div>'
            '<div class="jp-OutputArea"><p>$outside$</p></div>')
    found = formulas.notebook_formulas(page)
    assert [(f.tex, f.display) for f in found] == [("a", False), ("b^2", False), ("c", True)]
    assert [page[f.start:f.end] for f in found] == ["$a$", "$b^2$", "$$c$$"]


@pytest.mark.parametrize("separator", ["\r", "\x0b", "\x0c", "\x85", "\u2028"])
def test_notebook_formulas_after_an_output_with_a_line_separator_are_found(separator: str) -> None:
    """An output cell that printed "10%\r20%" (a progress line) comes before a Markdown cell:
    its formulas are found all the same (HTML lines end at "\n" only)."""
    page = (f'<div class="jp-OutputArea"><pre>10%{separator}20%\nmore</pre></div>\n'
            '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown">\n<p>Then $a$ and\n$$b$$.</p>'
            '</div>')
    found = formulas.notebook_formulas(page)
    assert [page[f.start:f.end] for f in found] == ["$a$", "$$b$$"]


def test_a_formula_katex_cannot_render_names_page_and_formula(typesetter: Typesetter) -> None:
    page = '<span class="arithmatex">\\(\\frac{1}{\\nosuchmacro}\\)</span>'
    with pytest.raises(KatexError, match=r"docs/bad\.md: KaTeX cannot render the formula "
                                          r"'\\\\frac\{1\}\{\\\\nosuchmacro\}': .*nosuchmacro"):
        typesetter.typeset(page, formulas.arithmatex_formulas(page), "docs/bad.md")


def test_formulas_come_from_the_cache_without_starting_node(tmp_path: Path) -> None:
    page = '<span class="arithmatex">\\(a^2 + b^2\\)</span>'
    kept = Kept(tmp_path / "katex.json")
    first = Typesetter(KATEX, kept)
    expected = first.typeset(page, formulas.arithmatex_formulas(page), "docs/p.md")
    assert first._process is not None
    kept.save()
    first.close()
    second = Typesetter(KATEX, Kept(tmp_path / "katex.json"))
    assert second.typeset(page, formulas.arithmatex_formulas(page), "docs/p.md") == expected
    assert second._process is None and second.used == first.used


def test_another_katex_version_typesets_again_what_the_cache_holds(tmp_path: Path) -> None:
    """The cache keys a rendering with KaTeX's version: after an upgrade, every formula is
    typeset by the new KaTeX, none read from the old one's renderings."""
    page = '<span class="arithmatex">\\(a^2 + b^2\\)</span>'
    kept = Kept(tmp_path / "katex.json")
    first = Typesetter(KATEX, kept)
    first.typeset(page, formulas.arithmatex_formulas(page), "docs/p.md")
    kept.save()
    first.close()
    first.close()  # closing twice is closing once
    upgraded = tmp_path / "node_modules" / "katex"
    upgraded.mkdir(parents=True)
    package = json.loads((KATEX / "package.json").read_text(encoding="utf-8"))
    (upgraded / "package.json").write_text(json.dumps({**package, "version": "99.0.0"}))
    (upgraded / "dist").symlink_to(KATEX / "dist")
    second = Typesetter(upgraded, Kept(tmp_path / "katex.json"))
    try:
        assert second.version == "99.0.0"
        second.typeset(page, formulas.arithmatex_formulas(page), "docs/p.md")
        assert second._process is not None  # typeset, not read from the cache
    finally:
        second.close()


def test_the_same_tex_inline_and_displayed_is_typeset_as_each(tmp_path: Path) -> None:
    """One TeX source, once in a sentence and once displayed: two renderings, also when both
    come from the cache."""
    page = '<p><span class="arithmatex">\\(x^2\\)</span></p><div class="arithmatex">\\[x^2\\]</div>'
    for _ in ("typeset by KaTeX", "read from the cache"):
        kept = Kept(tmp_path / "katex.json")
        typesetter = Typesetter(KATEX, kept)
        inline, displayed = typesetter.typeset(page, formulas.arithmatex_formulas(page),
                                               "docs/p.md").split('<div class="katex-block"')
        assert "katex-display" not in inline and 'class="katex-display"' in displayed
        kept.save()
        typesetter.close()


def test_a_dead_katex_process_is_named_with_the_page(typesetter: Typesetter) -> None:
    page = '<span class="arithmatex">\\(a\\)</span><span class="arithmatex">\\(b\\)</span>'
    typesetter.typeset(page[:40], formulas.arithmatex_formulas(page[:40]), "docs/p.md")
    assert typesetter._process is not None
    typesetter._process.process.kill()
    typesetter._process.process.wait()
    with pytest.raises(KatexError, match=r"docs/q\.md: the KaTeX process \(node\) stopped"):
        typesetter.typeset(page, formulas.arithmatex_formulas(page), "docs/q.md")


def _site(tmp_path: Path, page: str) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(page)
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent("""\
        site_name: fixture
        theme: material
        plugins:
          - search
          - sitebuild
        markdown_extensions:
          - attr_list
          - pymdownx.arithmatex:
              generic: true
          - sitebuild.katex_markdown
          - pymdownx.superfences
          - pymdownx.snippets
        """))
    return tmp_path


def _build(site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-d",
                           str(site / "site")], cwd=site, capture_output=True, text=True)


def test_the_build_fails_on_a_bad_formula_naming_the_page(tmp_path: Path) -> None:
    result = _build(_site(tmp_path, "# Page\n\nBroken: $\\frac{1}{$ here.\n"))
    assert result.returncode != 0
    assert "docs/index.md: KaTeX cannot render the formula '\\\\frac{1}{'" in result.stderr


def test_the_build_names_the_page_of_a_bad_formula_among_several(tmp_path: Path) -> None:
    """The Markdown extension typesets the pages one by one as MkDocs converts them: the error
    names the page that holds the bad formula, not the last one read or converted before it."""
    site = _site(tmp_path, "# Home\n\nFine: $a^2$.\n")
    (site / "docs" / "a.md").write_text("# A\n\n$$\nb^2\n$$\n")
    (site / "docs" / "z.md").write_text("# Z\n\nBroken: $\\sqrt{$.\n")
    result = _build(site)
    assert result.returncode != 0
    assert "docs/z.md: KaTeX cannot render the formula '\\\\sqrt{'" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_site_with_arithmatex_but_not_the_katex_extension_is_refused(tmp_path: Path) -> None:
    site = _site(tmp_path, "# Page\n\n$x$\n")
    yml = site / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("  - sitebuild.katex_markdown\n", ""))
    result = _build(site)
    assert result.returncode != 0
    assert ("mkdocs.yml: markdown_extensions lists pymdownx.arithmatex but not "
            "sitebuild.katex_markdown") in result.stderr, result.stderr


def test_the_search_index_leaves_the_formulas_out(tmp_path: Path) -> None:
    """The formulas are typeset as the page is converted, before the search plugin reads it:
    the index holds the words around them, none of their TeX, HTML or MathML."""
    site = _site(tmp_path, "# Page\n\nThe gradient $\\beta^2$ of words.\n\n"
                           "$$\n\\frac{\\alpha}{2}\n$$\n\nAfter it.\n")
    assert _build(site).returncode == 0
    page = (site / "site" / "index.html").read_text()
    assert page.count('<span class="katex">') == 2 and "arithmatex" not in page
    assert "data-search-exclude" not in page  # the page is as KaTeX wrote it
    index = json.loads((site / "site" / "search" / "search_index.json").read_text())
    text = " ".join(d["title"] + " " + d["text"] for d in index["docs"])
    assert "The gradient" in text and "of words" in text and "After it" in text
    for formula in ("\u03b2", "\u03b1", "beta", "frac", "\u200b", "katex", "math"):
        assert formula not in text, formula


# -- the Markdown extension on its own -----------------------------------------------------------

EXTENSIONS = ["pymdownx.arithmatex", "pymdownx.superfences", "sitebuild.katex_markdown"]
CONFIGS: dict[str, dict[str, object]] = {"pymdownx.arithmatex": {"generic": True},
                                         "sitebuild.katex_markdown": {"katex_dir": str(KATEX)}}


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)


def test_the_markdown_extension_typesets_formulas_and_leaves_code_alone() -> None:
    text = ("Inline $a < b$ and `$not$` and\n\n$$\n\\frac{x}{2}\n$$\n\n"
            "```python\ns = '$$no$$ <span class=\"arithmatex\">\\\\(x\\\\)</span>'\n```\n\n"
            '<a title="$t$">link</a>\n')
    out = _markdown().convert(text)
    assert out.count('class="katex"') == 2 and out.count("<math") == 2
    # Without a build, each formula is marked for the search to leave out, as Zensical's does.
    assert out.count('<div class="katex-block" tabindex="0" data-search-exclude>'
                     '<span class="katex-display"><span class="katex">') == 1
    assert '<p>Inline <span class="katex" data-search-exclude>' in out and "<mo>&lt;</mo>" in out
    assert "<code>$not$</code>" in out and "$$no$$" in out
    assert '&lt;span class="arithmatex"&gt;' in out  # the code block, as written
    # arithmatex marks $t$ inside the attribute: no element stands there, and it stays as is.
    assert '<a title="<span class="arithmatex">\\(t\\)</span>">link</a>' in out
    bare = markdown.Markdown(extensions=EXTENSIONS[:2], extension_configs=CONFIGS).convert(text)
    assert out.split("</div>")[-1] == bare.split("</div>")[-1]  # after the formula, the same


def test_the_markdown_extension_names_the_formula_it_cannot_render_and_the_page() -> None:
    with pytest.raises(KatexError, match=r"^a page: KaTeX cannot render the formula "
                                         r"'\\\\frac\{1\}\{': "):
        _markdown().convert("Broken: $\\frac{1}{$.")
    md = _markdown()  # under Zensical, which says which page it renders
    context = type("Context", (), {"page": type("Page", (), {"path": "vjp.md"})(),
                                   "run": lambda self, lines: lines})()
    md.preprocessors.register(context, "rendering_context", 0)
    with pytest.raises(KatexError, match=r"^vjp\.md: KaTeX cannot render"):
        md.convert("Broken: $\\frac{1}{$.")


def test_the_markdown_extension_typesets_with_the_typesetter_a_build_shares(
        typesetter: Typesetter) -> None:
    """The build's typesetter counts the characters the fonts must keep; the build names the
    page and its own error; with the build's math off, formulas stay TeX."""
    sharing = katex_markdown.Sharing(typesetter, PluginError, "docs/page.md")
    katex_markdown.share(sharing)
    try:
        assert '<span class="katex">' in _markdown().convert("The $\\gamma$ here.")
        assert "\u03b3" in typesetter.used[-1]["KaTeX_Math"]
        with pytest.raises(PluginError, match=r"^docs/page\.md: KaTeX cannot render"):
            _markdown().convert("$\\frac{1}{$")
        sharing.typesetter = None
        assert '<span class="arithmatex">\\(\\gamma\\)</span>' in _markdown().convert("$\\gamma$")
    finally:
        katex_markdown.unshare(sharing)


def test_the_doc_test_engine_reads_pages_without_the_katex_extension() -> None:
    """Typesetting changes no code block: the engine leaves the extension out rather than
    typeset every formula of every page it reads."""
    read = SiteMarkdown(SITE.config).md
    assert "katex" not in read.postprocessors and "arithmatex-inline" in read.inlinePatterns
    assert "katex" in _markdown().postprocessors


def test_the_katex_extension_imports_neither_mkdocs_nor_torch() -> None:
    """Zensical's environment has neither."""
    code = ("import sys, sitebuild.katex_markdown; "
            "sys.exit(sorted(m for m in ('mkdocs', 'torch') if m in sys.modules) or None)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_missing_include_stops_the_build_with_one_line_naming_page_and_include(
        tmp_path: Path) -> None:
    result = _build(_site(tmp_path, '# Page\n\n```python\n--8<-- "snippets/gone.py"\n```\n'))
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if "gone.py" in line]
    assert errors == ["ERROR   -  docs/index.md:4: Snippet at path 'snippets/gone.py' could not be "
                      "found"], result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("when", ["sitebuild-*", "sitebuild-kernel-*"],
                         ids=["as-it-starts", "while-exercises-run"])
@pytest.mark.usefixtures("ctrl_c")
def test_an_interrupted_build_leaves_no_folder_behind(tmp_path: Path, when: str) -> None:
    """Ctrl-C during `mkdocs build`, as soon as it starts and while its kernels run the
    exercises: the build's temporary folder (figures, executed exercises, the cache of a build
    without one) and those of its kernels and figure renderer go with the process."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary), "SITEBUILD_CACHE": "false",
           "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.Popen([str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-d",
                              str(tmp_path / "site")], cwd=ROOT, env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(4800):  # the build has got that far when the folder is there
            if list(temporary.glob(when)) or build.poll() is not None:
                break
            time.sleep(0.05)
        assert list(temporary.glob(when)), f"the build made no {when}"
        build.send_signal(signal.SIGINT)
        output, _ = build.communicate(timeout=60)
    finally:
        build.kill()
    assert build.returncode != 0, output
    # torch keeps a cache of its compiler in the temporary folder (torchinductor_<user>), made
    # by the figures' and the exercises' processes and kept there on purpose, also by a build
    # that ends normally: it is torch's, not the build's. Whether the interrupt came before or
    # after torch made it depended on the machine's load, which made this test fail now and then.
    left = [p.name for p in temporary.iterdir() if p.name != f"torchinductor_{getpass.getuser()}"]
    assert not left, output


def test_an_edited_page_is_not_served_from_the_caches(tmp_path: Path) -> None:
    """The build keeps each code block's colouring and each page's search entries in its cache
    (sitebuild/memo.py): an edit to the code or the text shows on the page and in the search
    index of the next build, and an unedited page comes from the cache."""
    site = _site(tmp_path, "# Page\n\nFirst words.\n\n```python\nfirst_name = 1\n```\n")
    assert _build(site).returncode == 0
    cache = site / ".cache"
    colouring = (cache / "highlights.json").read_text()
    assert "first_name" in colouring and "First words" in (cache / "search.json").read_text()
    assert list((cache / "templates").rglob("*.cache"))  # Material's compiled templates

    page = site / "docs" / "index.md"
    page.write_text(page.read_text().replace("first_name", "second_name")
                    .replace("First words", "Second words"))
    assert _build(site).returncode == 0
    html = (site / "site" / "index.html").read_text()
    index = (site / "site" / "search" / "search_index.json").read_text()
    assert "second_name" in html and "first_name" not in html
    assert "Second words" in index and "First words" not in index
    # Only what this build used is kept.
    assert "first_name" not in (cache / "highlights.json").read_text()
    assert "First words" not in (cache / "search.json").read_text()


def test_kept_values_without_a_file_stay_in_memory_and_an_unchanged_file_is_not_written(
        tmp_path: Path) -> None:
    memory = Kept(None)
    memory.put("tex", 1)
    memory.save()  # nothing to write to
    assert memory.get("tex") == 1
    file = tmp_path / "kept.json"
    first = Kept(file)
    first.put("tex", 1)
    first.save()
    os.utime(file, ns=(0, 0))
    second = Kept(file)
    assert second.get("tex") == 1
    second.save()  # the same values: the file stays as it was
    assert file.stat().st_mtime_ns == 0
    second.put("other", 2)
    second.save()
    assert json.loads(file.read_text(encoding="utf-8")) == {"tex": 1, "other": 2}


def test_each_kind_of_blob_has_a_folder_of_its_own(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    highlights, searches = cache.blobs("highlights"), cache.blobs("search")
    assert highlights is cache.blobs("highlights") and highlights is not searches
    assert (highlights.folder, searches.folder) == (tmp_path / "highlights", tmp_path / "search")


def test_a_file_is_written_through_a_temporary_file_beside_it(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Beside it, on the same file system, so that putting it in place is one rename."""
    moved: list[tuple[Path, Path]] = []
    replace = os.replace

    def recorded(source: str, target: str) -> None:
        moved.append((Path(source).parent, Path(target).parent))
        replace(source, target)

    monkeypatch.setattr(os, "replace", recorded)
    write(tmp_path / "kept" / "file.json", "{}")
    assert moved == [(tmp_path / "kept", tmp_path / "kept")]
    assert [p.name for p in (tmp_path / "kept").iterdir()] == ["file.json"]


def test_a_font_family_without_a_value_names_no_family() -> None:
    assert font_rules(".a { font-family: ; } .b { font-family: KaTeX_AMS; }") == [
        (frozenset({"b"}), "KaTeX_AMS")]


def _rules() -> Rules:
    return font_rules((KATEX / "dist" / "katex.min.css").read_text(encoding="utf-8"))


def test_each_font_keeps_only_the_glyphs_its_family_may_draw(tmp_path: Path) -> None:
    fonts = KATEX / "dist" / "fonts"
    for name in ["KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2", "KaTeX_AMS-Regular.woff2"]:
        shutil.copy(fonts / name, tmp_path / name)
    subset_fonts(tmp_path, {"KaTeX_Main": {"x", "+", "R"}, "KaTeX_Math": {"x"}},
                 Entries(tmp_path / "cache"), katex="0")
    main = set(TTFont(tmp_path / "KaTeX_Main-Regular.woff2").getBestCmap())
    math = set(TTFont(tmp_path / "KaTeX_Math-Italic.woff2").getBestCmap())
    ams = set(TTFont(tmp_path / "KaTeX_AMS-Regular.woff2").getBestCmap())
    assert {ord("x"), ord("+"), ord("R")} <= main and ord("y") not in main
    assert ord("x") in math and ord("+") not in math and ord("R") not in math
    assert ams <= {0x20, 0xA0}  # no element of the math asked for the AMS font
    assert {ord(c) for c in " 0123456789()"} <= main  # kept whatever the math
    assert (tmp_path / "KaTeX_Main-Regular.woff2").stat().st_size < (
        fonts / "KaTeX_Main-Regular.woff2").stat().st_size / 2


def test_font_use_follows_the_classes_of_katex_css(typesetter: Typesetter) -> None:
    page = '<span class="arithmatex">\\(\\mathbb{R}^n + \\texttt{x.grad}\\)</span>'
    typesetter.typeset(page, formulas.arithmatex_formulas(page), "docs/p.md")
    used = typesetter.used[-1]
    assert "R" in used["KaTeX_AMS"] and "n" not in used["KaTeX_AMS"]
    assert set("x.grad") <= set(used["KaTeX_Typewriter"])
    assert "n" in used["KaTeX_Math"] and "R" not in used.get("KaTeX_Main", "")
    assert characters(_rules(), "<span>plain</span>") == {"KaTeX_Main": "ailnp"}


def test_a_rule_counts_on_an_element_with_exactly_its_classes_and_across_elements() -> None:
    """A rule whose classes are all on one element (no more) sets that element's family; one
    whose classes are on several nested elements adds its family there; the nearest element
    wins over an outer one; MathML text never counts."""
    rules: Rules = [(frozenset({"mathbf"}), "KaTeX_Main"), (frozenset({"mathbb"}), "KaTeX_AMS"),
                    (frozenset({"sizing", "reset-size1"}), "KaTeX_Size1")]
    assert characters(rules, '<span class="mathbb">R</span>') == {"KaTeX_AMS": "R"}
    assert characters(rules, '<span class="mathbb"><span class="mathbf">b</span></span>') == {
        "KaTeX_Main": "b"}
    assert characters(rules, '<span class="sizing"><span class="reset-size1">(</span></span>') == {
        "KaTeX_Main": "(", "KaTeX_Size1": "("}
    assert characters(rules, '<span class="katex-mathml"><span class="mathbb">Q</span></span>'
                      ) == {}


def test_markdown_for_jupyter_quotes_admonitions_and_points_links_to_the_site() -> None:
    lines = ['## The `sum()` trick { #trick }', "", '!!! warning "Careful"', "",
             "    See [shapes](shapes.md#kinds).", "", "Back to [home](index.md)."]
    assert notebooks.for_jupyter(lines, "https://site/") == "\n".join([
        "## The sum() trick", "", "> **Careful**", ">",
        "> See [shapes](https://site/shapes/#kinds).", ">",
        "Back to [home](https://site/)."])


def test_an_admonition_without_a_title_is_a_block_quote_without_one() -> None:
    lines = ["!!! note", "", "    Quoted.", "", "??? tip", "    Also quoted.", "After."]
    assert notebooks.for_jupyter(lines, "https://site/") == "\n".join(
        [">", ">", "> Quoted.", ">", ">", "> Also quoted.", "After."])


def test_warnings_are_told_apart_from_what_the_example_printed() -> None:
    """Each warning line, with the source line Python prints under it (indented), goes to the
    warnings; every other line stays, in order."""
    text = ("first\n/x/y.py:3: UserWarning: careful\n  y = f(x)\n  indented print\n"
            "<stdin>:1: DeprecationWarning: old\nlast")
    assert notebooks.split_warnings(text) == (
        "first\n  indented print\nlast",
        "/x/y.py:3: UserWarning: careful\n  y = f(x)\n<stdin>:1: DeprecationWarning: old")
    assert notebooks.split_warnings("a\nb") == ("a\nb", "")


def test_a_cell_shows_the_spaces_that_end_what_its_example_printed() -> None:
    example = SITE.read(ROOT / "docs" / "row-vectors.md").examples[0]
    assert example.output is not None and not example.raises
    example = dataclasses.replace(example, output=dataclasses.replace(example.output, text="a \n b  "))
    [stdout] = notebooks.code_cell(example, 1).outputs
    assert stdout.text == "a \n b  \n"


def test_prose_after_an_example_without_output_is_one_cell_after_it(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nmarkdown_extensions: [pymdownx.snippets, pymdownx.superfences]\n")
    (tmp_path / "docs" / "page.md").write_text(
        "# Page\n\nBefore.\n\n```python\nx = 1\n```\n\nBetween.\n\n```python\nprint(x)\n```\n"
        "```output\n1\n```\n\nAfter.\n")
    page = Site.load(tmp_path / "mkdocs.yml").read(tmp_path / "docs" / "page.md")
    notebook = notebooks.page_notebook(page, "page", "https://site/", ["2.13.0"])
    assert notebook is not None
    first, version, *cells = notebook.cells
    assert first.source.startswith("# Page\n\n*This notebook is") and first.source.endswith("Before.")
    assert version.source == notebooks.version_check(["2.13.0"]).rstrip("\n")
    assert [(c.cell_type, c.source) for c in cells] == [
        ("code", "x = 1"), ("markdown", "Between."), ("code", "print(x)"), ("markdown", "After.")]
    assert notebook.metadata.kernelspec == {"name": "python3", "display_name": "Python 3",
                                            "language": "python"}


def test_page_notebook_has_each_example_with_its_checked_output() -> None:
    page = SITE.read(ROOT / "docs" / "mechanics.md")
    notebook = notebooks.page_notebook(page, "mechanics", "https://site/", ["2.13.0"])
    assert notebook is not None
    version, *code = [c for c in notebook.cells if c.cell_type == "code"]
    assert notebook.cells[1] is version and version.source == notebooks.version_check(
        ["2.13.0"]).rstrip("\n") and not version.outputs
    assert [c.source for c in code] == [e.code.rstrip("\n") for e in page.examples]
    assert notebook.cells[0].source.startswith(
        "# Accumulation, retain_graph, leaves\n\n*This notebook is the page "
        "<https://site/mechanics/> of Gradients in PyTorch. Each output below is the one "
        "checked on the site with torch 2.13.0")
    for cell, example in zip(code, page.examples, strict=True):
        out = "".join(o.text for o in cell.outputs if o.get("name") == "stdout")
        err = "".join(o.text for o in cell.outputs if o.get("name") == "stderr")
        errors = ["\n".join(o.traceback) for o in cell.outputs if o.output_type == "error"]
        shown = example.output.text if example.output else ""
        # every line of the page is in the cell, warnings apart, as a kernel shows them
        assert sorted((out + err + "".join(e + "\n" for e in errors)).split("\n")) == \
            sorted((shown + "\n").split("\n")) if shown else not cell.outputs
        assert bool(errors) == bool(example.raises)
        assert bool(err) == ("UserWarning" in shown)


def test_a_notebook_of_a_page_without_a_title_starts_with_the_note(tmp_path: Path) -> None:
    root = _checked_site(tmp_path, prose="Text.")
    page_md = root / "docs" / "page.md"
    page_md.write_text(page_md.read_text().replace("# Page\n\n", ""))
    page = Site.load(root / "mkdocs.yml").read(page_md)
    notebook = notebooks.page_notebook(page, "page", "https://site/", ["2.13.0"])
    assert notebook is not None
    note, version, prose = notebook.cells[:3]
    assert note.cell_type == "markdown" and note.source.startswith(
        "*This notebook is the page <https://site/page/> of Gradients in PyTorch.")
    assert version.cell_type == "code" and prose.source == "Text."
    assert [c.id for c in notebook.cells[:3]] == ["page-1", "page-2", "page-3"]


def test_a_notebook_warns_a_reader_whose_torch_is_not_the_checked_one(
        capsys: pytest.CaptureFixture[str]) -> None:
    """The first code cell of every notebook: silent with the torch the outputs were checked
    with, a warning naming both versions with any other."""
    import torch

    installed = torch.__version__.split("+")[0]
    for versions in ([installed], ["1.0.0", installed]):
        exec(notebooks.version_check(versions), {})
        assert capsys.readouterr().out == ""
    exec(notebooks.version_check(["1.0.0"]), {})
    assert capsys.readouterr().out == (
        "Note: the outputs shown were checked with torch 1.0.0, and this is torch "
        f"{torch.__version__}: some numbers or messages may differ.\n")
    exec(notebooks.version_check(["1.0.0", "1.1.0"]), {})
    assert capsys.readouterr().out.startswith(
        "Note: the outputs shown were checked with torch 1.0.0 and 1.1.0, and this is torch")


def test_notebook_keeps_a_multi_line_error_whole() -> None:
    example = SITE.read(ROOT / "docs" / "row-vectors.md").examples[0]
    assert example.output is not None
    example = dataclasses.replace(example, raises="ValueError", output=dataclasses.replace(
        example.output, text="printed\nValueError: first line\nsecond line"))
    cell = notebooks.code_cell(example, 1)
    assert [o.output_type for o in cell.outputs] == ["stream", "error"]
    assert cell.outputs[0].text == "printed\n"
    assert (cell.outputs[1].ename, cell.outputs[1].evalue) == ("ValueError", "first line\nsecond line")


def test_colab_links_point_to_the_published_notebooks() -> None:
    assert notebooks.colab_url("someone/gradients", "notebooks", "vjp") == (
        "https://colab.research.google.com/github/someone/gradients/blob/notebooks/vjp.ipynb")
    assert notebooks.colab_url("someone/gradients", "notebooks", "exercises/fix-shape-error") == (
        "https://colab.research.google.com/github/someone/gradients/blob/notebooks/"
        "exercises-fix-shape-error.ipynb")


def test_every_page_with_examples_offers_its_notebook_and_colab(tmp_path: Path, site_cache: str) -> None:
    """Built with the setting the deploy workflow gives, each page links to its notebook (a file
    of the site) and to Colab, at the top."""
    env = {"COLAB_REPOSITORY": "someone/gradients", "NO_MKDOCS_2_WARNING": "1",
           **with_cache(site_cache)}
    result = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-d",
                             str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, **env})
    assert result.returncode == 0, result.stderr
    with_examples = [p for p in SITE.page_paths() if SITE.read(p).examples]
    assert len(with_examples) >= len(SITE.page_paths()) - 1  # questions.md has none
    for path in with_examples:
        stem = path.relative_to(ROOT / "docs").with_suffix("").as_posix()
        html = (tmp_path / "site" / notebooks.page_url(stem) / "index.html").read_text()
        top = html[html.index("<h1"):html.index("<h1") + 2000]
        name = notebooks.notebook_name(stem)
        assert f'download="{name}"' in top and "Download the notebook" in top, stem
        assert notebooks.colab_url("someone/gradients", "notebooks", stem) in top, stem
        assert (tmp_path / "site" / notebooks.NOTEBOOKS / name).is_file()
    # What the deploy workflow pushes to the notebooks branch: a file for every Colab link.
    links = set(re.findall(r'href="https://colab\.research\.google\.com/github/someone/'
                           r'gradients/blob/notebooks/([^"]+)"',
                           "".join(p.read_text() for p in (tmp_path / "site").rglob("*.html"))))
    result = subprocess.run([sys.executable, "-m", "sitebuild.publish", str(tmp_path / "site"),
                             str(tmp_path / "branch")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    branch = {p.name for p in (tmp_path / "branch").iterdir()}
    assert any(name.startswith("exercises-") for name in links)
    assert links == branch


def _figure(tmp_path: Path, code: str) -> figures.Figure:
    example = SITE.read(ROOT / "docs" / "derivatives.md").examples[0]
    example = dataclasses.replace(example, code=code, figure="test", alt="a test figure")
    figure = figures.figure_of(example, "derivatives")
    assert figure is not None
    return figure


FIGURE = ("import matplotlib.pyplot as plt\nimport torch\n"
          "x = torch.linspace(0, 1, 5)\nplt.plot(x, x**2)\nplt.title('x squared')\n")


def test_figures_are_drawn_in_both_palettes_and_byte_identical(tmp_path: Path) -> None:
    figure = _figure(tmp_path, FIGURE)
    figures.render([figure], ROOT, tmp_path / "a", Entries(tmp_path / "cache-a"))
    figures.render([figure], ROOT, tmp_path / "b", Entries(tmp_path / "cache-b"))
    for variant in figures.VARIANTS:
        a = (tmp_path / "a" / figure.file(variant)).read_bytes()
        assert a == (tmp_path / "b" / figure.file(variant)).read_bytes()
        assert a.startswith(b"<?xml") and b"<dc:date>" not in a
    light, dark = ((tmp_path / "a" / figure.file(v)).read_text() for v in figures.VARIANTS)
    assert figures.STYLES["light"]["text.color"] in light
    assert figures.STYLES["dark"]["text.color"] in dark


def test_figures_come_from_the_cache_keyed_by_their_code(tmp_path: Path) -> None:
    figure = _figure(tmp_path, FIGURE)
    figures.render([figure], ROOT, tmp_path / "out", Entries(tmp_path / "cache"))
    stored = tmp_path / "cache" / figure.key() / "light.svg"
    stored.write_text("<svg>from the cache</svg>")
    figures.render([figure], ROOT, tmp_path / "again", Entries(tmp_path / "cache"))
    assert (tmp_path / "again" / figure.file("light")).read_text() == "<svg>from the cache</svg>"
    changed = _figure(tmp_path, FIGURE.replace("x**2", "x**3"))
    assert changed.key() != figure.key()


@pytest.mark.parametrize("code, message", [
    ("x = 1\n", "the example is marked as a figure but draws no matplotlib figure"),
    ("import matplotlib.pyplot as plt\nplt.plot([1])\n1 / 0\n",
     "the figure could not be drawn:*ZeroDivisionError"),
])
def test_a_figure_that_cannot_be_drawn_fails_naming_the_page_line(tmp_path: Path, code: str,
                                                                 message: str) -> None:
    figure = _figure(tmp_path, code)
    with pytest.raises(figures.FigureError) as failure:
        figures.render([figure], ROOT, tmp_path / "out", Entries(tmp_path / "cache"))
    text = str(failure.value)
    assert text.startswith(f"{figure.example.where}: ")
    assert re.search(message.replace("*", ".*").replace("(", r"\(").replace(")", r"\)"),
                     text, re.S), text


def _checked_site(tmp_path: Path, output: str = "2", prose: str = "Text.") -> Path:
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nmarkdown_extensions: [pymdownx.snippets, pymdownx.superfences]\n")
    (tmp_path / "docs" / "page.md").write_text(
        f"# Page\n\n{prose}\n\n```python\nprint(1 + 1)\n```\n```output\n{output}\n```\n\n"
        "```python\nprint(3)\n```\n```output\n3\n```\n")
    return tmp_path


def _report(tmp_path: Path, failures: int = 0, cases: int = 2) -> Path:
    rows = []
    for n in range(cases):
        failure = '<failure message="docs/page.md:5: printed output differs"/>' if n < failures \
            else ""
        rows.append(f'<testcase classname="docs.page.md" name="[CodeFence#{n + 1}][line:{5 + n}]">'
                    f"{failure}</testcase>")
    path = tmp_path / "report.xml"
    path.write_text(f'<testsuites><testsuite>{"".join(rows)}</testsuite></testsuites>')
    return path


def test_a_check_against_another_torch_is_stated_while_the_examples_stay_the_same(tmp_path: Path) -> None:
    """make check-torch records, per page, the examples it checked: the page names the release
    until an example or its output changes (its prose may)."""
    from sitebuild import torchchecks

    root = _checked_site(tmp_path)
    assert torchchecks.record(root, "2.14.1+cpu", _report(tmp_path)) == []
    site = Site.load(root / "mkdocs.yml")

    def stated() -> str:
        page = site.read(root / "docs" / "page.md")
        record = torchchecks.load(root)
        return torchchecks.statement("2.13.0", torchchecks.checks(record, "page.md", page))

    assert stated() == "Every output on this page was checked with torch 2.13.0 and 2.14.1."
    _checked_site(tmp_path, prose="Other words.")
    assert stated() == "Every output on this page was checked with torch 2.13.0 and 2.14.1."
    _checked_site(tmp_path, output="2 ")
    assert stated() == "Every output on this page was checked with torch 2.13.0."
    _checked_site(tmp_path)
    assert torchchecks.record(root, "2.15.0", _report(tmp_path, failures=1)) == [
        "docs/page.md [CodeFence#1][line:5]: docs/page.md:5: printed output differs"]
    assert stated() == ("Every output on this page was checked with torch 2.13.0 and 2.14.1. "
                        "With torch 2.15.0, 1 of them prints something else.")


@pytest.mark.parametrize("text, message", [
    ('{"2.14.1": {"page.md": {"examples": "ab" "differ": 0}}}', "torch-checks.json: not JSON: *"),
    ('["2.14.1"]', "torch-checks.json: must hold an object of releases, not list"),
    ('{"2.14.1": {"page.md": {"examples": "ab"}}}', "torch-checks.json: '2.14.1', 'page.md': *"),
])
def test_a_broken_record_stops_the_build_naming_it(tmp_path: Path, text: str, message: str) -> None:
    root = _checked_site(tmp_path)
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    with open(root / "mkdocs.yml", "a") as yml:
        yml.write("theme: material\nplugins: [sitebuild]\n")
    (root / "torch-checks.json").write_text(text)
    result = _build(root)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and fnmatch.fnmatch(errors[0], f"ERROR   -  {message}"), errors


def test_a_report_of_another_version_of_the_pages_is_refused(tmp_path: Path) -> None:
    from sitebuild import torchchecks

    root = _checked_site(tmp_path)
    with pytest.raises(SystemExit) as raised:
        torchchecks.record(root, "2.14.1", _report(tmp_path, cases=1))
    assert str(raised.value) == ("torch-checks.json: the report ran 1 examples of docs/page.md, "
                                 "which has 2: not a whole doc-test of this version of the pages")
    (root / "torch-checks.json").write_text("[]")
    with pytest.raises(SystemExit) as raised:
        torchchecks.record(root, "2.14.1", _report(tmp_path))
    assert str(raised.value) == "torch-checks.json: must hold an object of releases, not list"


def test_two_pages_pytest_would_report_under_one_name_are_refused(tmp_path: Path) -> None:
    from sitebuild import torchchecks

    root = _checked_site(tmp_path)
    (root / "docs" / "a").mkdir()
    for name in ("a.b.md", "a/b.md"):
        (root / "docs" / name).write_text("# Page\n")
    with pytest.raises(SystemExit) as raised:
        torchchecks.record(root, "2.14.1", _report(tmp_path))
    assert str(raised.value) == ("torch-checks.json: docs/a/b.md and docs/a.b.md have the same "
                                 "name in a pytest report; rename one")


def test_check_torch_records_the_report_and_says_what_differs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m sitebuild.torchchecks RELEASE REPORT.xml` (`make check-torch`), in the site's
    folder."""
    from sitebuild import torchchecks

    (tmp_path / "site").mkdir()
    root = _checked_site(tmp_path / "site")
    monkeypatch.chdir(root)
    assert torchchecks.main(["2.14.1"]) == 2
    assert capsys.readouterr().err == "usage: python -m sitebuild.torchchecks RELEASE REPORT.xml\n"
    assert torchchecks.main(["2.14.1+cpu", str(_report(tmp_path))]) == 0
    assert capsys.readouterr().out == ("torch 2.14.1: 2 of 2 examples print what their pages "
                                       "show; recorded in torch-checks.json.\n")
    assert torchchecks.main(["2.15.0", str(_report(tmp_path, failures=1))]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "torch 2.15.0: 1 of 2 examples print what their pages show; recorded in torch-checks.json.",
        "  differs: docs/page.md [CodeFence#1][line:5]: docs/page.md:5: printed output differs"]
    assert set(torchchecks.load(root)) == {"2.14.1", "2.15.0"}


@pytest.mark.parametrize("text, message", [
    ('{"2.14.1": {"page.md": {"examples": "ab" "differ": 0}}}',
     "torch-checks.json: not JSON: Expecting ',' delimiter: line 1 column 42 (char 41)"),
    ('["2.14.1"]', "torch-checks.json: must hold an object of releases, not list"),
    ('{"2.14.1": ["page.md"]}', "torch-checks.json: release '2.14.1' must hold an object of pages"),
    ('{"2.14.1": {"page.md": {"examples": "ab"}}}', "torch-checks.json: '2.14.1', 'page.md': "
     'expected {"examples": "<fingerprint>", "differ": <count>}, not {\'examples\': \'ab\'}'),
    ('{"2.14.1": {"page.md": {"examples": 1, "differ": 0}}}', "torch-checks.json: '2.14.1', "
     "'page.md': expected *"),
    ('{"2.14.1": {"page.md": {"examples": "ab", "differ": "0"}}}', "torch-checks.json: '2.14.1', "
     "'page.md': expected *"),
    ('{"2.14.1": {"page.md": 3}}', "torch-checks.json: '2.14.1', 'page.md': expected *, not 3"),
])
def test_a_record_of_the_wrong_shape_is_refused_naming_what_is_wrong(tmp_path: Path, text: str,
                                                                      message: str) -> None:
    from sitebuild import torchchecks

    (tmp_path / "torch-checks.json").write_text(text)
    with pytest.raises(torchchecks.RecordError) as raised:
        torchchecks.load(tmp_path)
    assert fnmatch.fnmatchcase(str(raised.value), message), str(raised.value)


def test_a_site_without_a_record_was_checked_with_no_other_torch(tmp_path: Path) -> None:
    from sitebuild import torchchecks

    assert torchchecks.load(tmp_path) == {}
    (tmp_path / "torch-checks.json").write_text('{"2.14.1": {"page.md": {"examples": "ab", "differ": 0}}}')
    assert torchchecks.load(tmp_path) == {"2.14.1": {"page.md": {"examples": "ab", "differ": 0}}}


def test_releases_are_in_the_order_of_their_versions(tmp_path: Path) -> None:
    from sitebuild import torchchecks

    root = _checked_site(tmp_path)
    for release in ("2.10.0", "2.9.1"):
        assert torchchecks.record(root, release, _report(tmp_path)) == []
    page = Site.load(root / "mkdocs.yml").read(root / "docs" / "page.md")
    assert torchchecks.statement("2.13.0", torchchecks.checks(torchchecks.load(root), "page.md", page)) \
        == "Every output on this page was checked with torch 2.13.0, 2.9.1 and 2.10.0."


def test_a_page_whose_name_holds_a_dot_is_found_in_the_report(tmp_path: Path) -> None:
    from sitebuild import torchchecks

    root = _checked_site(tmp_path)
    (root / "docs" / "page.md").rename(root / "docs" / "v1.2.md")
    report = _report(tmp_path).read_text().replace("docs.page.md", "docs.v1.2.md")
    (tmp_path / "report.xml").write_text(report)
    assert torchchecks.record(root, "2.14.1", tmp_path / "report.xml") == []
    assert set(torchchecks.load(root)["2.14.1"]) == {"v1.2.md"}


def test_a_report_that_did_not_run_every_example_is_refused(tmp_path: Path) -> None:
    from sitebuild import torchchecks

    root = _checked_site(tmp_path)
    with pytest.raises(SystemExit, match="the report ran 1 examples of docs/page.md, which has 2"):
        torchchecks.record(root, "2.14.1", _report(tmp_path, cases=1))
    assert not (root / torchchecks.RECORD).exists()


def test_a_figure_is_shown_where_its_example_ends_whatever_its_alt_text_and_front_matter(
        tmp_path: Path) -> None:
    """The two images of a figure come right after its code block, with the alt text as written
    (brackets, formulas, code, backslashes and quotes are not Markdown there), with addresses
    relative to the page, also on a page in a subfolder with front matter."""
    import html

    from mkdocs.utils import get_relative_url

    alt = "A line: $x^2$ with *stars*, [brackets](x), a \\ backslash, 'quotes' & <tags>"
    site = _site(tmp_path, "# Home\n")
    (site / "docs" / "sub").mkdir()
    (site / "docs" / "sub" / "page.md").write_text(
        "---\ntitle: A page\n---\n\n# Page\n\nText.\n\n"
        f'```{{.python figure="line" alt="{alt}"}}\n'
        "import matplotlib.pyplot as plt\nplt.plot([0, 1], [0, 1])\n```\n\nAfter.\n")
    result = _build(site)
    assert result.returncode == 0, result.stderr
    built = (site / "site" / "sub" / "page" / "index.html").read_text()
    images = re.findall(r'<img alt="([^"]*)" class="figure" loading="lazy" src="([^"]+)"', built)
    wanted = [(alt, get_relative_url(f"figures/sub-page-line-{v}.svg", "sub/page/") + f"#only-{v}")
              for v in figures.VARIANTS]
    assert [(html.unescape(a), s) for a, s in images] == wanted
    code_end = built.index("plt</span>")
    assert code_end < built.index('class="figure"') < built.index("After.")


@pytest.mark.parametrize("setting, message", [
    ("cache: flase", "option 'cache': Expected type: <class 'bool'> but received: <class 'str'>"),
    ("formulas: false", "option 'formulas': Unrecognised configuration name: formulas"),
    ("colab_repository: gradients", "option 'colab_repository': a GitHub repository as "
                                    "owner/name is needed, not 'gradients'"),
])
def test_a_wrong_setting_of_the_build_is_an_error_naming_it(tmp_path: Path, setting: str,
                                                               message: str) -> None:
    """The plugin's settings are checked when MkDocs reads mkdocs.yml: a misspelt value or name
    stops the build (a warning would let `mkdocs build` go on without it) and names it."""
    site = _site(tmp_path, "# Page\n")
    yml = site / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("  - sitebuild\n", f"  - sitebuild:\n      {setting}\n"))
    result = _build(site)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert errors == [f"ERROR   -  Config value 'plugins': Plugin 'sitebuild' {message}"], \
        result.stderr
    assert not (site / "site").exists() and not (site / ".cache").exists()
    assert not (site / "flase").exists()


def test_the_build_is_the_plugin_of_mkdocs_yml() -> None:
    """The site is built by the plugin MkDocs finds by its entry point, with settings of the
    plugin's schema; no hooks, no settings under extra."""
    from mkdocs.config import load_config

    from sitebuild.plugin import SitebuildPlugin

    config = load_config(str(ROOT / "mkdocs.yml"))
    assert not config.hooks and "sitebuild" not in config.extra
    plugin = config.plugins["sitebuild"]
    assert isinstance(plugin, SitebuildPlugin)
    assert list(config.plugins)[-1] == "sitebuild"  # after mkdocs-jupyter, as hooks ran
    assert (plugin.config.math, plugin.config.figures) == (True, True)


def _keys(cache: Path, name: str) -> set[str]:
    folder = cache / name
    if folder.suffix == ".json":
        return set(json.loads(folder.read_text()))
    return {p.name for p in folder.iterdir()}


def test_the_cache_holds_what_the_last_build_used_and_nothing_else(tmp_path: Path) -> None:
    """Edit a formula, a code block, the prose and a figure between two builds: the entries of
    the old ones are gone from the cache, which holds as many entries as after the first build
    (it cannot grow from edit to edit)."""
    site = _site(tmp_path, "# Page\n\nFirst: $a^{2}$.\n\n```python\nfirst_name = 1\n```\n\n"
                           '```{.python figure="line" alt="A line"}\n'
                           "import matplotlib.pyplot as plt\nplt.plot([0, 1], [0, 1])\n```\n")
    assert (result := _build(site)).returncode == 0, result.stderr
    cache = site / ".cache"
    kinds = ["katex.json", "highlights.json", "search.json", "figures", "katex-fonts", "pages"]
    first = {kind: _keys(cache, kind) for kind in kinds}
    assert all(first.values()), first
    page = site / "docs" / "index.md"
    page.write_text(page.read_text().replace("a^{2}", "b_{3}").replace("first_name", "other")
                    .replace("First", "Second").replace("[0, 1], [0, 1]", "[0, 1], [1, 0]"))
    assert (result := _build(site)).returncode == 0, result.stderr
    second = {kind: _keys(cache, kind) for kind in kinds}
    for kind in kinds:
        assert len(second[kind]) == len(first[kind]) and not second[kind] & first[kind], kind
    formulas = json.loads((cache / "katex.json").read_text())
    [rendered] = formulas.values()
    assert ">b<" in rendered["html"] and ">a<" not in rendered["html"]
    assert "first_name" not in (cache / "highlights.json").read_text()


def test_a_cache_drops_unused_entries_and_abandoned_temporaries(tmp_path: Path) -> None:
    from sitebuild import cache

    kept = cache.Cache(tmp_path)
    kept.entries("things").put("old", {"a.txt": b"old"})
    kept.kept("values.json").put("old", 1)
    folder = kept.folder("tools", "v1")
    (folder / "made-by-the-tool").write_text("x")
    kept.save()
    abandoned = tmp_path / "things" / ".new.abc"  # a build killed while it wrote an entry
    abandoned.mkdir()
    os.utime(abandoned, (0, 0))
    writing = tmp_path / "things" / ".other.def"  # a build writing it now
    writing.mkdir()

    again = cache.Cache(tmp_path)
    assert again.entries("things").get("new") is None
    again.entries("things").put("new", {"a.txt": b"new"})
    assert again.kept("values.json").get("absent") is None
    again.kept("values.json").put("new", 2)
    again.folder("tools", "v2")
    again.save()
    assert {p.name for p in (tmp_path / "things").iterdir()} == {"new", ".other.def"}
    assert json.loads((tmp_path / "values.json").read_text()) == {"new": 2}
    assert {p.name for p in (tmp_path / "tools").iterdir()} == {"v2"}
    assert cache.Cache(tmp_path).entries("things").get("new") == {"a.txt": b"new"}


def test_a_cache_of_blobs_keeps_what_the_last_build_used(tmp_path: Path) -> None:
    from sitebuild import cache

    blobs = cache.Cache(tmp_path).blobs("notebooks")
    assert blobs.get("a") is None
    blobs.put("a", b"first")
    blobs.put("b", b"second")
    blobs.prune()
    assert sorted(p.name for p in (tmp_path / "notebooks").iterdir()) == ["a", "b"]
    again = cache.Cache(tmp_path).blobs("notebooks")
    assert again.get("b") == b"second"
    again.prune()
    assert [p.name for p in (tmp_path / "notebooks").iterdir()] == ["b"]


def test_a_cache_entry_is_written_whole_or_not_at_all(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from sitebuild import cache

    def broken(self: Path, data: bytes) -> NoReturn:
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_bytes", broken)
    with pytest.raises(KeyboardInterrupt):
        cache.write(tmp_path / "entry", {"a": b"1", "b": b"2"})
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []
    cache.write(tmp_path / "file", "text")
    cache.write(tmp_path / "file", b"bytes")
    assert (tmp_path / "file").read_bytes() == b"bytes" and len(list(tmp_path.iterdir())) == 1
    with pytest.raises(FileNotFoundError):  # a name the folder cannot hold: the error, as it is
        cache.write(tmp_path / "entry", {"a": b"1", "no/such/folder": b"2"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_a_key_covers_content_versions_and_settings() -> None:
    from sitebuild.cache import key

    base = key("code", versions=("torch",), settings={"a": 1})
    assert base == key("code", versions=("torch",), settings={"a": 1})
    assert len({base, key("other", versions=("torch",), settings={"a": 1}),
                key("code", versions=("numpy",), settings={"a": 1}),
                key("code", versions=("torch",), settings={"a": 2})}) == 4
    # a value JSON cannot write counts by its text
    assert key(Path("docs/a.md"), settings={"at": Path("x")}) == key("docs/a.md", settings={"at": "x"})


@pytest.mark.parametrize("differ, said", [(1, "1 of them prints"), (2, "2 of them print")])
def test_the_statement_counts_the_outputs_another_torch_prints_otherwise(differ: int,
                                                                         said: str) -> None:
    from sitebuild import torchchecks

    checks = [torchchecks.Check("2.14.1", 0), torchchecks.Check("2.15.0", differ)]
    assert torchchecks.statement("2.13.0", checks) == (
        "Every output on this page was checked with torch 2.13.0 and 2.14.1. "
        f"With torch 2.15.0, {said} something else.")
