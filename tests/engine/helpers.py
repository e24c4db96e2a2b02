"""Helpers for the engine's tests: page fragments and results of fixture runs."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

import pytest

FENCE = "```"
ROOT = Path(__file__).resolve().parents[2]


class MakeSite(Protocol):
    """The ``site`` fixture (tests/engine/conftest.py): writes a fixture site, returns the
    pytester."""

    def __call__(self, pages: Mapping[str, str | bytes],
                 snippets: Mapping[str, str | bytes] | None = None,
                 ini: Mapping[str, str] | None = None) -> pytest.Pytester: ...


def page_text(pytester: pytest.Pytester, name: str = "page.md") -> str:
    return (pytester.path / "docs" / name).read_text(encoding="utf-8")


def example(code: str, output: str | None = None, info: str = "python") -> str:
    """A page fragment: a code block and, if given, its output block."""
    block = f"~~~{info}\n{textwrap.dedent(code).strip()}\n~~~\n"
    if output is not None:
        block += f"~~~output\n{textwrap.dedent(output).strip(chr(10))}\n~~~\n"
    return block + "\n"


def outcomes(result: pytest.RunResult) -> dict[str, int]:
    return {k: v for k, v in result.parseoutcomes().items() if k in ("passed", "failed", "errors")}

