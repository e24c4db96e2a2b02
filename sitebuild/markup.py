"""HTML read with Python's own parser (``html.parser``), each piece with where it stands.

The build changes finished pages in a few places (a formula replaced by KaTeX's HTML, an
attribute added to a tag) and must leave every other byte as MkDocs wrote it, so it cannot
parse a page into a tree and write the tree out again. ``tokens`` gives the page's start tags,
end tags, text and the rest in order, each with its start and end in the page, so that a caller
finds elements by their tags and nesting, as a browser would, and edits the page at those
offsets. Text inside ``<script>`` and ``<style>`` is one piece, never markup.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from html.parser import HTMLParser
from typing import Literal

Kind = Literal["start", "end", "text", "other"]
# Elements that never have content or an end tag (the HTML standard's void elements).
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})


@dataclasses.dataclass(frozen=True, slots=True)
class Token:
    """A start tag, an end tag, a piece of text (character references left as written), or
    anything else (a comment, a doctype); ``start`` and ``end`` are its offsets in the page."""

    kind: Kind
    start: int
    end: int
    tag: str = ""  # for tags, lower case
    attrs: tuple[tuple[str, str | None], ...] = ()

    def attr(self, name: str) -> str | None:
        """The attribute's value: None if the tag has no such attribute, or it has no value."""
        return dict(self.attrs).get(name)

    def has(self, name: str) -> bool:
        return any(attribute == name for attribute, _ in self.attrs)

    @property
    def classes(self) -> frozenset[str]:
        return frozenset((self.attr("class") or "").split())


class _Tokenizer(HTMLParser):
    def __init__(self, page: str, opaque: frozenset[str]) -> None:
        super().__init__(convert_charrefs=False)
        self._opaque = opaque
        # HTMLParser counts lines by "\n" alone (not by a "\r" an output printed, say).
        self._line_starts = [0]
        for line in page.split("\n"):
            self._line_starts.append(self._line_starts[-1] + len(line) + 1)
        self._found: list[tuple[Kind, int, str, tuple[tuple[str, str | None], ...]]] = []
        self.feed(page)
        self.close()
        starts = [start for _, start, _, _ in self._found] + [len(page)]
        self.tokens = [Token(kind, start, end, tag, attrs)
                       for (kind, start, tag, attrs), end in zip(self._found, starts[1:],
                                                                 strict=True)]

    def _add(self, kind: Kind, tag: str = "",
             attrs: Sequence[tuple[str, str | None]] = ()) -> None:
        line, column = self.getpos()
        self._found.append((kind, self._line_starts[line - 1] + column, tag, tuple(attrs)))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add("start", tag, attrs)
        if tag in self._opaque:
            # Its content up to its end tag is one piece of text, as <script>'s is.
            self.set_cdata_mode(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # "<div/>" opens a <div> in HTML, as "<div>" does; "<br/>" is a void element either way.
        self._add("start", tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self._add("end", tag)

    def handle_data(self, data: str) -> None:
        self._add("text")

    def handle_entityref(self, name: str) -> None:
        self._add("text")

    def handle_charref(self, name: str) -> None:
        self._add("text")

    def handle_comment(self, data: str) -> None:
        self._add("other")

    def handle_decl(self, decl: str) -> None:
        self._add("other")

    def handle_pi(self, data: str) -> None:
        self._add("other")

    def unknown_decl(self, data: str) -> None:
        self._add("other")


def tokens(page: str, opaque: frozenset[str] = frozenset()) -> list[Token]:
    """The page's pieces in order; together they cover it from its first byte to its last.

    The content of an element named in ``opaque`` (``pre``, say) is one piece of text, from
    its start tag to the first end tag of its name: the elements inside it are not looked at
    (and a page reads several times faster when that is where most of its tags are: Pygments
    makes an element of every word of a code block)."""
    return _Tokenizer(page, opaque).tokens


def texts(found: Sequence[Token]) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of text that nothing else interrupts, among ``found`` (tokens
    in order, with gaps where the caller left some out: text on either side of a gap is two
    runs)."""
    start: int | None = None
    end = 0
    for token in found:
        if token.kind == "text" and start is not None and token.start == end:
            end = token.end
            continue
        if start is not None:
            yield start, end
            start = None
        if token.kind == "text":
            start, end = token.start, token.end
    if start is not None:
        yield start, end


def elements(found: Sequence[Token], wanted: set[int]) -> Iterator[tuple[Token, int, int]]:
    """For each start tag at an index in ``wanted``: the tag, and the indexes of the first
    token inside the element and of its end tag (``len(found)`` if it is never closed). Tags of
    the same name nest (a ``<div>`` inside the element does not end it)."""
    for index in sorted(wanted):
        opening = found[index]
        depth = 0
        end = len(found)
        for at in range(index + 1, len(found)):
            token = found[at]
            if token.tag != opening.tag or token.kind not in ("start", "end"):
                continue
            if token.kind == "start":
                depth += 1
            elif depth:
                depth -= 1
            else:
                end = at
                break
        yield opening, index + 1, end


Edit = tuple[int, int, str]  # (start, end, text): what stands from start to end becomes text


def edit(page: str, edits: Iterable[Edit]) -> str:
    """``page`` with each edit made (in any order, none overlapping another); every byte no
    edit covers stays as it was."""
    pieces, last = [], 0
    for start, end, text in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < last:
            raise ValueError(f"overlapping edits at offset {start}")
        pieces += [page[last:start], text]
        last = end
    pieces.append(page[last:])
    return "".join(pieces)


def add_attribute(page: str, tag: Token, attribute: str) -> Edit:
    """The edit that writes ``attribute`` (``name`` or ``name="value"``) at the end of the
    start tag ``tag`` of ``page``, before its ``>`` or ``/>``."""
    at = tag.end - (2 if page[tag.start:tag.end].endswith("/>") else 1)
    return at, at, f" {attribute}"


@dataclasses.dataclass(frozen=True, slots=True)
class Span:
    """Where an element stands: from its start tag to the end of its end tag (``start``,
    ``end``; to the end of the page if it has none), and what it holds (``inner_start``,
    ``inner_end``)."""

    opening: Token
    start: int
    end: int
    inner_start: int
    inner_end: int


def spans(found: Sequence[Token], wanted: set[int]) -> Iterator[Span]:
    """The span of each element whose start tag is at an index in ``wanted`` (nested as
    ``elements`` nests them)."""
    page_end = found[-1].end if found else 0
    for opening, _, end in elements(found, wanted):
        closing = found[end] if end < len(found) else None
        yield Span(opening, opening.start, closing.end if closing else page_end, opening.end,
                   closing.start if closing else page_end)
