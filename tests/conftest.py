"""Shared fixtures: the site, built once per test run, and served over HTTP on 127.0.0.1.

`make test` runs the tests in several processes (pytest-xdist, one per core). The first
process that needs the site builds it, under a file lock, into the run's shared temporary
folder; the others wait for it and use the same files. ``pytest_xdist_make_scheduler`` hands
the tests out one by one, except the groups that must stay in one process.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from filelock import FileLock

from sitebuild.hosting import CHROMIUM, CHROMIUM_ARGS, serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser
    from xdist.remote import Producer
    from xdist.scheduler import LoadScopeScheduling

ROOT = Path(__file__).resolve().parents[1]


@dataclasses.dataclass
class BuiltSite:
    path: Path
    url: str
    log: str
    # The cache the build used (None: none), and whether it was empty before, so that the
    # build rendered and executed everything and filled it.
    cache: Path | None
    filled_cache: bool


def cache_off() -> bool:
    """Whether the builds of this run have the cache off (``SITEBUILD_CACHE=false``, as in CI)."""
    return os.environ.get("SITEBUILD_CACHE", "true").strip().lower() == "false"


def with_cache(folder: str | Path) -> dict[str, str]:
    """The environment of a build that keeps its cache in ``folder``."""
    return {"SITEBUILD_CACHE": "true", "SITEBUILD_CACHE_DIR": str(folder)}


def build_site(out: Path, site_url: str, cache: str | None = None) -> BuiltSite:
    """`mkdocs build --strict` into ``out`` (with its cache in the folder ``cache`` if given);
    fails the test with the build log if the build does."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url}
    if cache is not None:
        env.update(with_cache(cache))
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict",
         "-d", str(out)],
        cwd=ROOT, capture_output=True, text=True, env=env)
    log = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{log}", pytrace=False)
    folder = None if cache is None and cache_off() else Path(cache or ROOT / ".cache")
    return BuiltSite(out, site_url, log, folder, False)


def _free_port() -> int:
    """A free port below the range the system hands out by itself (to a server on port 0, a
    browser or a kernel connecting), so that it is still free when the link check serves the
    site there, minutes later, while other test processes open connections."""
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        low = int(f.read().split()[0])
    for port in random.sample(range(max(1024, low - 12000), low), 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for the site")


def _shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of the whole run, which every test process sees."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture
def ctrl_c() -> Iterator[None]:
    """Ctrl-C (SIGINT) acts as at a terminal, in the test's process and in the processes it
    starts, also when the tests run with SIGINT ignored: a shell starts its background jobs so,
    and a process inherits that (Python then never raises KeyboardInterrupt). A handler, unlike
    "ignored", is not inherited: a process the test starts gets SIGINT's default."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The site, built for the address it is served at in these tests (so that absolute links
    to the site, as in the notebooks, can be checked too).

    With the cache off (``SITEBUILD_CACHE=false``, as in CI) it is built with an empty cache
    of its own, which it fills: everything is rendered and executed, and the other builds of
    the tests start from a copy of that cache. Otherwise it uses the author's cache."""
    shared = _shared_folder(tmp_path_factory)
    record = shared / "built-site.json"
    with FileLock(shared / "built-site.lock"):
        if not record.is_file():
            fresh = cache_off()
            cache = shared / "site-cache" if fresh else None
            try:
                site = build_site(shared / "site", f"http://127.0.0.1:{_free_port()}/",
                                  str(cache) if cache else None)
            except pytest.fail.Exception as e:
                record.write_text(json.dumps({"error": str(e)}))
                raise
            site.filled_cache = fresh
            record.write_text(json.dumps({
                "path": str(site.path), "url": site.url, "log": site.log,
                "cache": str(site.cache) if site.cache else None, "filled_cache": fresh}))
        known = json.loads(record.read_text())
    if "error" in known:
        pytest.fail(f"(the build of another test process) {known['error']}", pytrace=False)
    return BuiltSite(Path(known["path"]), known["url"], known["log"],
                     Path(known["cache"]) if known["cache"] else None, known["filled_cache"])


@pytest.fixture
def site_cache(built_site: BuiltSite, tmp_path: Path) -> str:
    """A copy of the cache the site was built with, for a test's own build of the site: it
    renders and executes nothing the site's build did, and never writes to a cache another
    build is reading."""
    copy = tmp_path / "site-cache"
    if built_site.cache is not None and built_site.cache.is_dir():
        shutil.copytree(built_site.cache, copy)
    return str(copy)


@pytest.fixture(scope="session")
def site_server(built_site: BuiltSite) -> Iterator[str]:
    """The base URL of the built site, served on 127.0.0.1 by this test process."""
    url, server = serve(built_site.path)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def site_at_its_address(built_site: BuiltSite) -> Iterator[str]:
    """The base URL of the built site, served at the address it was built for (absolute links
    to the site resolve), for as long as one test runs."""
    port = int(built_site.url.rsplit(":", 1)[1].strip("/"))
    url, server = serve(built_site.path, port)
    yield url
    server.shutdown()
    server.server_close()


# The tests that must run in one process, by the start of their node id: the pages' examples
# and the tests that run examples share the engine's warm interpreters; a module whose
# fixture runs every notebook or exercise in kernels runs it once.
TOGETHER = {
    "docs/": "examples",
    "tests/test_site.py::test_snippet_run_on_its_own": "examples",
    "tests/test_site.py::test_every_character_of_every_output_block": "examples",
    "tests/test_notebooks.py::": "notebooks",
    "tests/test_exercises.py::": "exercises",
}


def together(nodeid: str) -> str:
    """The unit of work a test belongs to: its group, or itself."""
    return next((group for start, group in TOGETHER.items() if nodeid.startswith(start)),
                nodeid)


@pytest.hookimpl(tryfirst=True, optionalhook=True)  # without pytest-xdist, no such hook
def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> LoadScopeScheduling:
    """pytest-xdist's scheduling by scope, with ``together`` as the scope. (Its `loadgroup`
    does the same from `xdist_group` marks, but not with pytest 9.2's node ids.)"""
    from xdist.scheduler import LoadScopeScheduling

    class Together(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return together(nodeid)

    return Together(config, log)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium, one per test process, for the tests that open pages as a reader does
    (tests/test_browser.py, tests/test_serve.py). Without Chromium they skip, unless CI is set."""
    from tests.test_browser import SCREENSHOTS

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but Chromium is not installed at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}: install the Debian package `chromium` "
                    "to run the browser tests (CI installs it)")
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
