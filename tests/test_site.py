"""The site as a whole: it builds with no warning, its snippets follow the layout, CI is sound."""

import dataclasses
import os
import re
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
from mkdocs.utils.yaml import yaml_load

from docscheck import Example, ExampleRun, Runner, Site, judge
from docscheck.runner import Runs
from tests.anchors import broken_anchors
from tests.conftest import BuiltSite, build_site, with_cache
from tests.sites import differences

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PAGES = sorted((ROOT / "docs").rglob("*.md"))
SNIPPETS = sorted((ROOT / "snippets").rglob("*.py"))
INCLUDE = re.compile(r"""--8<--\s+["']([^"':]+)""")


def run(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, **kwargs)


def test_build_is_strict_and_clean(built_site: BuiltSite) -> None:
    """`mkdocs build --strict` passed (the fixture fails otherwise) and logged no warning."""
    assert "WARNING" not in built_site.log, built_site.log
    assert (built_site.path / "index.html").is_file()


SITE = Site.load(ROOT / "mkdocs.yml")


def test_snippet_paths_are_checked() -> None:
    """A missing include fails the build and the tests: pymdownx.snippets has check_paths on."""
    assert SITE.config.snippet_options()["check_paths"] is True


def test_every_snippet_is_shown_on_the_page_its_folder_names() -> None:
    """snippets/<page>/x.py belongs to docs/<page>.md: the layout mirrors the pages."""
    included: dict[str, set[Path]] = {}
    for page in PAGES:
        for path in INCLUDE.findall(page.read_text(encoding="utf-8")):
            included.setdefault(path, set()).add(page.relative_to(ROOT / "docs").with_suffix(""))
    problems = []
    for snippet in SNIPPETS:
        rel = snippet.relative_to(ROOT).as_posix()
        folder = snippet.parent.relative_to(ROOT / "snippets")
        if rel not in included:
            problems.append(f"{rel}: not included by any page")
        elif folder not in included[rel]:
            problems.append(f"{rel}: lives under snippets/{folder}/ but docs/{folder}.md "
                            f"does not include it (included by {sorted(map(str, included[rel]))})")
    assert not problems, "\n".join(problems)


EXAMPLES = [example for path in SITE.page_paths() for example in SITE.read(path).examples]


def _whole_file_examples() -> dict[Path, list[Example]]:
    """For each snippet, the examples whose code is that whole file, included by one line."""
    found: dict[Path, list[Example]] = {}
    for example in EXAMPLES:
        files = example.snippet_files
        if len(files) == 1 and (ROOT / files[0]).read_text().strip() == example.code.strip():
            found.setdefault(ROOT / files[0], []).append(example)
    return found


WHOLE = _whole_file_examples()


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_snippet_run_on_its_own_prints_what_the_page_shows(snippet: Path, docscheck_runner: Runner) -> None:
    """`python snippets/<page>/<example>.py` prints the output block the page shows under it.

    The snippet runs through the engine's own runner, as the doc-test runs examples. A snippet
    shown only in parts (line ranges, sections) must still run on its own without error, or
    end with the error its last part on the page declares, as the page shows it.
    """
    rel = snippet.relative_to(ROOT).as_posix()
    parts = [e for e in EXAMPLES if rel in e.snippet_files]
    shown_as: list[Example | None] = [*WHOLE.get(snippet, [])] or [None]
    for shown in shown_as:
        example = SITE.file_example(snippet, like=shown)
        first, second = (run[0] for run in docscheck_runner.run_twice([example]).result())
        verdict = judge(example, first, second)
        if shown is None:  # shown in parts only: it must run as far as its last part says
            run, last = first, parts[-1] if parts else None
            declared = (run.raised is not None and last is not None and last.raises is not None
                        and last.raises in run.raised.names
                        and last.shown.rstrip("\n").endswith(run.raised.message.rstrip("\n")))
            assert run.fault is None and (run.raised is None or declared), \
                verdict.failure or run.raised
            continue
        assert verdict.ok, f"run on its own, against {shown.fence}:\n{verdict.failure}"


def test_code_is_linted() -> None:
    result = run(str(BIN / "ruff"), "check", "docscheck", "sitebuild", "snippets",
                 "docs/exercises", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_is_valid_for_github() -> None:
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows
    result = run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                 *workflows)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_has_no_zizmor_findings() -> None:
    result = run(str(BIN / "zizmor"), "--offline", ".github/workflows")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout, result.stdout


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and re.search(r"^make test$", ci, re.M)


# Attributes and CSS through which a page makes the browser load something.
_LOADS = re.compile(
    r"""<(?:script|img|iframe|audio|video|source|embed)\b[^>]*\bsrc\s*=\s*["']([^"']+)"""
    r"""|<link\b(?=[^>]*\brel\s*=\s*["'](?:stylesheet|preload|modulepreload|prefetch|icon"""
    r"""|manifest|preconnect|dns-prefetch)["'])[^>]*\bhref\s*=\s*["']([^"']+)"""
    r"""|url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)""", re.I)


def test_no_page_or_asset_loads_anything_from_another_host(built_site: BuiltSite) -> None:
    """Pages, stylesheets and scripts load nothing from another host (links to them are fine)."""
    offenders = []
    for path in sorted(built_site.path.rglob("*")):
        if path.suffix not in (".html", ".css", ".js"):
            continue
        for match in _LOADS.finditer(path.read_text(encoding="utf-8", errors="replace")):
            url = next(g for g in match.groups() if g)
            if re.match(r"(?i)^(https?:)?//", url):
                offenders.append(f"{path.relative_to(built_site.path)}: {url}")
    assert not offenders, "\n".join(offenders)


def test_no_broken_links(site_at_its_address: str, tmp_path: Path) -> None:
    """LinkChecker crawls the site, served at the address it was built for: every link within
    the site resolves (anchors: the next test)."""
    config = tmp_path / "linkcheckerrc"
    outside = "^(?!" + re.escape(site_at_its_address) + ")"  # only the site itself is crawled
    config.write_text(f"[checking]\nmaxrequestspersecond=1000\n"
                      f"[filtering]\nignore=\n  {outside}\n")
    result = run(str(BIN / "linkchecker"), "--config", str(config), "--no-status",
                 "--output", "text", site_at_its_address)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b0 errors found", result.stdout), result.stdout
    crawled = re.search(r"(\d+) links? in \d+ URLs? checked", result.stdout)
    assert crawled, result.stdout
    checked = int(crawled[1])
    assert checked > 200, result.stdout  # the crawl reached the whole site


def test_no_broken_anchors(built_site: BuiltSite) -> None:
    """Every link to a part of a page (the table of contents, permalinks, links between
    pages and in the exercises) finds an element with that id on that page."""
    checked, broken = broken_anchors(built_site.path, built_site.url)
    assert not broken, "\n".join(broken)
    assert checked > 300  # every page's table of contents and permalinks, at least


def test_a_broken_anchor_is_found(tmp_path: Path) -> None:
    """The anchor check can fail: a link to a missing part, on the page or on another one."""
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<h2 id="here">x</h2>\n<a href="#here">ok</a>\n<a href="#gone">no</a>\n'
        '<a href="a/#there">ok</a>\n<a href="http://127.0.0.1:1/a/#missing">no</a>\n'
        '<a href="https://elsewhere.org/#x">another host</a>\n')
    (tmp_path / "a" / "index.html").write_text('<p id="there">y</p><a href="../#nope">no</a>')
    assert broken_anchors(tmp_path, "http://127.0.0.1:1/") == (5, [
        "a/index.html:1: ../#nope (no element with id 'nope')",
        "index.html:3: #gone (no element with id 'gone')",
        "index.html:5: http://127.0.0.1:1/a/#missing (no element with id 'missing')",
    ])


def test_every_character_of_every_output_block_is_checked(
        docscheck_chain_runs: Callable[[tuple[Example, ...]], Future[Runs]]) -> None:
    """Changing any one character of any output block on the site makes its example fail,
    with a message naming the page and line of the example and of the output block. (The
    chains' runs are the doc-test's own, when it runs in the same session.)"""
    runs: dict[Example, tuple[ExampleRun, ExampleRun]] = {}
    futures: list[tuple[tuple[Example, ...], Future[Runs]]] = []
    for path in SITE.page_paths():
        for chain in SITE.read(path).chains():
            futures.append((chain, docscheck_chain_runs(chain)))
    for chain, future in futures:
        firsts, seconds = (future.result()[name] for name in ("first", "second"))
        for index, example in enumerate(chain):
            runs[example] = (firsts[index], seconds[index])
    checked = 0
    for example, (first, second) in runs.items():
        assert judge(example, first, second).ok  # as shown: passes
        if example.output is None:
            continue
        shown = example.output.text
        for i, char in enumerate(shown.rstrip("\n")):
            mutated = shown[:i] + ("#" if char != "#" else "$") + shown[i + 1:]
            wrong = dataclasses.replace(
                example, output=dataclasses.replace(example.output, text=mutated))
            verdict = judge(wrong, first, second)
            assert not verdict.ok and verdict.failure is not None
            assert f"{example.fence}" in verdict.failure
            assert f"{example.output.fence}" in verdict.failure
            checked += 1
    assert checked > 1000


def test_serve_reloads_when_a_snippet_changes() -> None:
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        assert "snippets" in yaml_load(f)["watch"]


def test_two_builds_are_compared_file_by_file_but_for_generator_and_dates(tmp_path: Path) -> None:
    """What tests.sites compares (the site before and after a change to the build): every byte
    but the generator line and the sitemap's dates."""
    import gzip

    def site(name: str, generator: str, date: str, text: str) -> Path:
        root = tmp_path / name
        (root / "page").mkdir(parents=True)
        (root / "page" / "index.html").write_text(
            f'<meta name="generator" content="{generator}"><p>{text}</p>')
        sitemap = f"<url><loc>x</loc><lastmod>{date}</lastmod></url>".encode()
        (root / "sitemap.xml").write_bytes(sitemap)
        (root / "sitemap.xml.gz").write_bytes(gzip.compress(sitemap, mtime=len(name)))
        return root

    before = site("before", "mkdocs-1.6.1", "2026-01-01", "same")
    assert not differences(before, site("after", "properdocs-1.6.7", "2026-01-02", "same"))
    other = site("other", "mkdocs-1.6.1", "2026-01-01", "changed")
    (other / "new.css").write_text("")
    assert differences(before, other) == [f"only in {other}: new.css", "differs: page/index.html"]


def test_properdocs_builds_the_same_site_from_the_same_config(built_site: BuiltSite, site_cache: str,
                                                              tmp_path: Path) -> None:
    """The way out of MkDocs 1: ProperDocs, its continuation, reads the same mkdocs.yml, runs
    the same plugins, and gives the same site, file for file (only the generator
    line of each page names the other tool)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": built_site.url,
           **with_cache(site_cache)}
    result = subprocess.run([str(BIN / "properdocs"), "build", "--strict", "-f", "mkdocs.yml",
                             "-d", str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True,
                            env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert not differences(built_site.path, tmp_path / "site")
    page = (tmp_path / "site" / "vjp" / "index.html").read_text()
    assert "ProperDocs" in page and 'class="katex"' in page and "language-python" in page


def test_a_build_from_the_cache_is_the_clean_build(built_site: BuiltSite, site_cache: str,
                                                   tmp_path: Path) -> None:
    """What makes rebuilds fast (read pages, formulas, figures, executed exercises, notebook
    pages, code colouring, search entries and compiled templates kept in the cache) changes
    nothing: a build that reads everything from the cache gives the site a clean build gives.

    A clean build is one that starts from an empty cache and fills it; a build with the cache
    off is the same, with a cache it throws away (``Build.cache``). In a clean build every
    lookup misses, and a miss is the wrapped tool's own output (``memo.py``)."""
    if built_site.filled_cache:  # the site's own build was a clean one
        clean, cache = built_site.path, Path(site_cache)
    else:
        clean, cache = tmp_path / "clean", tmp_path / "cache"
        build_site(clean, built_site.url, str(cache))
    kept = {p.relative_to(cache).parts[0] for p in cache.rglob("*") if p.is_file()}
    assert {"pages", "katex.json", "figures", "exercises", "notebook-pages", "search.json",
            "highlights.json", "templates"} <= kept, kept
    build_site(tmp_path / "reading", built_site.url, str(cache))
    assert not differences(clean, tmp_path / "reading")


def test_exercise_pages_share_one_notebook_stylesheet(built_site: BuiltSite) -> None:
    """mkdocs-jupyter's stylesheet (over half a megabyte) is one file of the site that every
    exercise page links to, not a copy inside each page."""
    css = (built_site.path / "assets" / "notebook.css").read_text()
    pages = sorted((built_site.path / "exercises").glob("*/index.html"))
    assert len(pages) >= 5 and len(css) > 100_000
    for page in pages:
        html = page.read_text()
        assert '<link rel="stylesheet" href="../../assets/notebook.css">' in html, page
        assert css[:2000] not in html and len(html) < 200_000, page


def test_every_exercise_is_linked_at_the_end_of_a_page_and_listed_on_the_home_page() -> None:
    """A reader who finishes a page finds its exercise under "Where next"; the home page lists
    them all, in the order of the navigation."""
    from sitebuild.exercises import sources

    names = [p.stem for p in sources(ROOT / "docs" / "exercises")]
    link = re.compile(r"\]\(exercises/([\w-]+)\.ipynb\)")
    ends = "".join(re.split(r"^## Where next$", page.read_text(encoding="utf-8"), flags=re.M)[-1]
                   for page in PAGES)
    assert set(names) <= set(link.findall(ends)), set(names) - set(link.findall(ends))
    nav = [entry for entry in re.findall(r"exercises/([\w-]+)\.ipynb",
                                         (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))]
    assert link.findall((ROOT / "docs" / "index.md").read_text(encoding="utf-8")) == nav
    assert sorted(nav) == sorted(names)


SOURCES = ("https://stackoverflow.com/questions/", "https://discuss.pytorch.org/t/",
           "https://github.com/", "https://ai.stackexchange.com/questions/",
           "https://datascience.stackexchange.com/questions/")


def test_every_question_links_its_answer_and_where_it_was_asked() -> None:
    """docs/questions.md: each entry is a real question, with the section of the site that
    answers it and at least one public place where it was asked."""
    text = (ROOT / "docs" / "questions.md").read_text(encoding="utf-8")
    entries = re.findall(r"^- \*\*(.+?)(?=^- |^## |\Z)", text, flags=re.M | re.S)
    assert len(entries) >= 60, len(entries)
    for entry in entries:
        links = re.findall(r"\]\(([^)\s]+)\)", entry)
        answers = [link for link in links if re.fullmatch(r"[\w-]+\.md(#[\w-]+)?", link)]
        asked = [link for link in links if link.startswith(SOURCES)]
        assert answers and asked, f"docs/questions.md: {entry[:80]!r}: answers {answers}, asked {asked}"


def test_every_figure_is_on_its_page_in_both_palettes(built_site: BuiltSite) -> None:
    """Each example with a figure= option shows two images on the built page (one per palette),
    with its alt text (tests/test_sitebuild.py tries every character Markdown reads)."""
    import html

    from mkdocs.utils import get_relative_url

    from sitebuild import figures as figure_module

    problems = []
    for path in SITE.page_paths():
        page = SITE.read(path)
        stem = path.relative_to(ROOT / "docs").with_suffix("").as_posix()
        found = [f for e in page.examples if (f := figure_module.figure_of(e, stem)) is not None]
        if not found:
            continue
        built = (built_site.path / ("" if stem == "index" else stem) / "index.html").read_text()
        images = re.findall(r'<img alt="([^"]*)" class="figure" loading="lazy" src="([^"]+)"',
                            built)
        for figure in found:
            for variant in figure_module.VARIANTS:
                url = "" if stem == "index" else f"{stem}/"
                wanted = (figure.alt, f"{get_relative_url(figure.file(variant), url)}#only-{variant}")
                if wanted not in [(html.unescape(a), s) for a, s in images]:
                    problems.append(f"{figure.example.where}: no {variant} image on the page")
        if "![" in re.sub(r"<(pre|code)\b.*?</\1>", "", built, flags=re.S):
            problems.append(f"docs/{stem}.md: Markdown image syntax left as text on the page")
    assert not problems, "\n".join(problems)
