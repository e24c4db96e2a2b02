"""Shared fixtures: the site, built once per test session."""

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@dataclasses.dataclass
class BuiltSite:
    path: Path
    log: str


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    """`mkdocs build --strict` into a temporary folder; fails with the build log if the build does."""
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-d", str(out)],
        cwd=ROOT, capture_output=True, text=True, env=env)
    log = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{log}", pytrace=False)
    return BuiltSite(out, log)
