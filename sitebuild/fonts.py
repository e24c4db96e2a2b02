"""Which characters each KaTeX font draws, and fonts cut down to those characters."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import tinycss2

from . import cache

_VOID = {"br", "img", "hr", "input", "meta", "link", "wbr"}
DEFAULT_FAMILY = "KaTeX_Main"
# Kept whatever the math uses: spaces in every font, and in KaTeX_Main what KaTeX's CSS draws
# itself (equation numbers: digits and parentheses).
ALWAYS_KEPT = {0x20, 0xA0}
ALWAYS_KEPT_MAIN = ALWAYS_KEPT | set(map(ord, "0123456789()"))
Rules = list[tuple[frozenset[str], str]]


def font_rules(css: str) -> Rules:
    """(classes, font family) for each selector of each rule of KaTeX's stylesheet that sets a
    family: the classes the selector names but ``katex`` (every formula is inside ``.katex``;
    ``FontUse`` says how classes on several elements count), and the family its
    ``font-family`` names first, if that is one of KaTeX's. The stylesheet is read with
    tinycss2, as a browser reads it (comments, strings and escapes included); rules inside
    ``@media`` and ``@supports`` count, ``@font-face`` rules (which name a font rather than use
    one) do not, and neither does a class inside a pseudo-class such as ``:not(.x)``. A
    stylesheet the parser cannot read (a brace too many, say) is a ValueError naming line and
    column."""
    rules = []
    for rule in _style_rules(tinycss2.parse_stylesheet(css, skip_comments=True,
                                                       skip_whitespace=True)):
        family = _family(rule)
        if family is None:
            continue
        for selector in _selectors(rule.prelude):
            classes = frozenset(selector) - {"katex"}
            if classes:
                rules.append((classes, family))
    return rules


def _style_rules(nodes: Iterable[Any]) -> Iterator[Any]:
    """The style rules among ``nodes``, and those of the conditional rules among them."""
    for node in nodes:
        if node.type == "qualified-rule":
            yield node
        elif node.type == "at-rule" and node.lower_at_keyword in ("media", "supports") \
                and node.content is not None:
            yield from _style_rules(tinycss2.parse_rule_list(node.content, skip_comments=True,
                                                             skip_whitespace=True))
        elif node.type == "error":
            raise ValueError(f"line {node.source_line}, column {node.source_column}: "
                             f"{node.message}")


def _family(rule: Any) -> str | None:
    """The first family a rule's ``font-family`` names, if it is one of KaTeX's."""
    family = None
    for declaration in tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                      skip_whitespace=True):
        if declaration.type != "declaration" or declaration.lower_name != "font-family":
            continue
        first = next((t for t in declaration.value if t.type != "whitespace"), None)
        if first is not None and first.type in ("ident", "string"):
            family = first.value if first.value.startswith("KaTeX_") else None
    return family


def _selectors(prelude: list[Any]) -> Iterator[set[str]]:
    """The classes each selector of a comma-separated list names outside functions."""
    classes: set[str] = set()
    after_dot = False
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            yield classes
            classes = set()
        elif token.type == "ident" and after_dot:
            classes.add(token.value)
        after_dot = token.type == "literal" and token.value == "."
    yield classes


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
