"""`mkdocs serve` as an author uses it (sitebuild/live.py), on a copy of the site, in a browser:
a snippet edited to print something else marks its output block as out of date on the page the
browser shows (which reloads by itself), a failed build shows its error instead of leaving the
request waiting, and fixing it brings the page back."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import with_cache

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# The folder of the copy `mkdocs serve` serves, the URL of a page, and the server's log.
Served = tuple[Path, str, Path]


@pytest.fixture
def served(tmp_path: Path, site_cache: str) -> Iterator[Served]:
    """`mkdocs serve` on a copy of the site (its cache copied from the site's build): the
    copy's folder and the page URL of derivatives.md, and the server's log."""
    work = tmp_path / "work"
    work.mkdir()
    for name in ("docs", "snippets"):
        shutil.copytree(ROOT / name, work / name)
    for name in ("mkdocs.yml", "pyproject.toml", "torch-checks.json"):
        shutil.copy(ROOT / name, work / name)
    for name in ("node_modules", "overrides"):
        (work / name).symlink_to(ROOT / name)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "serve.log"
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **with_cache(site_cache),
           "TMPDIR": str(temporary)}
    with open(log, "w") as out:
        server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"],
                                  cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/derivatives/"
    try:
        for _ in range(1200):
            if server.poll() is not None:
                pytest.fail(f"mkdocs serve ended:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if b"</html>" in response.read():
                        break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(f"mkdocs serve never served {url}:\n{log.read_text()}")
        yield work, url, log
    finally:
        server.terminate()
        server.wait(timeout=60)
    # Ended with SIGTERM, the server leaves nothing behind: not its site folder, not the warm
    # interpreters' run files (torch's compiler cache is torch's own).
    left = [p.name for p in temporary.iterdir() if not p.name.startswith("torchinductor_")]
    assert not left, left


def _fetch(url: str, limit: float = 10) -> tuple[float, str]:
    """The page at ``url``, and how long the request took (the server must not hold it)."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=limit) as response:
            return time.perf_counter() - start, response.read().decode()
    except urllib.error.HTTPError as e:
        return time.perf_counter() - start, e.read().decode()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edited_snippet_shows_what_it_prints_now_on_the_served_page(served: Served,
                                                                        browser: Browser) -> None:
    work, url, log = served
    page = browser.new_page()
    page.goto(url)
    assert page.locator(".admonition.failure").count() == 0
    time.sleep(1)  # the watcher settles after the first build
    snippet = work / "snippets" / "derivatives" / "one_point.py"
    _edit(snippet, "print(x.grad)", "print(x.grad * 2)")
    # The browser reloads by itself (MkDocs' live reload) and shows the mark.
    mark = page.locator(".admonition.failure")
    mark.wait_for(timeout=60_000)
    text = mark.inner_text()
    assert "Out of date: this example prints something else now" in text
    assert "tensor(4.)" in text and "make update" in text
    assert ".venv/bin/python -m pytest docs/derivatives.md --update-output" in text
    # right under the output block the page still shows
    above = mark.evaluate("e => [e.previousElementSibling.className, "
                          "e.previousElementSibling.textContent.trim()]")
    assert "language-output" in above[0] and above[1] == "tensor(2.)", above
    assert re.search(r"docs/derivatives\.md:\d+ \(code from snippets/derivatives/one_point\.py\): "
                     r"out of date: .*\(make update writes it\)", log.read_text())
    # Put back, the example prints what the page shows again: the mark goes.
    _edit(snippet, "print(x.grad * 2)", "print(x.grad)")
    page.locator(".admonition.failure").wait_for(state="detached", timeout=60_000)
    page.close()


def test_a_failed_build_shows_its_error_and_no_request_waits(served: Served) -> None:
    work, url, log = served
    time.sleep(1)
    page = work / "docs" / "derivatives.md"
    include = '--8<-- "snippets/derivatives/many_points.py"'
    line = page.read_text(encoding="utf-8").split("\n").index(include) + 1
    _edit(page, include, '--8<-- "snippets/gone.py"')
    for _ in range(300):  # until the failed build is over
        if "The build failed" in log.read_text():
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"the build did not fail:\n{log.read_text()}")
    took, html = _fetch(url)
    assert took < 5, took  # not held until a build succeeds
    assert 'class="sitebuild-build-error"' in html and "livereload" in html
    # A build under way when the page was saved may fail first, with MkDocs' own words ("Error
    # reading page"); the build after it names the page line.
    expected = (f"docs/derivatives.md:{line}: Snippet at path &#x27;snippets/gone.py&#x27; "
                "could not be found")
    for _ in range(300):
        if expected in html:
            break
        time.sleep(0.1)
        took, html = _fetch(url)
        assert took < 5, took
    assert expected in html, html.split("<script>")[0]
    assert "The page reloads when a build succeeds." in html
    # A build that fails again for the same reason (MkDocs logs each message once) says why.
    failed = log.read_text().count("The build failed")
    _edit(page, '--8<-- "snippets/gone.py"', '--8<-- "snippets/gone.py"\n')
    for _ in range(300):
        if log.read_text().count("The build failed") > failed:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"the build did not fail again:\n{log.read_text()}")
    took, html = _fetch(url)
    assert "snippets/gone.py&#x27; could not be found" in html
    _edit(page, '--8<-- "snippets/gone.py"\n', include)
    for _ in range(300):
        took, html = _fetch(url)
        if "sitebuild-build-error" not in html and "</html>" in html:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the error stayed after the page was fixed")
    assert "At many points" in html
