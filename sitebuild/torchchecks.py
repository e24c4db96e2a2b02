"""The torch releases each page's outputs were checked with, besides the pinned one.

The doc-test checks every page against the torch of the environment (the pin of
``pyproject.toml``). ``make check-torch VERSION=x.y.z`` runs it again against another torch in
an environment of its own, and records here, in ``torch-checks.json`` beside ``mkdocs.yml``, for
that release and each page: a fingerprint of the page's examples (their code, the output the page
shows, the error they declare) and how many of them printed something else. A page says it was
checked with a release only while its examples are still the ones that were checked: an edit to
an example or its output drops the claim until the check runs again.

    python -m sitebuild.torchchecks RELEASE REPORT.xml

records a run whose pytest report (``--junitxml``) is ``REPORT.xml``, prints which outputs
differ, and ends with status 1 if any does.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from packaging.version import InvalidVersion, Version

from docscheck import Page, Site

RECORD = "torch-checks.json"


def fingerprint(page: Page) -> str:
    """What a check of ``page`` depends on in the page: its examples, as the doc-test runs and
    compares them (the prose is not part of it)."""
    parts = [json.dumps([e.code, e.shown, e.raises, e.continues]) for e in page.examples]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@dataclasses.dataclass(frozen=True)
class Check:
    release: str  # "2.14.1"
    differ: int  # how many of the page's examples printed something else


def release(version: str) -> str:
    """A torch version without its local part: "2.14.1" for "2.14.1+cpu"."""
    return version.split("+")[0]


Record = dict[str, dict[str, dict[str, object]]]  # release -> page -> its check


class RecordError(Exception):
    """A torch-checks.json that cannot be read; the message names it."""


def load(root: Path) -> Record:
    """The record beside ``mkdocs.yml`` (empty if there is none), its shape checked."""
    path = root / RECORD
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as e:
        raise RecordError(f"{RECORD}: not JSON: {e}") from None
    if not isinstance(data, dict):
        raise RecordError(f"{RECORD}: must hold an object of releases, not {type(data).__name__}")
    for version, pages in data.items():
        if not isinstance(pages, dict):
            raise RecordError(f"{RECORD}: release {version!r} must hold an object of pages")
        for uri, entry in pages.items():
            if not (isinstance(entry, dict) and isinstance(entry.get("examples"), str)
                    and isinstance(entry.get("differ"), int)):
                raise RecordError(f'{RECORD}: {version!r}, {uri!r}: expected {{"examples": '
                                  f'"<fingerprint>", "differ": <count>}}, not {entry!r}')
    return data


def _version(release: str) -> tuple[int, object]:
    try:
        return 0, Version(release)
    except InvalidVersion:
        return 1, release


def checks(record: Record, uri: str, page: Page) -> list[Check]:
    """The recorded checks of the page ``docs/<uri>`` that still apply to it, oldest release
    first (2.9 before 2.10)."""
    found = []
    current = fingerprint(page)
    for version in sorted(record, key=_version):
        entry = record[version].get(uri)
        if entry is not None and entry.get("examples") == current:
            found.append(Check(version, int(str(entry.get("differ", 0)))))
    return found


def statement(pinned: str, also: list[Check]) -> str:
    """The sentence under a page's title."""
    from .notebooks import listed

    same = [c.release for c in also if c.differ == 0]
    text = f"Every output on this page was checked with torch {listed([pinned, *same])}."
    for check in also:
        if check.differ:
            text += (f" With torch {check.release}, {check.differ} of them "
                     f"print{'s' if check.differ == 1 else ''} something else.")
    return text


def _failed(report: Path, classnames: dict[str, str]) -> tuple[dict[str, int], dict[str, list[str]]]:
    """From a pytest report of the doc-test: how many examples ran per page, and the failures
    of each, as ``line: first line of message``. ``classnames``: the class name pytest gives
    each page's tests (``docs.sub.page.md``) -> the page (``sub/page.md``)."""
    if not report.is_file():
        raise SystemExit(f"{report}: no report: the doc-test did not run to its end")
    ran: dict[str, int] = {}
    failed: dict[str, list[str]] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        uri = classnames.get(case.get("classname", ""))
        if uri is None:
            continue
        ran[uri] = ran.get(uri, 0) + 1
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is not None:
            message = (problem.get("message") or "").split("\n")[0]
            failed.setdefault(uri, []).append(f"{case.get('name')}: {message}")
    return ran, failed


def record(root: Path, version: str, report: Path) -> list[str]:
    """Record the check of ``version`` whose pytest report is ``report``; return what differs,
    one line per example."""
    site = Site.load(root / "mkdocs.yml")
    docs = site.config.docs_dir
    # pytest names a page's tests by its path, "/" as ".": docs/a.b.md and docs/a/b.md would
    # share a name.
    classnames: dict[str, str] = {}
    for path in site.page_paths():
        name = path.relative_to(root).as_posix().replace("/", ".")
        if name in classnames:
            raise SystemExit(f"{RECORD}: docs/{classnames[name]} and "
                             f"{path.relative_to(root).as_posix()} have the same name in a "
                             "pytest report; rename one")
        classnames[name] = path.relative_to(docs).as_posix()
    ran, failed = _failed(report, classnames)
    pages: dict[str, dict[str, object]] = {}
    for path in site.page_paths():
        uri = path.relative_to(docs).as_posix()
        page = site.read(path)
        if not page.examples:
            continue
        if ran.get(uri, 0) != len(page.examples):
            raise SystemExit(f"{RECORD}: the report ran {ran.get(uri, 0)} examples of "
                             f"docs/{uri}, which has {len(page.examples)}: not a whole doc-test "
                             "of this version of the pages")
        pages[uri] = {"examples": fingerprint(page), "differ": len(failed.get(uri, []))}
    try:
        data = load(root)
    except RecordError as e:
        raise SystemExit(str(e)) from None
    data[release(version)] = pages
    (root / RECORD).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return [f"docs/{uri} {line}" for uri, lines in sorted(failed.items()) for line in lines]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m sitebuild.torchchecks RELEASE REPORT.xml", file=sys.stderr)
        return 2
    version, report = argv
    differ = record(Path.cwd(), version, Path(report))
    total = sum(1 for _ in ET.parse(report).getroot().iter("testcase"))
    print(f"torch {release(version)}: {total - len(differ)} of {total} examples print what their "
          f"pages show; recorded in {RECORD}.")
    for line in differ:
        print(f"  differs: {line}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
