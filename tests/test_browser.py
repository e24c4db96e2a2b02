"""Every page in a real browser (headless Chromium), as a reader sees it.

Each page is opened in the light palette, looked at again at a phone's width, then switched to
the dark palette with the toggle in the header. The visit fails on a console error, a failed
request, a request to any host but the local server, math left untypeset or drawn in a font
other than KaTeX's (checked in the light palette: the fonts are the same in both), an element
spilling past the column (or, on a phone, past the screen), a code line wider than its block,
a figure without alt text or in the wrong palette, a copy button on an output block, or a
serious accessibility violation (axe-core: every rule in the light palette, the rules on
colours in the dark one); at a phone's width, in both palettes, a wide display formula without
a cue that it scrolls, figure text smaller than the theme's small text, or an arrow of a figure
over its text. It saves screenshots of the three views in artifacts/screenshots/.
Without Chromium these tests skip, unless CI is set.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypedDict
from urllib.parse import urlsplit

import pytest
from mkdocs.utils.yaml import yaml_load

from tests.conftest import BuiltSite

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        FloatRect,
        Page,
        Request,
        Response,
        Route,
        ViewportSize,
    )

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PALETTES = {"light": ("light", "default"), "dark": ("dark", "slate")}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
# The axe-core rules whose outcome depends on the colours: the dark visit runs only these, the
# light one every rule (the structure of a page is the same in both palettes).
AXE_PALETTE_RULES = ["color-contrast", "link-in-text-block"]
# axe-core reads the whole page but KaTeX's drawing of the formulas: it is hidden from screen
# readers (they read the MathML beside it) and takes the colour of the text around it; its
# thousands of boxes add a quarter to the time of every run.
AXE_CONTEXT = "{exclude: [['.katex-html']]}"


class _Screenshot(TypedDict):
    """The settings of Page.screenshot that the views are saved with."""

    full_page: bool
    type: Literal["jpeg", "png"]
    quality: int


# Full-page screenshots; JPEG takes the browser half the time of PNG.
SCREENSHOT: _Screenshot = {"full_page": True, "type": "jpeg", "quality": 85}

# What raw, untypeset math looks like in the text of a page.
RAW_MATH = ["\\(", "\\)", "\\[", "\\]", "$$", "\\begin{", "\\frac", "\\top"]


# An mkdocs.yml nav: pages ("x.md", {"Title": "x.md"}) and sections ({"Title": [...]}).
Nav = list[str | dict[str, "str | Nav"]]


def _nav_paths(nav: Nav) -> list[str]:
    """The URL path of every page in an mkdocs.yml nav: "x.md" is "x/", "index.md" is ""."""
    found: list[str] = []
    for entry in nav:
        target = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(target, list):
            found += _nav_paths(target)
        elif not target.startswith(("http://", "https://")):
            stem = target.rsplit(".", 1)[0]
            found.append("" if stem == "index" else f"{stem.removesuffix('/index')}/")
    return found


def _pages() -> list[str]:
    # Collected before the site is built, so the pages come from the nav of mkdocs.yml.
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        return _nav_paths(yaml_load(f)["nav"])


# Elements of the article that reach past its right edge without being inside something that
# scrolls sideways (a code block, a table, a wide formula): they spill into the margin.
_OVERFLOW = """(viewport) => {
  const article = document.querySelector('article.md-content__inner');
  // On a phone the theme lets code blocks and tables reach the screen's edges on purpose.
  const limit = (viewport ? window.innerWidth : article.getBoundingClientRect().right) + 1;
  const found = new Set();
  for (const e of article.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= limit) continue;
    // Material widens its table wrapper into the column's padding on purpose; it scrolls.
    if (e.classList.contains('md-typeset__scrollwrap')) continue;
    // Inline code that wraps keeps its padding on each line (box-decoration-break: clone);
    // that padding may touch the margin, the text itself may not.
    const style = getComputedStyle(e);
    if (e.tagName === 'CODE' && style.display === 'inline' &&
        r.right - limit <= parseFloat(style.paddingRight)) continue;
    let p = e.parentElement, contained = false;
    while (p && p !== article) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) {
        contained = true; break;
      }
      p = p.parentElement;
    }
    if (!contained) {
      found.add(`${e.tagName.toLowerCase()}.${[...e.classList].join('.')} by ` +
                `${Math.round(r.right - limit)} px: ${(e.textContent || '').trim().slice(0, 60)}`);
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) {
    found.add(`the page scrolls sideways (${document.documentElement.scrollWidth} px wide)`);
  }
  return [...found].slice(0, 5);
}"""

# Code blocks whose longest line is wider than the block: the reader has to scroll to read it.
_WIDE_CODE = """() => [...document.querySelectorAll(
    '.language-python pre > code, .highlight-ipynb pre')]
  .filter(c => c.scrollWidth > c.clientWidth + 1)
  .map(c => {
    const line = c.innerText.split('\\n').reduce((a, b) => a.length >= b.length ? a : b, '');
    return `${line.length} characters: ${line.slice(0, 90)}`;
  })"""

# The figures: their text for screen readers, and which of the two variants shows and loads.
_FIGURES = """async () => {
  const images = [...document.querySelectorAll('img.figure')];
  for (const i of images) { i.loading = 'eager'; }
  await Promise.all(images.map(i => i.decode().catch(() => null)));
  return images.map(i => ({src: i.getAttribute('src'), alt: i.alt,
                           shown: i.checkVisibility(), loaded: i.naturalWidth > 0}));
}"""

# Marks the elements of typeset math that hold text themselves (the glyphs on screen): one
# element for each set of characters in each font the stylesheet asks for, as the same
# characters in the same font are drawn the same way wherever they are.
_MARK_GLYPHS = """() => {
  const seen = new Set();
  for (const e of document.querySelectorAll('.katex-html *')) {
    const text = [...e.childNodes].filter(c => c.nodeType === 3).map(c => c.textContent).join('');
    if (!text.trim()) continue;
    const s = getComputedStyle(e);
    const key = [s.fontFamily, s.fontWeight, s.fontStyle, [...new Set(text)].sort().join('')].join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    e.setAttribute('data-glyphs', '');
  }
  return seen.size;
}"""


def _glyphs_not_drawn_by_katex_fonts(context: BrowserContext, page: Page) -> list[str]:
    """Every glyph of typeset math must come from a KaTeX font: a character missing from the
    site's cut-down fonts would be drawn by some other font the machine has."""
    if not page.evaluate(_MARK_GLYPHS):
        return []
    cdp = context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-glyphs]"})
    problems: set[str] = set()
    for node in nodes["nodeIds"]:
        for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            if not font["familyName"].startswith("KaTeX_"):
                html = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
                problems.add(f"math drawn with {font['familyName']}, not a KaTeX font: {html}")
    cdp.detach()
    return sorted(problems)


class _Watch:
    """What a page reports while it is open (console errors, script errors, failed requests,
    requests to any host but the local server, which are refused), and the requests it has
    under way."""

    def __init__(self, page: Page, host: str):
        self.page = page
        self.problems: list[str] = []
        self.pending: set[Request] = set()
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("request", lambda r: self.pending.add(r))
        page.on("requestfinished", lambda r: self.pending.discard(r))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

        def only_local(route: Route) -> None:
            url = urlsplit(route.request.url)
            if url.scheme in ("http", "https") and url.netloc != host:
                self.problems.append(f"request off the local host: {route.request.url}")
                route.abort()
            else:
                route.continue_()

        page.route("**/*", only_local)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def _failed(self, request: Request) -> None:
        self.pending.discard(request)
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def open(self, url: str) -> None:
        """Load the page: its load event, then its fonts and every request it made."""
        self.page.goto(url, wait_until="load")
        self.settle()

    def settle(self, limit: float = 30) -> None:
        """Wait until the page's fonts are loaded and no request of the page is under way, so
        that each has been answered and checked (rather than waiting, as Playwright's
        "networkidle" does, for half a second without any)."""
        self.page.evaluate("document.fonts.ready.then(() => null)")
        deadline = time.monotonic() + limit
        while self.pending:
            if time.monotonic() > deadline:
                self.problems.append(f"requests unanswered after {limit} s: "
                                     f"{sorted(r.url for r in self.pending)}")
                return
            self.page.wait_for_timeout(20)


def _scheme(page: Page) -> str:
    scheme: str = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    return scheme


# At a phone's width: every display formula wider than the column shows that it scrolls (a
# shadow at the edge where more is hidden); every figure's text is at least as large as the
# theme's small text (0.64rem: tables, admonitions, the line under the title); no arrow of a
# figure (drawn with a gid that starts with "arrow") crosses or touches its text. Figures are
# read from their SVG: matplotlib writes each text as a group whose scale is its size / 100.
_PHONE_CHECKS = r"""async () => {
  const problems = [];
  const probe = document.createElement('span');
  probe.style.fontSize = '0.64rem';
  document.body.appendChild(probe);
  const small = parseFloat(getComputedStyle(probe).fontSize);
  probe.remove();
  for (const img of document.querySelectorAll('img.figure')) {
    if (!img.checkVisibility()) continue;
    const source = await (await fetch(img.src.split('#')[0])).text();
    const svg = new DOMParser().parseFromString(source, 'image/svg+xml').documentElement;
    const holder = document.createElement('div');
    holder.style.cssText = 'position:absolute;left:-30000px;top:0';
    holder.appendChild(document.importNode(svg, true));
    document.body.appendChild(holder);
    const live = holder.querySelector('svg');
    const scale = img.getBoundingClientRect().width / parseFloat(svg.getAttribute('width'));
    const name = img.getAttribute('src').split('/').pop();
    const texts = [];
    for (const group of live.querySelectorAll('g[id^="text_"]')) {
      const note = [...group.childNodes].find(n => n.nodeType === 8);
      const label = note ? note.textContent.trim() : group.id;
      const inner = group.querySelector('g[transform*="scale"]');
      const size = inner ? parseFloat(/scale\(([-\d.e]+)/.exec(inner.getAttribute('transform'))[1]) * 100 : 0;
      if (size * scale < small - 0.05) {
        problems.push(`${name}: "${label}" is ${(size * scale).toFixed(1)} px, under the page's ` +
                      `small text (${small} px)`);
      }
      texts.push([label, group.getBoundingClientRect()]);
    }
    for (const path of live.querySelectorAll('[id^="arrow"] path')) {
      const length = path.getTotalLength(), ctm = path.getScreenCTM();
      // the stroke's half width, on the screen: a line touches a text where its edge does
      const half = parseFloat(getComputedStyle(path).strokeWidth || '1') * Math.hypot(ctm.a, ctm.b) / 2;
      for (let t = 0; t <= length; t += 0.5) {
        const p = new DOMPoint(path.getPointAtLength(t).x, path.getPointAtLength(t).y).matrixTransform(ctm);
        const hit = texts.find(([, r]) => p.x >= r.left - half && p.x <= r.right + half &&
                                          p.y >= r.top - half && p.y <= r.bottom + half);
        if (hit) { problems.push(`${name}: an arrow touches the text "${hit[0]}"`); break; }
      }
    }
    holder.remove();
  }
  return [...new Set(problems)];
}"""


def _scroll_cue(page: Page) -> list[str]:
    """A display formula wider than the screen shows a shadow at its right edge while there is
    more to its right, and none once scrolled to its end: drawn, not just styled. (The
    formula's own glyphs are hidden while its edge is looked at.)"""
    wide = page.locator(".katex-block").evaluate_all(
        "blocks => blocks.map((b, i) => b.scrollWidth > b.clientWidth + 1 ? i : -1)"
        ".filter(i => i >= 0)")
    if not wide:
        return []
    block = page.locator(".katex-block").nth(wide[0])
    block.scroll_into_view_if_needed()
    block.evaluate("b => { b.firstElementChild.style.visibility = 'hidden'; b.scrollLeft = 0; }")
    box = block.bounding_box()
    assert box is not None, "a display formula scrolled into view has a box"
    edge: FloatRect = {"x": box["x"] + box["width"] - 10, "y": box["y"], "width": 10, "height": box["height"]}
    more = page.screenshot(clip=edge)
    block.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    end = page.screenshot(clip=edge)
    block.evaluate("b => { b.firstElementChild.style.visibility = ''; b.scrollLeft = 0; }")
    if more == end:
        return [f"a display formula wider than the screen shows no cue that it scrolls: "
                f"{(block.text_content() or '')[:50]}"]
    return []


def _check_figures(page: Page, palette: str) -> list[str]:
    problems = []
    for figure in page.evaluate(_FIGURES):
        if len(figure["alt"].strip()) < 20:
            problems.append(f"figure without a real alt text: {figure['src']}")
        if figure["shown"] != figure["src"].endswith(f"#only-{palette}"):
            problems.append(f"figure shown in the wrong palette: {figure['src']}")
        if figure["shown"] and not figure["loaded"]:
            problems.append(f"figure not loaded: {figure['src']}")
    return problems


def _check_accessibility(page: Page, rules: list[str]) -> list[str]:
    """Serious and critical axe-core violations (of ``rules``, or of every rule if empty)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(f"rules => axe.run({AXE_CONTEXT}, {{resultTypes: ['violations'], "
                           "...(rules.length ? {runOnly: rules} : {})})", rules)
    return [f"axe {v['impact']}: {v['id']}: {v['help']} at "
            f"{json.dumps([n['target'] for n in v['nodes'][:3]])}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _check_layout(page: Page) -> list[str]:
    """The math typeset, nothing spilling past the column, code that fits its blocks, copy
    buttons on code only. (A palette may bring rules of its own: run in each.)"""
    problems = []
    text = page.evaluate("document.body.innerText")
    for raw in RAW_MATH:
        if raw in text:
            at = text.index(raw)
            problems.append(f"untypeset math {raw!r}: ...{text[max(0, at - 40):at + 40]!r}...")
    if page.locator(".katex-error").count():
        problems.append("KaTeX error element on the page")
    untypeset = page.evaluate(
        "[...document.querySelectorAll('.arithmatex')].filter(e => !e.querySelector('.katex'))"
        ".length")
    if untypeset:
        problems.append(f"{untypeset} arithmatex element(s) without KaTeX output")
    problems += [f"spills past the column: {o}" for o in page.evaluate(_OVERFLOW, False)]
    problems += [f"code line wider than its block, {w}" for w in page.evaluate(_WIDE_CODE)]
    copy_on_output = page.locator(".language-output .md-code__button").evaluate_all(
        "buttons => buttons.filter(b => b.checkVisibility()).length")
    if copy_on_output:
        problems.append(f"{copy_on_output} output block(s) show a copy button")
    code_blocks = page.locator(".language-python").count()
    copy_on_code = page.locator(".language-python .md-code__button").count()
    if copy_on_code != code_blocks:
        problems.append(f"{code_blocks} code blocks but {copy_on_code} copy buttons")
    return problems


def _switch_palette(page: Page, to: str) -> None:
    """Switch the palette as a reader does, with the toggle in the header."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.get_by_title(f"Switch to {to} mode").click()
    try:
        page.wait_for_function(
            "s => document.body.getAttribute('data-md-color-scheme') === s && "
            "!document.body.hasAttribute('data-md-color-switching')", arg=PALETTES[to][1],
            timeout=10_000)
    except PlaywrightTimeout:
        state = page.evaluate("""() => ({
            scheme: document.body.getAttribute('data-md-color-scheme'),
            switching: document.body.hasAttribute('data-md-color-switching'),
            checked: document.querySelector('input[name=__palette]:checked')?.id,
            toggles: [...document.querySelectorAll('label[for^=__palette]')].map(l =>
                `${l.title}${l.hidden ? ' (hidden)' : ''}`)})""")
        raise AssertionError(f"{page.url}: the toggle was clicked, but the {to} palette did not "
                             f"take over within 10 s: {state}") from None


@pytest.mark.parametrize("path", _pages(), ids=lambda p: p.rstrip("/") or "home")
def test_page_in_browser(browser: Browser, site_server: str, path: str) -> None:
    """A reader who prefers the light palette opens the page, narrows the window to a phone's
    width and widens it again, then switches to the dark palette with the toggle. Each view
    gets the checks of the module's docstring that apply to it (the glyph check and every
    axe rule in the light one, the colour rules of axe in the dark one)."""
    context = browser.new_context(color_scheme="light", viewport=DESKTOP)
    page = context.new_page()
    watch = _Watch(page, urlsplit(site_server).netloc)
    problems = watch.problems
    shots = []
    name = path.rstrip("/").replace("/", "-") or "home"
    try:
        watch.open(site_server + path)
        assert _scheme(page) == PALETTES["light"][1]
        problems += _check_layout(page)
        # The fonts and the characters they draw are the same in both palettes.
        problems += _glyphs_not_drawn_by_katex_fonts(context, page)
        problems += _check_figures(page, "light")
        shots.append(page.screenshot(path=str(SCREENSHOTS / f"{name}-light.jpg"), **SCREENSHOT))
        problems += _check_accessibility(page, [])

        # The layout follows the width, as on a phone: wide formulas, code and tables scroll
        # inside their own boxes.
        page.set_viewport_size(PHONE)
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        problems += [f"at {PHONE['width']} px, spills past the screen: {o}"
                     for o in page.evaluate(_OVERFLOW, True)]
        problems += [f"at {PHONE['width']} px: {p}" for p in page.evaluate(_PHONE_CHECKS)]
        problems += [f"at {PHONE['width']} px: {p}" for p in _scroll_cue(page)]
        page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.jpg"), **SCREENSHOT)
        page.set_viewport_size(DESKTOP)

        _switch_palette(page, "dark")
        dark = _check_layout(page) + _check_figures(page, "dark")
        page.set_viewport_size(PHONE)
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        dark += [f"at {PHONE['width']} px: {p}" for p in page.evaluate(_PHONE_CHECKS)]
        page.set_viewport_size(DESKTOP)
        shots.append(page.screenshot(path=str(SCREENSHOTS / f"{name}-dark.jpg"), **SCREENSHOT))
        dark += _check_accessibility(page, AXE_PALETTE_RULES)
        problems += [f"(dark) {p}" for p in dark]
        watch.settle()
    finally:
        context.close()
    assert not problems, f"{path or 'home'}:\n" + "\n".join(problems)
    assert shots[0] != shots[1], "the page looks the same in both palettes"


def test_a_reader_who_prefers_dark_gets_the_dark_palette(browser: Browser, site_server: str) -> None:
    """On a first visit the palette follows the reader's system setting, figures included;
    the choice made with the toggle is kept on the next page."""
    context = browser.new_context(color_scheme="dark", viewport=DESKTOP)
    page = context.new_page()
    watch = _Watch(page, urlsplit(site_server).netloc)
    problems = watch.problems
    try:
        watch.open(site_server + "derivatives/")  # a short page with figures
        scheme = _scheme(page)
        figures = page.locator("img.figure").count()
        problems += _check_figures(page, "dark")
        _switch_palette(page, "light")
        watch.open(site_server + "in-practice/")
        kept = _scheme(page)
    finally:
        context.close()
    assert figures > 0
    assert scheme == PALETTES["dark"][1]
    assert kept == PALETTES["light"][1]
    assert not problems, problems


def test_the_layout_checks_catch_what_they_look_for(browser: Browser, site_server: str) -> None:
    """The checks above can fail: a paragraph made too wide (on a desktop and on a phone), and
    a code line made too long."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_server + "vjp/", wait_until="networkidle")
    page.evaluate("document.querySelector('article p').style.width = '2000px'")
    page.evaluate("""() => { const c = document.querySelector('.language-python pre > code');
                             c.textContent += '\\n' + 'x'.repeat(120); }""")
    overflow, wide = page.evaluate(_OVERFLOW, False), page.evaluate(_WIDE_CODE)
    page.set_viewport_size(PHONE)
    page.evaluate("document.querySelector('article p').style.width = '600px'")
    on_a_phone = page.evaluate(_OVERFLOW, True)
    context.close()
    assert any(o.startswith("p.") for o in overflow)
    assert any(w.startswith("120 characters") for w in wide)
    assert any(o.startswith("p.") for o in on_a_phone), on_a_phone


def test_a_glyph_missing_from_the_fonts_is_caught(browser: Browser, built_site: BuiltSite, site_server: str,
                                                  tmp_path: Path) -> None:
    """The check above can fail: cut "x" out of the fonts and it names the fallback font."""
    from sitebuild.cache import Entries
    from sitebuild.fonts import subset_fonts

    fonts = tmp_path / "fonts"
    shutil.copytree(built_site.path / "assets" / "katex" / "fonts", fonts)
    no_x = set("abcdefghijklmnopqrstuvwyz0123456789")
    subset_fonts(fonts, {"KaTeX_Main": no_x, "KaTeX_Math": no_x}, Entries(tmp_path / "cache"),
                 katex="0")
    context = browser.new_context()
    page = context.new_page()
    page.route("**/assets/katex/fonts/*.woff2", lambda route: route.fulfill(
        path=str(fonts / urlsplit(route.request.url).path.rsplit("/", 1)[1])))
    page.goto(site_server + "derivatives/", wait_until="networkidle")
    problems = _glyphs_not_drawn_by_katex_fonts(context, page)
    context.close()
    assert problems and all("not a KaTeX font" in p for p in problems)
    assert any(">x<" in p for p in problems)
