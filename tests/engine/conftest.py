"""Fixture sites for the engine's tests: a folder with mkdocs.yml, docs/ and snippets/, run by
pytest in this process (pytester). The engine is loaded as it is for any project, through its
entry point; the fixture's pytest settings give it no warm-up unless a test asks for one, so
each fixture session starts its warm interpreter in a fraction of a second."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import pytest

from tests.engine.helpers import FENCE, MakeSite

MKDOCS_YML = """\
site_name: fixture
markdown_extensions:
  - admonition
  - attr_list
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.snippets:
      base_path: ["."]
      check_paths: true
"""

@pytest.fixture
def site(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> MakeSite:
    """``site(pages={...}, snippets={...}, ini={...})`` writes a fixture site and returns the
    pytester. In page texts, ``~~~`` stands for a backtick fence. Its doc-test makes two runs
    of each chain, also in CI (a test asks for a thorough one with --docscheck-thorough)."""
    monkeypatch.delenv("CI", raising=False)

    def write(pages: Mapping[str, str | bytes], snippets: Mapping[str, str | bytes] | None = None,
              ini: Mapping[str, str] | None = None) -> pytest.Pytester:
        settings = {"addopts": "-p no:cacheprovider -p no:hypothesispytest", "testpaths": "docs",
                    "docscheck_timeout": "10", **(ini or {})}
        pytester.makeini("[pytest]\n" + "".join(f"{k} = {v}\n" for k, v in settings.items()))
        (pytester.path / "mkdocs.yml").write_text(MKDOCS_YML)
        for folder, files in (("docs", pages), ("snippets", snippets or {})):
            for name, text in files.items():
                path = pytester.path / folder / name
                path.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(text, bytes):
                    path.write_bytes(text)
                else:
                    path.write_text(textwrap.dedent(text).replace("~~~", FENCE), encoding="utf-8")
        return pytester

    return write
