"""Typesetting formulas with KaTeX, through one Node.js process running the pinned ``katex``.

Each formula becomes KaTeX's HTML with MathML for screen readers (without the MathML's copy of
the TeX source, which screen readers do not read). Rendered formulas are kept in the build's
cache (``katex.json``) with the characters each KaTeX font draws in them, keyed by the formula
and the KaTeX version: a build whose formulas are all in the cache starts no Node process at
all, and the cache holds the formulas of the site as it was last built, no others.

Nothing here imports MkDocs: the Python-Markdown extension (``katex_markdown``) typesets with
this module wherever Python-Markdown runs. Failures are ``KatexError``s naming the page and the
formula; the build reports them as MkDocs' ``PluginError``s.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from . import cache, markup
from .fonts import Rules, characters, font_rules
from .formulas import Formula

RENDERER = Path(__file__).with_name("katex_render.cjs")
TEX = "application/x-tex"  # the encoding of MathML's copy of the TeX source


class KatexError(Exception):
    """A formula KaTeX cannot render, or KaTeX that cannot run; the message names the page."""


def without_tex(katex_html: str) -> str:
    """KaTeX's HTML without the MathML's copy of the TeX source (``<annotation
    encoding="application/x-tex">``), which screen readers do not read."""
    found = markup.tokens(katex_html)
    wanted = {i for i, t in enumerate(found)
              if t.kind == "start" and t.tag == "annotation" and t.attr("encoding") == TEX}
    return markup.edit(katex_html, ((s.start, s.end, "") for s in markup.spans(found, wanted)))


# pragma: no mutate start (a process and its pipes, not logic; `make mutation`)
class KatexProcess:
    """A Node.js process that renders formulas, one JSON line in, one JSON line out."""

    def __init__(self, katex_dir: Path):
        node = shutil.which("node")
        if node is None:
            raise KatexError("Node.js (`node`) is needed to render the math with KaTeX")
        self.process = subprocess.Popen(
            [node, str(RENDERER)], cwd=katex_dir.parent.parent, text=True, encoding="utf-8",
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def render(self, tex: str, display: bool, where: str) -> dict[str, str]:
        """``{"html": ...}`` or ``{"error": ...}``; one request at a time, so that the pipes
        never fill up both ways."""
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except (BrokenPipeError, OSError):
            line = ""
        if not line:
            raise KatexError(f"{where}: the KaTeX process (node) stopped while rendering "
                              f"{tex!r}: {self._stderr()}")
        answer: dict[str, str] = json.loads(line)
        return answer

    def _stderr(self) -> str:
        self.close()
        assert self.process.stderr is not None
        return self.process.stderr.read()[-2000:].strip() or f"exit status {self.process.returncode}"

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            try:
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()


# pragma: no mutate end
class Typesetter:
    """Typesets formulas, from the cache when it can; owns the Node process if one is needed."""

    def __init__(self, katex_dir: Path, kept: cache.Kept):
        self.katex_dir = katex_dir
        version = json.loads((katex_dir / "package.json").read_text(encoding="utf-8"))["version"]
        self.version = str(version)
        stylesheet = self.dist / "katex.min.css"
        try:
            self.rules: Rules = font_rules(stylesheet.read_text(encoding="utf-8"))
        except ValueError as e:
            raise KatexError(f"{stylesheet}: {e}") from None
        self.kept = kept
        self.used: list[dict[str, str]] = []  # characters per font, for every formula typeset
        self._process: KatexProcess | None = None

    @property
    def dist(self) -> Path:
        return self.katex_dir / "dist"

    def typeset(self, page_html: str, formulas: Sequence[Formula], where: str,
                attribute: str = "") -> str:
        """Replace each formula in ``page_html`` with KaTeX's HTML; fail on the first bad one.
        ``attribute`` (``name`` or ``name="value"``) goes on the outermost element of each."""
        edits = []
        for formula in formulas:
            rendered = self._render(formula.tex, formula.display, where)
            if formula.block:
                # A wide formula scrolls sideways on a narrow screen: keyboard users must be
                # able to focus it to scroll it.
                rendered = f'<div class="katex-block" tabindex="0">{rendered}</div>'
            if attribute:
                first = next(t for t in markup.tokens(rendered) if t.kind == "start")
                rendered = markup.edit(rendered, [markup.add_attribute(rendered, first, attribute)])
            edits.append((formula.start, formula.end, rendered))
        return markup.edit(page_html, edits)

    def _render(self, tex: str, display: bool, where: str) -> str:
        key = cache.key(tex, display, settings=self.version)
        entry: dict[str, Any] | None = self.kept.get(key)
        if entry is None:
            if self._process is None:
                self._process = KatexProcess(self.katex_dir)
            answer = self._process.render(tex, display, where)
            if "error" in answer:
                raise KatexError(f"{where}: KaTeX cannot render the formula {tex!r}: "
                                  f"{answer['error']}")
            html = without_tex(answer["html"])
            entry = {"html": html, "chars": characters(self.rules, html)}
            self.kept.put(key, entry)
        self.used.append(entry["chars"])
        return str(entry["html"])

    def assets(self) -> Iterable[tuple[str, Path]]:
        """(path on the site, file) for KaTeX's stylesheet and fonts."""
        yield "katex.min.css", self.dist / "katex.min.css"
        for font in sorted((self.dist / "fonts").iterdir()):
            yield f"fonts/{font.name}", font

    def close(self) -> None:
        if self._process is not None:
            self._process.close()
            self._process = None
