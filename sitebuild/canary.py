"""What the site would lose built with Zensical instead of MkDocs, page by page (``make
check-zensical``).

Zensical, the successor of Material for MkDocs, reads ``mkdocs.yml`` and runs its
Python-Markdown extensions, but not its hooks or MkDocs plugins. This builds the site with both
(Zensical in its own environment, ``.venv-zensical``, on a copy of the project: it keeps its
own cache in the project's ``.cache/``, and ``zensical build --clean`` empties that folder) and
compares the two sites: pages and files missing, formulas typeset or left as TeX, the notebook
buttons, the statement of the torch the outputs were checked with, the accessible names of the
theme's dialogs, figures, exercise cells, code blocks, headings, and links that lead nowhere.

Nothing here is part of the build: MkDocs never imports this module (a test checks it).

    .venv/bin/python -m sitebuild.canary [--zensical-env .venv-zensical] [--project DIR]
                                         [--mkdocs-site DIR] [--zensical-site DIR]
                                         [--report FILE]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import formulas, markup

ROOT = Path(__file__).resolve().parents[1]
# What Zensical reads of the project (it must lie inside the folder of its configuration).
PROJECT = ("mkdocs.yml", "docs", "snippets", "overrides")
CONFIG = "zensical-canary.yml"
# Zensical's theme is the package zensical-ui, which no package registry this project uses
# has. In its place: the templates of Material for MkDocs (mkdocs-material, installed without
# its dependencies), which Zensical's "classic" variant continues. The theme makes the page
# around the content, which the canary does not compare.
STANDIN = '''"""Stand-in for zensical-ui (sitebuild/canary.py): Material for MkDocs' templates."""
import os

import material


def get_theme_dir() -> str:
    return os.path.join(os.path.dirname(material.__file__), "templates")
'''
FILE_KINDS = {  # folder of the site -> what its files are
    "notebooks/": "notebooks to download",
    "figures/": "figures",
    "assets/katex/": "KaTeX's stylesheet and fonts",
    "exercises/": "exercise notebooks",
}


@dataclasses.dataclass
class PageFacts:
    """What one built page holds, as far as the comparison goes."""

    typeset: int = 0  # formulas KaTeX typeset
    tex: int = 0  # formulas left as TeX (arithmatex's markup, or $...$ in a notebook cell)
    buttons: list[str] = dataclasses.field(default_factory=list)  # .md-button texts
    figures: int = 0
    cells: int = 0  # notebook cells (exercise pages)
    checked_with: int = 0  # "checked with torch ..." statements under the title
    unnamed: int = 0  # dialogs and progress bars without an accessible name
    code_blocks: int = 0
    headings: set[str] = dataclasses.field(default_factory=set)  # ids
    links: set[str] = dataclasses.field(default_factory=set)  # site files linked (relative)


def page_facts(page_html: str, url_path: str) -> PageFacts:
    """The facts of a page whose path in the site is ``url_path`` (``vjp/index.html``)."""
    facts = PageFacts()
    found = markup.tokens(page_html, frozenset({"pre"}))
    text_of: dict[int, list[str]] = {}  # open .md-button links, by index
    opened: list[int] = []
    for index, token in enumerate(found):
        if token.kind == "start":
            classes = token.classes
            if "katex" in classes:
                facts.typeset += 1
            if token.tag == "img" and "figure" in classes:
                facts.figures += 1
            if token.tag == "div" and "jp-Cell" in classes:
                facts.cells += 1
            if "checked-with" in classes:
                facts.checked_with += 1
            if (token.attr("role") in ("dialog", "progressbar")
                    and not (token.has("aria-label") or token.has("aria-labelledby"))):
                facts.unnamed += 1
            if token.tag == "pre":
                facts.code_blocks += 1
            if token.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and token.attr("id"):
                facts.headings.add(str(token.attr("id")))
            for name in ("href", "src"):
                target = _site_file(token.attr(name), url_path)
                if target is not None:
                    facts.links.add(target)
            if token.tag == "a" and "md-button" in classes:
                text_of[index] = []
                opened.append(index)
        elif token.kind == "text" and opened:
            text_of[opened[-1]].append(page_html[token.start:token.end])
        elif token.kind == "end" and token.tag == "a" and opened:
            facts.buttons.append(" ".join("".join(text_of[opened.pop()]).split()))
    facts.tex = (len(formulas.arithmatex_formulas(page_html))
                 + len(formulas.notebook_formulas(page_html)))
    return facts


def _site_file(link: str | None, url_path: str) -> str | None:
    """The file of the site a relative link leads to (``vjp/index.html``), None for another
    host, a link within the page, or a ``data:`` or ``mailto:`` address."""
    if not link:
        return None
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(url_path), unquote(parts.path)))
    if path == ".":
        return "index.html"
    return f"{path}/index.html" if parts.path.endswith("/") else path


@dataclasses.dataclass
class Difference:
    page: str
    what: str


@dataclasses.dataclass
class Comparison:
    """Two builds of the site, compared."""

    pages: list[str]  # the MkDocs build's pages
    mkdocs: dict[str, PageFacts]
    zensical: dict[str, PageFacts]  # the pages Zensical built (of those above)
    extra_pages: list[str]  # pages only Zensical built
    files: dict[str, tuple[int, int]]  # kind of file -> (in MkDocs' site, in Zensical's)
    differences: list[Difference]


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not p.relative_to(site).as_posix().startswith(("assets/", "search/")))


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def compare(mkdocs_site: Path, zensical_site: Path) -> Comparison:
    """Every page of the MkDocs build against the same page of the Zensical build."""
    pages = _pages(mkdocs_site)
    their_pages = set(_pages(zensical_site))
    theirs_files = _files(zensical_site)
    ours_files = _files(mkdocs_site)
    mkdocs = {p: page_facts((mkdocs_site / p).read_text(encoding="utf-8"), p) for p in pages}
    zensical = {p: page_facts((zensical_site / p).read_text(encoding="utf-8"), p)
                for p in pages if p in their_pages}
    differences: list[Difference] = []
    for page in pages:
        ours = mkdocs[page]
        theirs = zensical.get(page)
        if theirs is None:
            differences.append(Difference(page, "missing: Zensical built no such page"))
            continue
        differences += [Difference(page, what)
                        for what in _differ(ours, theirs, ours_files - theirs_files)]
    files = {}
    for folder, kind in FILE_KINDS.items():
        files[kind] = (sum(f.startswith(folder) and not f.endswith(".html") for f in ours_files),
                       sum(f.startswith(folder) and not f.endswith(".html")
                           for f in theirs_files))
    return Comparison(pages, mkdocs, zensical, sorted(their_pages - set(pages)), files,
                      differences)


def _differ(ours: PageFacts, theirs: PageFacts, not_made: set[str]) -> Iterable[str]:
    """What a page built by Zensical lacks; ``not_made``: the files only MkDocs made."""
    if theirs.typeset < ours.typeset or theirs.tex:
        yield (f"formulas: {ours.typeset} typeset by MkDocs, {theirs.typeset} by Zensical, "
               f"{theirs.tex} left as TeX")
    if theirs.buttons != ours.buttons:
        yield f"buttons: {_listed(ours.buttons)} with MkDocs, {_listed(theirs.buttons)} with Zensical"
    if theirs.checked_with != ours.checked_with:
        yield (f"statements of the torch checked with: {ours.checked_with} with MkDocs, "
               f"{theirs.checked_with} with Zensical")
    if theirs.unnamed > ours.unnamed:
        yield (f"dialogs and progress bars without a name: {ours.unnamed} with MkDocs, "
               f"{theirs.unnamed} with Zensical")
    if theirs.figures != ours.figures:
        yield f"figures: {ours.figures} with MkDocs, {theirs.figures} with Zensical"
    if theirs.cells != ours.cells:
        yield f"notebook cells: {ours.cells} with MkDocs, {theirs.cells} with Zensical"
    if theirs.code_blocks != ours.code_blocks:
        yield f"code blocks: {ours.code_blocks} with MkDocs, {theirs.code_blocks} with Zensical"
    lost = sorted(ours.headings - theirs.headings)
    if lost:
        yield f"{len(lost)} heading anchors missing: {', '.join(lost[:5])}" + (
            ", ..." if len(lost) > 5 else "")
    broken = sorted(theirs.links & not_made)
    if broken:
        yield f"{len(broken)} links to files Zensical did not make: {', '.join(broken[:3])}" + (
            ", ..." if len(broken) > 3 else "")


def _listed(items: Sequence[str]) -> str:
    return ", ".join(f'"{item}"' for item in items) if items else "none"


def _category(page: str) -> str:
    if page.startswith("exercises/"):
        return "exercise pages"
    return "other pages" if page in ("404.html",) else "pages from Markdown"


def report(comparison: Comparison, header: Sequence[str] = ()) -> str:
    """The comparison as Markdown: totals per kind of page, the files, then page by page."""
    lines = [*header]
    lines += ["", "| pages | built by MkDocs | by Zensical | formulas typeset (MkDocs / Zensical) "
              "| left as TeX | buttons | figures | notebook cells | code blocks "
              "| unnamed dialogs |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    categories = sorted({_category(p) for p in comparison.pages})
    for category in categories:
        pages = [p for p in comparison.pages if _category(p) == category]
        ours = [comparison.mkdocs[p] for p in pages]
        theirs = [comparison.zensical[p] for p in pages if p in comparison.zensical]
        lines.append(
            f"| {category} | {len(pages)} | {len(theirs)} "
            f"| {sum(f.typeset for f in ours)} / {sum(f.typeset for f in theirs)} "
            f"| {sum(f.tex for f in theirs)} "
            f"| {sum(len(f.buttons) for f in ours)} / {sum(len(f.buttons) for f in theirs)} "
            f"| {sum(f.figures for f in ours)} / {sum(f.figures for f in theirs)} "
            f"| {sum(f.cells for f in ours)} / {sum(f.cells for f in theirs)} "
            f"| {sum(f.code_blocks for f in ours)} / {sum(f.code_blocks for f in theirs)} "
            f"| {sum(f.unnamed for f in ours)} / {sum(f.unnamed for f in theirs)} |")
    lines += ["", "| files | MkDocs | Zensical |", "| --- | --- | --- |"]
    lines += [f"| {kind} | {ours} | {theirs} |" for kind, (ours, theirs) in comparison.files.items()]
    if comparison.extra_pages:
        lines += ["", "Pages only Zensical built: " + ", ".join(comparison.extra_pages)]
    lines += ["", "## Page by page", ""]
    if not comparison.differences:
        lines.append("No page differs in what is compared.")
    for page in comparison.pages:
        found = [d.what for d in comparison.differences if d.page == page]
        if found:
            lines.append(f"- `{page}`: " + "; ".join(found))
    return "\n".join(lines) + "\n"


# -- the builds ----------------------------------------------------------------------------------


# pragma: no mutate start (the builds run in other processes, and the command line only runs
# them; `make mutation` follows the pytest process only: CONTRIBUTING.md, "Mutation testing")
def build_with_mkdocs(root: Path, out: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NBCONVERT_DISABLE_CONFIG_EXPORTERS": "1"}
    _run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)], root, env,
         "mkdocs build")


def build_with_zensical(root: Path, env_dir: Path, work: Path) -> Path:
    """Build a copy of the project at ``root`` in ``work`` with the Zensical of ``env_dir``; the site's
    folder. The canary's configuration is mkdocs.yml with the classic variant of the theme
    (the stand-in theme has the classic variant's icons only). The Markdown extensions of the
    project's own package (``sitebuild``) are imported from ``root``, and KaTeX from its
    ``node_modules``, as the MkDocs build has them."""
    env_dir = env_dir.resolve()
    python = env_dir / "bin" / "python"
    if not python.is_file():
        raise SystemExit(f"{env_dir}: no Python environment with Zensical: run `make "
                         "check-zensical`, which makes it")
    stand_in = work / "stand-in"
    probe = subprocess.run([str(python), "-c", "import zensical_ui"], capture_output=True)
    paths = [str(root)]
    if probe.returncode != 0:
        stand_in.mkdir(parents=True)
        (stand_in / "zensical_ui.py").write_text(STANDIN, encoding="utf-8")
        paths.append(str(stand_in))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    project = work / "project"
    project.mkdir(parents=True)
    for name in PROJECT:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        elif source.is_file():
            shutil.copy2(source, project / name)
    if (root / "node_modules").is_dir():
        (project / "node_modules").symlink_to(root / "node_modules")
    (project / CONFIG).write_text("INHERIT: mkdocs.yml\nsite_dir: site\ntheme:\n"
                                  "  variant: classic\n", encoding="utf-8")
    _run([str(env_dir / "bin" / "zensical"), "build", "-f", CONFIG], project, env,
         "zensical build")
    return project / "site"


def _run(command: list[str], cwd: Path, env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{what} failed (exit status {result.returncode}):\n"
                         f"{result.stdout}{result.stderr}")


def _version(python: Path, name: str) -> str:
    result = subprocess.run([str(python), "-c", "import importlib.metadata as m; "
                             f"print(m.version({name!r}))"], capture_output=True, text=True)
    return result.stdout.strip() or "not installed"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitebuild.canary", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--zensical-env", type=Path, default=ROOT / ".venv-zensical")
    parser.add_argument("--project", type=Path, default=ROOT, help="the checkout to build "
                        "(another one than this, to compare before and after a change)")
    parser.add_argument("--mkdocs-site", type=Path, help="compare this MkDocs build instead "
                        "of building the site")
    parser.add_argument("--zensical-site", type=Path, help="compare this Zensical build "
                        "instead of building the site")
    parser.add_argument("--report", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zensical-canary-") as folder:
        work = Path(folder)
        mkdocs_site = args.mkdocs_site
        if mkdocs_site is None:
            mkdocs_site = work / "mkdocs-site"
            build_with_mkdocs(args.project.resolve(), mkdocs_site)
        zensical_site = args.zensical_site or build_with_zensical(
            args.project.resolve(), args.zensical_env, work)
        python = args.zensical_env / "bin" / "python"
        header = [
            "# The site built with Zensical, against MkDocs",
            "",
            f"{datetime.date.today().isoformat()}: mkdocs {metadata.version('mkdocs')} with "
            f"mkdocs-material {metadata.version('mkdocs-material')}, against zensical "
            f"{_version(python, 'zensical')} (theme: zensical-ui "
            f"{_version(python, 'zensical-ui')}; where not installed, Material's templates "
            "stand in for it, in the classic variant). "
            "Counts are MkDocs / Zensical; what the theme draws around the content is not "
            "compared.",
        ]
        text = report(compare(mkdocs_site, zensical_site), header)
    print(text, end="")
    if args.report is not None:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(text, encoding="utf-8")
    return 0

# pragma: no mutate end

if __name__ == "__main__":
    sys.exit(main())
