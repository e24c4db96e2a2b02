"""Figures drawn by the examples that say so: ``{.python figure="name" alt="..."}``.

The example's code runs (as the doc-test runs it, with matplotlib's non-interactive backend)
once per palette of the site, under a light and a dark style; the last matplotlib figure it
draws is saved as SVG, ``figures/<page>-<name>-light.svg`` and ``-dark.svg``. The page shows the
one that matches the reader's palette, with the ``alt`` text for screen readers.

SVGs are byte-identical from run to run (no date, a fixed seed for their ids) and kept in the
build's cache under a key made of the code, this module and the versions of matplotlib and
torch: a build renders only figures whose code changed. Rendering happens in one separate interpreter
(``python -m sitebuild.figures``) for all the figures missing from the cache.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docscheck import Example

from . import cache

FOLDER = "figures"
VARIANTS = ("light", "dark")
# The palettes' text colours, and line colours readable on both backgrounds (transparent SVGs
# sit on the page's own background).
STYLES: dict[str, dict[str, Any]] = {
    "light": {"text.color": "#1f2328", "axes.labelcolor": "#1f2328", "axes.edgecolor": "#57606a",
              "xtick.color": "#57606a", "ytick.color": "#57606a", "grid.color": "#d0d7de",
              "axes.prop_cycle": "cycler('color', ['#0b63c5', '#c4432b', '#1a7f37', '#8250df'])"},
    "dark": {"text.color": "#e6edf3", "axes.labelcolor": "#e6edf3", "axes.edgecolor": "#8b949e",
             "xtick.color": "#8b949e", "ytick.color": "#8b949e", "grid.color": "#30363d",
             "axes.prop_cycle": "cycler('color', ['#6cb6ff', '#ff8e72', '#57d364', '#c8a2ff'])"},
}
COMMON = {"figure.facecolor": "none", "axes.facecolor": "none", "savefig.transparent": True,
          "svg.hashsalt": "gradients-in-pytorch", "svg.fonttype": "path", "font.size": 10,
          "figure.dpi": 100}


class FigureError(Exception):
    """A figure that could not be drawn; the message names the page line."""


@dataclasses.dataclass(frozen=True)
class Figure:
    example: Example
    name: str  # unique on the site: <page>-<figure option>
    alt: str

    def file(self, variant: str) -> str:
        return f"{FOLDER}/{self.name}-{variant}.svg"

    def key(self) -> str:
        return cache.key(self.example.code, Path(__file__).read_text(encoding="utf-8"),
                         versions=("matplotlib", "torch"), settings=[STYLES, COMMON])


def figure_of(example: Example, stem: str) -> Figure | None:
    """The figure an example draws, if its fence asks for one."""
    if example.figure is None:
        return None
    return Figure(example, f"{stem.replace('/', '-')}-{example.figure}", example.alt or "")


def render(figures: Sequence[Figure], root: Path, out: Path, kept: cache.Entries) -> None:
    """Write the SVGs of ``figures`` into ``out``, from the cache when it has them."""
    drawn: dict[str, dict[str, bytes]] = {}  # by the figure's name
    missing = []
    for figure in figures:
        stored = kept.get(figure.key())
        if stored is not None and all(f"{v}.svg" in stored for v in VARIANTS):
            drawn[figure.name] = stored
        else:
            missing.append(figure)
    if missing:
        with tempfile.TemporaryDirectory(prefix="figures-") as tmp:
            requests = [{"code": f.example.code, "where": f.example.where,
                         "files": {v: str(Path(tmp) / f.file(v)) for v in VARIANTS}}
                        for f in missing]
            result = subprocess.run([sys.executable, "-m", "sitebuild.figures"], cwd=root,
                                    input=json.dumps(requests), capture_output=True, text=True)
            if result.returncode != 0:
                raise FigureError(result.stdout.strip() or result.stderr.strip())
            for figure in missing:
                drawn[figure.name] = {f"{v}.svg": (Path(tmp) / figure.file(v)).read_bytes()
                                      for v in VARIANTS}
                kept.put(figure.key(), drawn[figure.name])
    for figure in figures:
        for variant in VARIANTS:
            target = out / figure.file(variant)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(drawn[figure.name][f"{variant}.svg"])


def _draw(request: dict[str, Any]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    for variant in VARIANTS:
        plt.close("all")
        style: Any = {**COMMON, **STYLES[variant]}
        with matplotlib.rc_context(style):
            namespace = {"__name__": "__main__"}
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                exec(compile(request["code"], request["where"], "exec"), namespace)  # noqa: S102
            if not plt.get_fignums():
                raise FigureError(f"{request['where']}: the example is marked as a figure but "
                                  "draws no matplotlib figure")
            path = Path(request["files"][variant])
            path.parent.mkdir(parents=True, exist_ok=True)
            plt.gcf().savefig(path, format="svg", bbox_inches="tight",
                              metadata={"Date": None, "Creator": None})


def main() -> None:
    sys.path.insert(0, os.getcwd())
    for request in json.loads(sys.stdin.read()):
        try:
            _draw(request)
        except FigureError as e:
            print(e)
            sys.exit(1)
        except Exception:  # noqa: BLE001 - reported with the page line and the traceback
            print(f"{request['where']}: the figure could not be drawn:\n{traceback.format_exc()}")
            sys.exit(1)


if __name__ == "__main__":
    main()
