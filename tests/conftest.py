"""Shared fixtures: the site, built once per test session, and served over HTTP on 127.0.0.1."""

import dataclasses
import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@dataclasses.dataclass
class BuiltSite:
    path: Path
    url: str
    log: str

    def pages(self) -> list[str]:
        """The URL path of every page, e.g. "" for the home page and "vjp/" for docs/vjp.md."""
        found = []
        for index in sorted(self.path.rglob("index.html")):
            rel = index.parent.relative_to(self.path).as_posix()
            found.append("" if rel == "." else rel + "/")
        return found


def build_site(out: Path, site_url: str, config: Path = ROOT / "mkdocs.yml") -> BuiltSite:
    """`mkdocs build --strict` into ``out``; fails the test with the build log if the build does."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-f", str(config),
         "-d", str(out)],
        cwd=ROOT, capture_output=True, text=True, env=env)
    log = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{log}", pytrace=False)
    return BuiltSite(out, site_url, log)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    """The site, built for the address it is served at in these tests (so that absolute links
    to the site, as in the notebooks, can be checked too)."""
    return build_site(tmp_path_factory.mktemp("site"), f"http://127.0.0.1:{_free_port()}/")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the standard library's signature
        pass


@pytest.fixture(scope="session")
def site_server(built_site):
    """The base URL of the built site, served on 127.0.0.1 at a free port."""
    handler = functools.partial(_QuietHandler, directory=str(built_site.path))
    port = int(built_site.url.rsplit(":", 1)[1].strip("/"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield built_site.url
    server.shutdown()
    server.server_close()
