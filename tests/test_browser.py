"""Every page in a real browser (headless Chromium), in the light and the dark palette.

Each visit fails on a console error, a failed request, a request to any host but the local
server, math left untypeset, or a serious accessibility violation (axe-core); it saves a
screenshot in artifacts/screenshots/. Without Chromium these tests skip, unless CI is set.
"""

import json
import os
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from mkdocs.utils.yaml import yaml_load

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PALETTES = {"light": ("light", "default"), "dark": ("dark", "slate")}
# Flags for a headless browser on a machine with no network but the loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# What raw, untypeset math looks like in the text of a page.
RAW_MATH = ["\\(", "\\)", "\\[", "\\]", "$$", "\\begin{", "\\frac", "\\top"]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but Chromium is not installed at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}: install the Debian package `chromium` "
                    "to run the browser tests (CI installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _nav_paths(nav) -> list[str]:
    """The URL path of every page in an mkdocs.yml nav: "x.md" is "x/", "index.md" is ""."""
    found = []
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


# Marks the elements of typeset math that hold text themselves (the glyphs on screen).
_MARK_GLYPHS = """() => {
  let n = 0;
  for (const e of document.querySelectorAll('.katex-html *')) {
    if ([...e.childNodes].some(c => c.nodeType === 3 && c.textContent.trim())) {
      e.setAttribute('data-glyphs', ''); n++;
    }
  }
  return n;
}"""


def _glyphs_not_drawn_by_katex_fonts(context, page) -> list[str]:
    """Every glyph of typeset math must come from a KaTeX font: a character missing from the
    site's cut-down fonts would be drawn by some other font the machine has."""
    if not page.evaluate(_MARK_GLYPHS):
        return []
    cdp = context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-glyphs]"})
    problems = set()
    for node in nodes["nodeIds"]:
        for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            if not font["familyName"].startswith("KaTeX_"):
                html = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
                problems.add(f"math drawn with {font['familyName']}, not a KaTeX font: {html}")
    cdp.detach()
    return sorted(problems)


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("path", _pages(), ids=lambda p: p.rstrip("/") or "home")
def test_page_in_browser(browser, site_server, path, palette):
    scheme, material_scheme = PALETTES[palette]
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    host = urlsplit(site_server).netloc
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))

    def only_local(route):
        url = urlsplit(route.request.url)
        if url.scheme in ("http", "https") and url.netloc != host:
            problems.append(f"request off the local host: {route.request.url}")
            return route.abort()
        return route.continue_()

    page.route("**/*", only_local)
    try:
        page.goto(site_server + path, wait_until="networkidle")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == material_scheme

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

        if palette == "light":
            problems += _glyphs_not_drawn_by_katex_fonts(context, page)

        copy_on_output = page.locator(".language-output .md-code__button").evaluate_all(
            "buttons => buttons.filter(b => b.checkVisibility()).length")
        if copy_on_output:
            problems.append(f"{copy_on_output} output block(s) show a copy button")
        code_blocks = page.locator(".language-python").count()
        copy_on_code = page.locator(".language-python .md-code__button").count()
        if copy_on_code != code_blocks:
            problems.append(f"{code_blocks} code blocks but {copy_on_code} copy buttons")

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = (path.rstrip("/").replace("/", "-") or "home") + f"-{palette}.png"
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)

        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                nodes = [n["target"] for n in violation["nodes"][:3]]
                problems.append(f"axe {violation['impact']}: {violation['id']}: "
                                f"{violation['help']} at {json.dumps(nodes)}")
    finally:
        context.close()
    assert not problems, f"{path or 'home'} ({palette}):\n" + "\n".join(problems)



def test_a_glyph_missing_from_the_fonts_is_caught(browser, built_site, site_server, tmp_path):
    """The check above can fail: cut "x" out of the fonts and it names the fallback font."""
    sys.path.insert(0, str(ROOT / "hooks"))
    import katex

    fonts = tmp_path / "fonts"
    shutil.copytree(built_site.path / "assets" / "katex" / "fonts", fonts)
    no_x = set("abcdefghijklmnopqrstuvwyz0123456789")
    katex.subset_fonts(fonts, {"KaTeX_Main": no_x, "KaTeX_Math": no_x})
    context = browser.new_context()
    page = context.new_page()
    page.route("**/assets/katex/fonts/*.woff2", lambda route: route.fulfill(
        path=str(fonts / urlsplit(route.request.url).path.rsplit("/", 1)[1])))
    page.goto(site_server + "derivatives/", wait_until="networkidle")
    problems = _glyphs_not_drawn_by_katex_fonts(context, page)
    context.close()
    assert problems and all("not a KaTeX font" in p for p in problems)
    assert any(">x<" in p for p in problems)
