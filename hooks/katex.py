"""MkDocs hook: typeset the site's math with KaTeX at build time.

pymdownx.arithmatex (generic mode) leaves each formula in a ``<span class="arithmatex">`` (inline)
or ``<div class="arithmatex">`` (display). This hook sends every formula of a page to one
long-running Node.js process running the ``katex`` npm package (pinned in package-lock.json) and
puts the HTML it returns, with MathML for screen readers, in the formula's place. No math
JavaScript reaches the reader; KaTeX's stylesheet and fonts are served from the site itself.
A formula KaTeX cannot render stops the build with the page and the formula named.

After the build, KaTeX's woff2 fonts are cut down to the characters the site's math really uses
(fontTools), which divides the bytes a reader downloads for the fonts by about three.
"""

from __future__ import annotations

import atexit
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

HERE = Path(__file__).resolve().parent
KATEX_DIST = HERE.parent / "node_modules" / "katex" / "dist"
ASSETS = "assets/katex"
STYLESHEET = f"{ASSETS}/katex.min.css"

_TAG = re.compile(r"<[^>]*>")
_ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
_DELIMITERS = {"span": (r"\(", r"\)"), "div": (r"\[", r"\]")}


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
        """Render ``(tex, display)`` pairs; each answer is ``{"html": ...}`` or ``{"error": ...}``."""
        if not formulas:
            return []
        requests = "".join(json.dumps({"tex": t, "display": d}) + "\n" for t, d in formulas)
        self.process.stdin.write(requests)
        self.process.stdin.flush()
        return [json.loads(self.process.stdout.readline()) for _ in formulas]

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=10)


def formulas_of(page_html: str) -> list[tuple[re.Match, str, bool]]:
    """Each arithmatex element of a page with its LaTeX source and whether it is display math."""
    found = []
    for match in _ARITHMATEX.finditer(page_html):
        tag, body = match.group(1), html.unescape(match.group(2)).strip()
        opening, closing = _DELIMITERS[tag]
        if body.startswith(opening) and body.endswith(closing):
            body = body[len(opening):-len(closing)]
        found.append((match, body.strip(), tag == "div"))
    return found


def typeset(page_html: str, renderer: KatexRenderer, where: str, used: set[str]) -> str:
    """Replace every formula of ``page_html`` with KaTeX's HTML; fail on the first bad one.

    The characters of the rendered formulas are added to ``used``.
    """
    found = formulas_of(page_html)
    answers = renderer.render([(tex, display) for _, tex, display in found])
    pieces, last = [], 0
    for (match, tex, display), answer in zip(found, answers, strict=True):
        if "error" in answer:
            raise PluginError(f"{where}: KaTeX cannot render the formula {tex!r}: {answer['error']}")
        rendered = answer["html"]
        used.update(html.unescape(_TAG.sub("", rendered)))
        if display:
            rendered = f'<div class="katex-block">{rendered}</div>'
        pieces += [page_html[last:match.start()], rendered]
        last = match.end()
    pieces.append(page_html[last:])
    return "".join(pieces)


def subset_fonts(fonts_dir: Path, used: set[str]) -> None:
    """Keep in each woff2 font only the glyphs of the characters in ``used``."""
    unicodes = sorted({ord(c) for c in used} | {0x20, 0xA0})
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = []
    options.notdef_outline = False
    for path in sorted(fonts_dir.glob("*.woff2")):
        font = TTFont(path)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        font.flavor = "woff2"
        font.save(path)


_renderer: KatexRenderer | None = None
_used: set[str] = set()


def on_pre_build(config):
    _used.clear()


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
    global _renderer
    if _renderer is None:
        _renderer = KatexRenderer()
    return typeset(page_html, _renderer, f"docs/{page.file.src_uri}", _used)


def on_post_build(config):
    subset_fonts(Path(config.site_dir) / ASSETS / "fonts", _used)
