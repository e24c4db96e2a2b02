"""Which characters each KaTeX font draws, and fonts cut down to those characters."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from html.parser import HTMLParser
from pathlib import Path

from . import cache

_FONT_RULE = re.compile(r"([^{}]+)\{[^{}]*font-family:(KaTeX_[\w]+)[^{}]*\}")
_VOID = {"br", "img", "hr", "input", "meta", "link", "wbr"}
DEFAULT_FAMILY = "KaTeX_Main"
# Kept whatever the math uses: spaces in every font, and in KaTeX_Main what KaTeX's CSS draws
# itself (equation numbers: digits and parentheses).
ALWAYS_KEPT = {0x20, 0xA0}
ALWAYS_KEPT_MAIN = ALWAYS_KEPT | set(map(ord, "0123456789()"))
Rules = list[tuple[frozenset[str], str]]


def font_rules(css: str) -> Rules:
    """(classes, font family) for each rule of KaTeX's stylesheet that sets a family."""
    rules = []
    for selectors, family in _FONT_RULE.findall(css):
        for selector in selectors.split(","):
            classes = frozenset(re.findall(r"\.([\w-]+)", selector)) - {"katex"}
            if classes and "@font-face" not in selector:
                rules.append((classes, family))
    return rules


class FontUse(HTMLParser):
    """Which characters each KaTeX font family may have to draw in some KaTeX HTML.

    A character is drawn in the family that the nearest element setting one gives it (a rule
    of KaTeX's stylesheet whose classes are all on that element), KaTeX_Main if none does; a
    rule whose classes span several elements counts wherever they are all present. Text of the
    MathML copy (for screen readers, never shown) does not count.
    """

    def __init__(self, rules: Rules):
        super().__init__(convert_charrefs=True)
        self.rules = rules
        self.stack: list[set[str]] = []
        self.chars: dict[str, set[str]] = {DEFAULT_FAMILY: set()}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.stack.append(set((dict(attrs).get("class") or "").split()))

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
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


def characters(rules: Rules, katex_html: str) -> dict[str, str]:
    """The characters each family draws in one formula's KaTeX HTML (sorted strings)."""
    use = FontUse(rules)
    use.feed(katex_html)
    use.close()
    return {family: "".join(sorted(chars)) for family, chars in use.chars.items() if chars}


def merge(uses: Iterable[Mapping[str, str]]) -> dict[str, set[str]]:
    merged: dict[str, set[str]] = {}
    for use in uses:
        for family, chars in use.items():
            merged.setdefault(family, set()).update(chars)
    return merged


def subset_fonts(fonts_dir: Path, chars: Mapping[str, set[str]], kept: cache.Entries,
                 katex: str) -> None:
    """Keep in each woff2 font only the glyphs of the characters its family may draw.

    ``chars`` maps a family (``KaTeX_Math``) to its characters; a font file
    ``KaTeX_Math-Italic.woff2`` belongs to family ``KaTeX_Math``. The cut fonts are kept in
    ``kept`` under a key made of the characters and the versions of KaTeX (``katex``) and the
    font tools, and reused by the next build that needs the same ones.
    """
    unicodes = {family: sorted({ord(c) for c in text}
                               | (ALWAYS_KEPT_MAIN if family == DEFAULT_FAMILY else ALWAYS_KEPT))
                for family, text in chars.items()}
    fonts = sorted(fonts_dir.glob("*.woff2"))
    entry = cache.key(sorted(unicodes.items()), [p.name for p in fonts], versions=("fonttools",),
                      settings=katex)
    stored = kept.get(entry)
    if stored is not None and set(stored) == {p.name for p in fonts}:
        for path in fonts:
            path.write_bytes(stored[path.name])
        return
    # Imported only to cut (a tenth of a second): a build that finds its fonts cut skips it.
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = []
    options.notdef_outline = False
    for path in fonts:
        # The timestamp of the original stays: the same characters give the same bytes.
        font = TTFont(path, recalcTimestamp=False)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes.get(path.name.split("-")[0], sorted(ALWAYS_KEPT)))
        subsetter.subset(font)
        font.flavor = "woff2"
        font.save(path)
    kept.put(entry, {path.name: path.read_bytes() for path in fonts})
