"""Shared fixtures: the site, built once per test session, and served over HTTP on 127.0.0.1."""

import dataclasses
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.serving import serve

ROOT = Path(__file__).resolve().parents[1]


@dataclasses.dataclass
class BuiltSite:
    path: Path
    url: str
    log: str


def build_site(out: Path, site_url: str) -> BuiltSite:
    """`mkdocs build --strict` into ``out``; fails the test with the build log if the build does."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict",
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


@pytest.fixture(scope="session")
def site_server(built_site):
    """The base URL of the built site, served on 127.0.0.1 at the port it was built for."""
    port = int(built_site.url.rsplit(":", 1)[1].strip("/"))
    url, server = serve(built_site.path, port)
    yield url
    server.shutdown()
    server.server_close()
