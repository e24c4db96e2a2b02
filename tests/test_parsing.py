"""The build reads HTML and CSS with parsers: formulas in pages and notebook cells
(sitebuild/markup.py, sitebuild/formulas.py), its edits of pages (sitebuild/edits.py), the fonts
KaTeX's stylesheet gives its classes (sitebuild/fonts.py), and the theme's accessible names come
from template overrides."""

import html
import re
from pathlib import Path

import material
import pytest
import yaml

from sitebuild import edits, formulas, markup
from sitebuild.cache import Kept
from sitebuild.fonts import font_rules, merge
from sitebuild.katex import KatexError, Typesetter, without_tex
from tests.conftest import BuiltSite

ROOT = Path(__file__).resolve().parents[1]
THEME = Path(material.__file__).parent / "templates"


# -- markup --------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", [
    '<!doctype html><p class="a b">x &amp; y<br/>z</p><!-- c --><script>if (a<b) {}</script>',
    "<div>\r\n<pre>10%\r20%\x0b\x0c\x85\u2028</pre>\n<p>after</p></div>",
    "text before any tag <i>and</i> after",
])
def test_tokens_cover_the_page_in_order_with_their_offsets(page: str) -> None:
    found = markup.tokens(page)
    assert found[0].start == 0 and found[-1].end == len(page)
    assert all(a.end == b.start for a, b in zip(found, found[1:], strict=False))
    for token in found:
        piece = page[token.start:token.end]
        if token.kind == "start":
            assert piece.lower().startswith(f"<{token.tag}") and piece.endswith(">")
        elif token.kind == "end":
            assert piece.lower() == f"</{token.tag}>"


def test_comments_declarations_and_instructions_are_neither_text_nor_tags() -> None:
    page = "<!DOCTYPE html><?xml-stylesheet href='a'?><![CDATA[x<y]]><!-- c --><p>t</p>"
    assert [t.kind for t in markup.tokens(page)] == ["other"] * 4 + ["start", "text", "end"]


def test_character_and_entity_references_are_text() -> None:
    page = "<p>a &#38; b &#x3c; c &amp; d &nbsp;</p>"
    found = markup.tokens(page)
    assert [t.kind for t in found] == ["start", *["text"] * 8, "end"]
    assert list(markup.texts(found)) == [(3, len(page) - 4)]


def test_an_opaque_element_is_one_piece_of_text() -> None:
    page = '<pre><span class="k">def</span> f(<em>x</em>)</pre><p>$a$</p>'
    kinds = [(t.kind, t.tag) for t in markup.tokens(page, frozenset({"pre"}))]
    assert kinds == [("start", "pre"), ("text", ""), ("end", "pre"), ("start", "p"),
                     ("text", ""), ("end", "p")]


def test_an_element_ends_at_its_own_end_tag() -> None:
    page = "<div id=a><div><div></div></div><p>in</p></div><p>out</p>"
    found = markup.tokens(page)
    [(opening, first, end)] = markup.elements(found, {0})
    assert opening.attr("id") == "a" and found[end].start == page.index("</div><p>out")
    assert "in" in page[found[first].start:found[end].start]


# -- formulas in pages made from Markdown --------------------------------------------------------


def test_arithmatex_formulas_are_the_text_of_their_elements() -> None:
    page = ('<p>Inline <span class="arithmatex" data-search-exclude>\\(a &lt; b\\)</span>.</p>'
            '<div class="arithmatex">\\[\n\\frac{x}{2}\n\\]</div>'
            '<pre><code><span class="arithmatex">\\(not\\)</span></code></pre>'
            '<script>let s = \'<span class="arithmatex">\\\\(no\\\\)</span>\';</script>')
    found = formulas.arithmatex_formulas(page)
    assert [(f.tex, f.display, f.block) for f in found] == [
        ("a < b", False, False), ("\\frac{x}{2}", True, True)]
    assert [page[f.start:f.end] for f in found] == [
        '<span class="arithmatex" data-search-exclude>\\(a &lt; b\\)</span>',
        '<div class="arithmatex">\\[\n\\frac{x}{2}\n\\]</div>']


def test_an_element_starting_right_before_the_end_of_another_is_inside_it() -> None:
    """Badly nested HTML: the span starts inside the div, just before the div's end tag, and is
    part of the div's formula, not a formula of its own."""
    page = '<div class="arithmatex">\\[x\\]<span class="arithmatex"></div>y</span>'
    assert [page[f.start:f.end] for f in formulas.arithmatex_formulas(page)] == [
        '<div class="arithmatex">\\[x\\]<span class="arithmatex"></div>']


KATEX_INLINE = ('<span class="katex"><span class="katex-mathml"><math><mi>x</mi></math></span>'
                '<span class="katex-html"><span class="base"><span class="mord">x</span></span>'
                "</span></span>")


def test_formulas_are_left_out_of_what_the_search_reads() -> None:
    """Each formula, arithmatex's or KaTeX's (its outermost element), becomes an empty
    element of its tag marked for the search to leave out; formulas in a script or code are no
    formulas, and nothing else changes."""
    page = ('<p><span class="arithmatex">\\(x\\)</span> and ' + KATEX_INLINE + ' then</p>'
            '<div class="katex-block" tabindex="0"><span class="katex-display">'
            + KATEX_INLINE + '</span></div><div class="arithmatex">\\[z\\]</div>'
            '<script>const markup = \'<span class="katex">\';</script>'
            '<pre><code><span class="katex">x</span></code></pre><p title="<span class=katex>">')
    left = formulas.exclude_from_search(page)
    assert left == ('<p><span data-search-exclude></span> and <span data-search-exclude></span>'
                    ' then</p><div data-search-exclude></div><div data-search-exclude></div>'
                    + page[page.index("<script>"):])
    assert formulas.exclude_from_search("<p>no math</p>") == "<p>no math</p>"


def test_a_formula_the_page_never_closes_is_left_out_to_the_end_of_the_page() -> None:
    assert (formulas.exclude_from_search('<p>a <span class="arithmatex">\\(x\\) b')
            == "<p>a <span data-search-exclude></span>")


def test_the_search_reads_the_words_around_a_formula_and_nothing_of_it() -> None:
    """Material's search leaves out an element marked data-search-exclude only up to the first
    end tag of its name (it knows elements by their tag): KaTeX's span holds spans, hence the
    empty element in its place."""
    from material.plugins.search.plugin import Parser

    def read(page: str) -> str:
        parser = Parser()
        parser.feed(page)
        parser.close()
        return "".join("".join(section.text) for section in parser.data)

    page = f"<h1 id=t>T</h1><p>Before {KATEX_INLINE} after.</p>"
    assert read(formulas.exclude_from_search(page)) == "<p>Before  after.</p>"
    marked = page.replace('<span class="katex">', '<span class="katex" data-search-exclude>')
    assert "x" in read(marked).replace("after", "")  # marking KaTeX's span is not enough


# -- formulas in notebook cells ------------------------------------------------------------------

CELL = '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput">'


def test_several_formulas_after_nested_divs_in_one_cell_are_all_found() -> None:
    """A cell holding a solution: a details block with a code block (its own <div>s, nested
    two deep, closed before the text goes on), then an admonition, then formulas."""
    page = (f'<div class="jp-Cell">{CELL}<p>First $a$ and $$b$$.</p>'
            '<details><summary>Solution</summary><div class="highlight"><div><pre><code>'
            'x = "$not$"</code></pre></div></div><p>So $c_1$.</p></details>'
            '<div class="admonition"><div class="title">Note</div><p>$d &lt; e$ and</p></div>'
            '<p>$$\nf^2\n$$ then $g$</p></div></div>'
            f'<div class="jp-OutputArea"><pre>$out$</pre><p>$outside$</p></div>{CELL}<p>$h$</p></div>')
    found = formulas.notebook_formulas(page)
    assert [(f.tex, f.display) for f in found] == [
        ("a", False), ("b", True), ("c_1", False), ("d < e", False), ("f^2", True),
        ("g", False), ("h", False)]
    assert [page[f.start:f.end] for f in found] == [
        "$a$", "$$b$$", "$c_1$", "$d &lt; e$", "$$\nf^2\n$$", "$g$", "$h$"]


def test_dollars_in_code_attributes_or_split_by_a_tag_are_no_formula() -> None:
    """Text shown as code, an attribute's value, and two dollars with an element between them
    (prices around a code span) are not TeX."""
    page = (f'{CELL}<p>It costs $5 <code>x = 1</code> and $6.</p>'
            '<p><a href="#" title="$t$">link</a> <img alt="$alt$" src="x.png"></p>'
            '<p><kbd>$k$</kbd> <script>var s = "$s$";</script> then $ok$</p></div>')
    found = formulas.notebook_formulas(page)
    assert [page[f.start:f.end] for f in found] == ["$ok$"]


def test_formulas_typeset_in_place_leave_every_other_byte(tmp_path: Path) -> None:
    """What the parser found are offsets in the page as MkDocs wrote it: replacing each
    formula there keeps everything else as it was."""
    page = f'<div class="jp-Cell">{CELL}<div><p>x</p></div><p>$a$ and $$b$$</p></div></div>'
    found = formulas.notebook_formulas(page)
    pieces, last = [], 0
    for formula in found:
        pieces += [page[last:formula.start], f"[{formula.tex}]"]
        last = formula.end
    assert "".join([*pieces, page[last:]]) == page.replace("$a$", "[a]").replace("$$b$$", "[b]")


# -- the build's edits of pages (sitebuild/edits.py) ---------------------------------------------


def test_code_in_table_cells_breaks_after_its_dots_and_nothing_else_does() -> None:
    page = ('<table><tr><td><code>torch.autograd.grad</code> or <code class="x">a.b</code></td>'
            '<td title="<code>t.u</code>">x.y <code><span title="s.t">m.n</span></code></td>'
            '<td><pre><code>in.pre</code></pre>&lt;code&gt;e.f&lt;/code&gt;</td></tr></table>'
            '<p><code>out.side</code></p><script>let s = "<td><code>j.s</code></td>";</script>')
    assert edits.break_after_dots(page) == page.replace(
        "torch.autograd.grad", "torch.<wbr>autograd.<wbr>grad").replace("m.n", "m.<wbr>n")
    assert edits.break_after_dots("<p><code>a.b</code></p>") == "<p><code>a.b</code></p>"


CSS = "body{color:red}"
NOTEBOOK = (
    '<script src="">\n</script><script src="">keep();</script>'
    '<script type="text/x-mathjax-config">MathJax.Hub.Config({});</script>'
    '<script type="module">import m from "x"; document.querySelector(".jp-Mermaid");</script>'
    '<script type="module">other();</script>'
    f'<style type="text/css">\n{CSS}</style><style>\n{CSS}kept</style>'
    '<a title="</h1><script src=&quot;&quot;></script>">x</a><h1 id="t">Title</h1>'
    '<div class="highlight-ipynb hl-python"><pre><span></span>code</pre></div>'
    '<div class="jp-OutputArea"><pre>out</pre></div>'
    '<div class="highlight"><pre><span></span>in markdown</pre></div>'
    '<pre>&lt;div class="highlight"&gt;&lt;pre&gt;&lt;script src=""&gt;&lt;/script&gt;</pre>')


def test_a_notebook_page_loses_its_cdn_scripts_and_inline_stylesheet_where_tags_stand() -> None:
    out = edits.notebook_page(NOTEBOOK, CSS, '<link rel="stylesheet" href="n.css">', "[buttons]")
    assert out == (
        '<script src="">keep();</script><script type="module">other();</script>'
        f'<link rel="stylesheet" href="n.css"><style>\n{CSS}kept</style>'
        '<a title="</h1><script src=&quot;&quot;></script>">x</a><h1 id="t">Title</h1>[buttons]'
        '<div class="highlight-ipynb hl-python" tabindex="0"><pre><span></span>code</pre></div>'
        '<div class="jp-OutputArea"><pre>out</pre></div>'
        '<div class="highlight"><pre tabindex="0"><span></span>in markdown</pre></div>'
        '<pre>&lt;div class="highlight"&gt;&lt;pre&gt;&lt;script src=""&gt;&lt;/script&gt;</pre>')
    assert edits.notebook_page(f'<style type="text/css">\n{CSS}</style><p>x</p>', CSS, "[link]",
                               "[b]") == "[b][link]<p>x</p>"  # no title: at the start


def test_only_a_style_element_is_taken_for_the_inline_stylesheet() -> None:
    """Another element holding the same text (a notebook showing the stylesheet) stays."""
    page = f'<div>\n{CSS}</div><p>\n{CSS}</p><style>\n{CSS}</style><h1>T</h1>'
    assert edits.notebook_page(page, CSS, "[link]", "[b]") == (
        f'<div>\n{CSS}</div><p>\n{CSS}</p>[link]<h1>T</h1>[b]')


def test_a_notebook_page_without_the_expected_stylesheet_is_refused() -> None:
    with pytest.raises(ValueError) as raised:
        edits.notebook_page(NOTEBOOK.replace(CSS, "body{}"), CSS, "[link]", "")
    assert str(raised.value) == ("mkdocs-jupyter no longer writes its stylesheet into the page as "
                                 "this build expects")


def test_code_that_is_focusable_already_gets_no_second_tabindex() -> None:
    page = (f'<style type="text/css">\n{CSS}</style>'
            '<div class="highlight-ipynb" tabindex="-1"><pre>code</pre></div>'
            '<div class="highlight"><pre tabindex="1">md</pre></div>')
    assert edits.notebook_page(page, CSS, "[link]", "") == page.replace(
        f'<style type="text/css">\n{CSS}</style>', "[link]")


def test_a_self_closing_start_tag_opens_its_element() -> None:
    """HTML reads "<span/>" as "<span>": the element goes on to its end tag."""
    page = '<span class="arithmatex"/>\\(x\\)</span>'
    assert [(t.kind, t.tag) for t in markup.tokens(page, frozenset())] == [
        ("start", "span"), ("text", ""), ("end", "span")]
    assert [f.tex for f in formulas.arithmatex_formulas(page)] == ["x"]


def test_katex_output_loses_the_tex_copy_only() -> None:
    mathml = ('<math><semantics><mrow><mi>a</mi></mrow><annotation encoding="application/x-tex">'
              'a &lt; b</annotation><annotation encoding="text/plain">kept</annotation>'
              '</semantics></math><span title=\'<annotation encoding="application/x-tex">\'>'
              "</span>")
    assert without_tex(mathml) == mathml.replace(
        '<annotation encoding="application/x-tex">a &lt; b</annotation>', "")


def test_edits_may_not_overlap() -> None:
    assert markup.edit("abcdef", [(4, 5, "E"), (0, 1, "A"), (2, 2, "+")]) == "Ab+cdEf"
    with pytest.raises(ValueError, match="overlapping"):
        markup.edit("abcdef", [(0, 3, "x"), (2, 4, "y")])


# -- KaTeX's stylesheet --------------------------------------------------------------------------


def test_font_rules_read_the_stylesheet_as_a_browser_does() -> None:
    css = ("/* .commented{font-family:KaTeX_AMS} */"
           '@font-face{font-family:"KaTeX_Math";src:url(x.woff2)}'
           ".katex .mathbf{font-family:KaTeX_Main;font-weight:700}"
           '.katex .a, .katex .b .c{color:red;font-family:"KaTeX_Script"}'
           '.katex .quoted{content:"}{font-family:KaTeX_Fraktur}"}'
           "@media screen{.katex .inmedia{font-family:KaTeX_Size1}}"
           ".katex .x:not(.y){font-family:KaTeX_Size2}"
           ".katex .other{font-family:Times,KaTeX_Main}"
           ".katex{font:normal 1.21em KaTeX_Main,serif}")
    assert font_rules(css) == [
        (frozenset({"mathbf"}), "KaTeX_Main"),
        (frozenset({"a"}), "KaTeX_Script"), (frozenset({"b", "c"}), "KaTeX_Script"),
        (frozenset({"inmedia"}), "KaTeX_Size1"),
        (frozenset({"x"}), "KaTeX_Size2")]


def test_font_rules_of_the_installed_katex() -> None:
    css = (ROOT / "node_modules" / "katex" / "dist" / "katex.min.css").read_text()
    rules = dict((tuple(sorted(c)), f) for c, f in font_rules(css))
    assert rules[("mathnormal",)] == "KaTeX_Math" and rules[("mathbb",)] == "KaTeX_AMS"
    assert rules[("texttt",)] == "KaTeX_Typewriter" and len(rules) >= 30
    assert all(family.startswith("KaTeX_") for family in rules.values())


def test_a_stylesheet_the_parser_cannot_read_stops_the_build_naming_file_line_and_column(
        tmp_path: Path) -> None:
    dist = tmp_path / "katex" / "dist"
    dist.mkdir(parents=True)
    (tmp_path / "katex" / "package.json").write_text('{"version": "0"}')
    (dist / "katex.min.css").write_text(".katex .a{font-family:KaTeX_Main}\n.katex .b{}}")
    with pytest.raises(KatexError, match=r"katex/dist/katex\.min\.css: line 2, column 12: EOF "
                                          r"reached before \{\} block"):
        Typesetter(tmp_path / "katex", Kept(tmp_path / "katex.json"))


# -- accessible names: template overrides --------------------------------------------------------

OVERRIDES = ROOT / "overrides"
NAMED = {  # partial -> (the element's start tag, the name it gets)
    "partials/search.html": ('<div class="md-search" data-md-component="search" role="dialog"',
                             "Search"),
    "partials/progress.html": ('<div class="md-progress" data-md-component="progress" '
                               'role="progressbar"', "Loading the page"),
}


def test_the_site_uses_the_overrides_folder() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert config["theme"]["custom_dir"] == "overrides"
    assert sorted(p.relative_to(OVERRIDES).as_posix() for p in OVERRIDES.rglob("*.html")) == \
        sorted(NAMED)


@pytest.mark.parametrize("partial", sorted(NAMED))
def test_an_override_is_the_themes_partial_with_a_name_added(partial: str) -> None:
    """Each override is the installed theme's partial with one attribute added: a theme
    update that changes the partial fails here, naming it, instead of being hidden by an old
    copy."""
    tag, name = NAMED[partial]
    ours = (OVERRIDES / partial).read_text()
    theirs = (THEME / partial).read_text()
    named = f'{tag} aria-label="{html.escape(name)}"'
    assert ours.count(named) == 1, f"overrides/{partial}: {named!r} not found once"
    # The override's own comment says why it exists; the rest is the theme's partial.
    ours = re.sub(r"\{#-?.*?-?#\}\n?", "", ours, flags=re.S)
    theirs = re.sub(r"\{#-?.*?-?#\}\n?", "", theirs, flags=re.S)
    assert ours.replace(named, tag) == theirs, (
        f"overrides/{partial} is no longer the theme's {partial} with its name added: update "
        f"it from {THEME / partial}")


def test_the_built_site_names_the_search_dialog_and_progress_bar(built_site: BuiltSite) -> None:
    for page in [built_site.path / "index.html", built_site.path / "vjp" / "index.html",
                 built_site.path / "exercises" / "products" / "index.html"]:
        text = page.read_text()
        for tag, name in NAMED.values():
            assert text.count(f'{tag} aria-label="{name}">') == 1, page


def test_the_katex_assets_are_its_stylesheet_and_every_font(tmp_path: Path) -> None:
    katex = ROOT / "node_modules" / "katex"
    assets = list(Typesetter(katex, Kept(tmp_path / "katex.json")).assets())
    fonts = sorted((katex / "dist" / "fonts").iterdir())
    assert assets == [("katex.min.css", katex / "dist" / "katex.min.css"),
                      *[(f"fonts/{font.name}", font) for font in fonts]]
    assert len(fonts) > 20 and all(path.is_file() for _, path in assets)


def test_the_characters_of_every_formula_are_merged_per_font() -> None:
    uses = [{"KaTeX_Main": "ab", "KaTeX_Math": "x"}, {"KaTeX_Main": "bc"}, {}]
    assert merge(uses) == {"KaTeX_Main": {"a", "b", "c"}, "KaTeX_Math": {"x"}}


@pytest.mark.parametrize("page, edited", [
    ('<img src="a">', '<img src="a" alt="">'),
    ('<img src="a"/>', '<img src="a" alt=""/>'),
    ('<img src="a" />', '<img src="a"  alt=""/>'),
])
def test_an_attribute_is_added_inside_the_tag_before_its_end(page: str, edited: str) -> None:
    [tag] = markup.tokens(page)
    assert markup.edit(page, [markup.add_attribute(page, tag, 'alt=""')]) == edited
