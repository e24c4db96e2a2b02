"""MkDocs hook: typeset the site's math with KaTeX at build time.

pymdownx.arithmatex (generic mode) leaves each formula in a ``<span class="arithmatex">`` (inline)
or ``<div class="arithmatex">`` (display); in notebook pages rendered by mkdocs-jupyter, formulas
are left as ``$...$`` and ``$$...$$`` in the Markdown cells. This hook sends every formula of a page to one
long-running Node.js process running the ``katex`` npm package (pinned in package-lock.json) and
puts the HTML it returns, with MathML for screen readers, in the formula's place. No math
JavaScript reaches the reader; KaTeX's stylesheet and fonts are served from the site itself.
A formula KaTeX cannot render stops the build with the page and the formula named.

After the build, each of KaTeX's woff2 fonts is cut down to the characters the site's math may
draw with it (fontTools), which divides the bytes a reader downloads for the fonts by about
four. The browser tests check that every glyph of the math is still drawn by a KaTeX font.
"""

from __future__ import annotations

import atexit
import hashlib
import html
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from fontTools import subset
from fontTools import version as fontTools_version
from fontTools.ttLib import TTFont
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

HERE = Path(__file__).resolve().parent
KATEX_DIST = HERE.parent / "node_modules" / "katex" / "dist"
ASSETS = "assets/katex"
STYLESHEET = f"{ASSETS}/katex.min.css"

# Kept whatever the math uses: spaces in every font, and in KaTeX_Main what KaTeX's CSS draws
# itself (equation numbers: digits and parentheses).
ALWAYS_KEPT = {0x20, 0xA0}
ALWAYS_KEPT_MAIN = ALWAYS_KEPT | set(map(ord, "0123456789()"))
_ARITHMATEX = re.compile(r'<(span|div) class="arithmatex"(?: data-search-exclude)?>(.*?)</\1>', re.S)
# KaTeX's MathML carries a copy of the TeX source, which screen readers do not read.
_TEX_ANNOTATION = re.compile(r'<annotation encoding="application/x-tex">.*?</annotation>', re.S)
_DELIMITERS = {"span": (r"\(", r"\)"), "div": (r"\[", r"\]")}
_MARKDOWN_CELL = re.compile(r'<div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>(.*?)</div>', re.S)
_CODE = re.compile(r"<(code|pre)\b.*?</\1>", re.S)
_DOLLARS = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$([^$]+?)\$", re.S)

# A formula found in a page: where it starts and ends, its LaTeX, whether it is display math,
# and whether its KaTeX HTML needs a block wrapper (it replaces a <div>).
Formula = tuple[int, int, str, bool, bool]


class KatexRenderer:
    """A Node.js process that renders formulas, one JSON line in, one JSON line out."""

    def __init__(self):
        if not (KATEX_DIST / "katex.min.css").is_file():
            raise PluginError(f"KaTeX is not installed in {KATEX_DIST.parent}: run `npm ci`")
        node = shutil.which("node")
        if node is None:
            raise PluginError("Node.js (`node`) is needed to render the math with KaTeX")
        self.process = subprocess.Popen(
            [node, str(HERE / "katex_render.cjs")], cwd=HERE.parent, text=True, encoding="utf-8",
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        atexit.register(self.close)

    def render(self, formulas: list[tuple[str, bool]]) -> list[dict]:
        """Render ``(tex, display)`` pairs; each answer is ``{"html": ...}`` or ``{"error": ...}``.

        One request at a time: with many in flight, both pipes could fill up and block.
        """
        answers = []
        for tex, display in formulas:
            self.process.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
            self.process.stdin.flush()
            answers.append(json.loads(self.process.stdout.readline()))
        return answers

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=10)


def arithmatex_formulas(page_html: str) -> list[Formula]:
    """The formulas pymdownx.arithmatex marked in a page rendered from Markdown."""
    found = []
    for match in _ARITHMATEX.finditer(page_html):
        tag, body = match.group(1), html.unescape(match.group(2)).strip()
        opening, closing = _DELIMITERS[tag]
        if body.startswith(opening) and body.endswith(closing):
            body = body[len(opening):-len(closing)]
        found.append((match.start(), match.end(), body.strip(), tag == "div", tag == "div"))
    return found


def notebook_formulas(page_html: str) -> list[Formula]:
    """The ``$...$`` and ``$$...$$`` formulas of the Markdown cells of a notebook page."""
    found = []
    for cell in _MARKDOWN_CELL.finditer(page_html):
        text, offset = cell.group(1), cell.start(1)
        code = [m.span() for m in _CODE.finditer(text)]
        for match in _DOLLARS.finditer(text):
            if any(a <= match.start() < b for a, b in code):
                continue
            display = match.group(1) is not None
            tex = html.unescape(match.group(1) if display else match.group(2)).strip()
            found.append((offset + match.start(), offset + match.end(), tex, display, False))
    return found


_FONT_RULE = re.compile(r"([^{}]+)\{[^{}]*font-family:(KaTeX_[\w]+)[^{}]*\}")
DEFAULT_FAMILY = "KaTeX_Main"


def font_rules(css: str) -> list[tuple[frozenset[str], str]]:
    """(classes, font family) for each rule of KaTeX's stylesheet that sets a family."""
    rules = []
    for selectors, family in _FONT_RULE.findall(css):
        for selector in selectors.split(","):
            classes = frozenset(re.findall(r"\.([\w-]+)", selector)) - {"katex"}
            if classes and "@font-face" not in selector:
                rules.append((classes, family))
    return rules


class FontUse(HTMLParser):
    """Which characters each KaTeX font family may have to draw.

    A character is drawn in the family that the nearest element setting one gives it (a rule
    of KaTeX's stylesheet whose classes are all on that element), KaTeX_Main if none does; a
    rule whose classes span several elements counts wherever they are all present. Text of the
    MathML copy (for screen readers, never shown) does not count.
    """

    def __init__(self, rules: list[tuple[frozenset[str], str]]):
        super().__init__(convert_charrefs=True)
        self.rules = rules
        self.stack: list[set[str]] = []
        self.chars: dict[str, set[str]] = {DEFAULT_FAMILY: set()}

    def handle_starttag(self, tag, attrs):
        if tag not in _VOID:
            self.stack.append(set((dict(attrs).get("class") or "").split()))

    def handle_endtag(self, tag):
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not data or any("katex-mathml" in classes for classes in self.stack):
            return
        families = {DEFAULT_FAMILY}
        for classes in reversed(self.stack):
            on_element = {family for needed, family in self.rules if needed <= classes}
            if on_element:
                families = on_element
                break
        everywhere = set().union(*self.stack)
        for needed, family in self.rules:
            if needed <= everywhere and not any(needed <= classes for classes in self.stack):
                families.add(family)
        for family in families:
            self.chars.setdefault(family, set()).update(data)


_VOID = {"br", "img", "hr", "input", "meta", "link", "wbr"}


def typeset(page_html: str, renderer: KatexRenderer, where: str, used: FontUse,
            formulas: list[Formula]) -> str:
    """Replace each of ``formulas`` in ``page_html`` with KaTeX's HTML; fail on the first bad one.

    The rendered formulas are fed to ``used``, which tracks the characters each font draws.
    """
    answers = renderer.render([(tex, display) for _, _, tex, display, _ in formulas])
    pieces, last = [], 0
    for (start, end, tex, _, block), answer in zip(formulas, answers, strict=True):
        if "error" in answer:
            raise PluginError(f"{where}: KaTeX cannot render the formula {tex!r}: {answer['error']}")
        rendered = _TEX_ANNOTATION.sub("", answer["html"])
        used.feed(rendered)
        if block:
            rendered = f'<div class="katex-block">{rendered}</div>'
        pieces += [page_html[last:start], rendered]
        last = end
    pieces.append(page_html[last:])
    return "".join(pieces)


def subset_fonts(fonts_dir: Path, chars: dict[str, set[str]], cache: Path | None = None) -> None:
    """Keep in each woff2 font only the glyphs of the characters its family may draw.

    ``chars`` maps a family (``KaTeX_Math``) to its characters; a font file
    ``KaTeX_Math-Italic.woff2`` belongs to family ``KaTeX_Math``. With ``cache``, the cut fonts
    are kept there under a key made of the characters and the KaTeX and fontTools versions, and
    reused by the next build that needs the same ones.
    """
    unicodes = {family: sorted({ord(c) for c in text}
                               | (ALWAYS_KEPT_MAIN if family == DEFAULT_FAMILY else ALWAYS_KEPT))
                for family, text in chars.items()}
    if cache is not None:
        versions = (KATEX_DIST.parent / "package.json").read_text(encoding="utf-8") + fontTools_version
        key = hashlib.sha256(f"{sorted(unicodes.items())}{versions}".encode()).hexdigest()[:16]
        cached = cache / key
        if cached.is_dir():
            for path in cached.glob("*.woff2"):
                shutil.copyfile(path, fonts_dir / path.name)
            return
        subset_fonts(fonts_dir, chars)
        cached.mkdir(parents=True, exist_ok=True)
        for path in fonts_dir.glob("*.woff2"):
            shutil.copyfile(path, cached / path.name)
        return
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = []
    options.notdef_outline = False
    for path in sorted(fonts_dir.glob("*.woff2")):
        font = TTFont(path)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes.get(path.name.split("-")[0], sorted(ALWAYS_KEPT)))
        subsetter.subset(font)
        font.flavor = "woff2"
        font.save(path)


_renderer: KatexRenderer | None = None
_used: FontUse | None = None


def on_pre_build(config):
    global _used
    _used = FontUse(font_rules((KATEX_DIST / "katex.min.css").read_text(encoding="utf-8")))


def on_config(config):
    if STYLESHEET not in config.extra_css:
        config.extra_css.insert(0, STYLESHEET)
    return config


def on_files(files, config):
    """Serve KaTeX's stylesheet and fonts from the site."""
    for source in [KATEX_DIST / "katex.min.css", *sorted((KATEX_DIST / "fonts").iterdir())]:
        uri = f"{ASSETS}/{source.relative_to(KATEX_DIST).as_posix()}"
        files.append(File.generated(config, uri, abs_src_path=str(source)))
    return files


def on_page_content(page_html, page, config, files):
    """Keep formulas out of the search index: their LaTeX source is no text to search for."""
    return re.sub(r'<(span|div) class="arithmatex">', r'<\1 class="arithmatex" data-search-exclude>',
                  page_html)


def on_post_page(output, page, config):
    """Typeset the finished page (for notebook pages, the only place their formulas are
    complete), after the search plugin has skipped the formulas marked above."""
    global _renderer
    if _renderer is None:
        _renderer = KatexRenderer()
    if page.file.src_uri.endswith(".ipynb"):
        formulas = notebook_formulas(output)
    else:
        formulas = arithmatex_formulas(output)
    return typeset(output, _renderer, f"docs/{page.file.src_uri}", _used, formulas)


def on_post_build(config):
    cache = Path(config.config_file_path).parent / ".cache" / "katex-fonts"
    subset_fonts(Path(config.site_dir) / ASSETS / "fonts", _used.chars, cache)
