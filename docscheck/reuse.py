"""Results kept between doc-tests: a chain that passed is not run again while nothing that can
change what it prints has changed.

A chain's key is a digest of everything its output can depend on: its examples (code with its
includes expanded, where each line came from, options, the output blocks shown), the
repository's other files (every file but the Markdown pages, which hold no code but their
own examples: snippets, helper modules, data files, ``pyproject.toml``), the engine's own code,
the versions of Python, torch and NumPy, and the doc-test's settings (warm-up, time limit, the
runs made). The store (``.cache/docscheck/passed.json`` under the root) holds, for each chain's
place (page and first example), the key of its last passing run: at most one entry per chain of
the site (of pages that exist), so it cannot grow as pages are edited. ``--no-cache`` runs
everything (and keeps what passed); a thorough doc-test (CI) runs everything and keeps nothing.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .workdir import repository_files

if TYPE_CHECKING:
    from .page import Example

STORE = Path(".cache") / "docscheck" / "passed.json"
ENGINE = Path(__file__).resolve().parent


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "none"


def slot(chain: Sequence[Example]) -> str:
    """A chain's place: its page and the index of its first example."""
    return f"{chain[0].page}#{chain[0].index}"


class PassedChains:
    """The keys of the chains that passed, read from and written to the store under ``root``."""

    def __init__(self, root: Path, pages: Iterable[Path], settings: object):
        self.path = root / STORE
        digest = hashlib.sha256()
        pages = {p.resolve() for p in pages}
        for name in repository_files(root):
            path = root / name
            if path.resolve() in pages:
                continue
            digest.update(name.encode() + b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError:  # a dangling link: its name is what counts
                pass
            digest.update(b"\0")
        for path in sorted(ENGINE.glob("*.py")):
            digest.update(path.read_bytes())
        digest.update(json.dumps([sys.version, _version("torch"), _version("numpy"),
                                  settings], default=str).encode())
        self.base = digest.hexdigest()
        try:
            known = json.loads(self.path.read_text(encoding="utf-8"))
            self.known: dict[str, str] = known if isinstance(known, dict) else {}
        except (OSError, ValueError):
            self.known = {}
        self.results: dict[str, str | None] = {}  # slot -> key passed now, or None: failed

    def key(self, chain: Sequence[Example]) -> str:
        digest = hashlib.sha256(self.base.encode())
        for example in chain:
            digest.update(json.dumps([
                example.page, example.code, [(o.path, o.line) for o in example.code_origins],
                example.raises, example.timeout,
                None if example.output is None else example.output.text,
            ]).encode())
        return digest.hexdigest()

    def passed(self, chain: Sequence[Example]) -> bool:
        """Whether ``chain`` passed last time with everything as it is now."""
        return self.known.get(slot(chain)) == self.key(chain)

    def record(self, chain: Sequence[Example], passed: bool) -> None:
        self.results[slot(chain)] = self.key(chain) if passed else None

    def save(self) -> None:
        """Write the store with this session's results (the other chains' entries kept)."""
        root = self.path.parents[2]
        store = {place: key for place, key in self.known.items()  # pages that still exist
                 if (root / place.rpartition("#")[0]).is_file()}
        for place, key in self.results.items():
            if key is None:
                store.pop(place, None)
            else:
                store[place] = key
        if store == self.known:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".passed-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(store, f, indent=0, sort_keys=True)
        os.replace(temporary, self.path)
