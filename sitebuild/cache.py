"""The build's cache: one way to make a key, one way to write, and only what builds use.

Everything the build keeps between builds (read pages, rendered formulas, cut fonts, figures,
executed exercises, code colouring, search entries, compiled templates, notebook pages) goes
through this module:

* ``key`` makes every key, from what the kept thing is made of (content), the versions of the
  packages that make it, and the settings it is made with.
* ``write`` writes a file, or a folder of files, whole or not at all: it is written beside its
  place under a temporary name and renamed into place, so that a build stopped half-way (an
  error, Ctrl-C) or two builds sharing a cache never leave a half-written entry that a later
  build would take for a finished one.
* ``Cache`` hands out the kinds of things kept (``Blobs``: a file per key; ``Entries``: a
  folder of files per key; ``Kept``: values in one JSON file; ``Cache.folder``: a folder per
  version tag that another tool fills), notes which entries the build uses, and at the end of
  a successful build (``Cache.save``) drops every entry it did not use: the cache holds what
  the last build of the site needs, and an edit never leaves the entry of the old text behind.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

# A temporary file or folder left by a build that was killed (no ``finally`` ran) is removed
# by a later build once it is this old (seconds): a build running now may still be writing a
# younger one.
ABANDONED = 3600.0


def key(*content: object, versions: Iterable[str] = (), settings: object = None) -> str:
    """The key of what is made of ``content`` by the packages named in ``versions`` (their
    installed versions count), with ``settings``. Any value JSON can write, or its ``str``."""
    made_of = [content, {name: _version(name) for name in versions}, settings]
    text = json.dumps(made_of, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@functools.cache
def _version(package: str) -> str:
    return metadata.version(package)


def write(path: Path, data: bytes | str | Mapping[str, bytes]) -> None:
    """Write ``data`` to ``path`` whole: a file (bytes or text), or a folder holding one file
    per name of the mapping. A reader finds the old file or folder, the new one, or none. A
    folder that exists already (another build wrote the same entry) is left as it is."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, Mapping):
        temporary = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}."))
        try:
            for name, content in data.items():
                (temporary / name).write_bytes(content)
            os.replace(temporary, path)
        except OSError:
            shutil.rmtree(temporary, ignore_errors=True)
            if not path.is_dir():
                raise
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise
        return
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _prune(folder: Path, used: set[str]) -> None:
    """Remove what ``folder`` holds but ``used`` does not name, and abandoned temporaries."""
    if not folder.is_dir():
        return
    now = time.time()
    for path in folder.iterdir():
        if path.name.startswith("."):
            try:
                old = now - path.lstat().st_mtime > ABANDONED
            except OSError:
                continue
            if old:
                _remove(path)
        elif path.name not in used:
            _remove(path)


class Entries:
    """Things kept under a key, each a folder of named files (``<folder>/<key>/<name>``)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()

    def get(self, key: str) -> dict[str, bytes] | None:
        """The files of the entry ``key``, or None if the cache does not hold it."""
        self.used.add(key)
        entry = self.folder / key
        try:
            return {path.name: path.read_bytes() for path in sorted(entry.iterdir())}
        except OSError:  # not there, or removed by another build as it was read
            return None

    def put(self, key: str, files: Mapping[str, bytes]) -> None:
        self.used.add(key)
        write(self.folder / key, files)

    def prune(self) -> None:
        _prune(self.folder, self.used)


class Blobs:
    """Things kept under a key, each one file (``<folder>/<key>``)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()

    def get(self, key: str) -> bytes | None:
        self.used.add(key)
        try:
            return (self.folder / key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        self.used.add(key)
        write(self.folder / key, data)

    def prune(self) -> None:
        _prune(self.folder, self.used)


class Kept:
    """Values kept in one JSON file under their keys; ``save`` writes back the ones this build
    used, and only those. Without a file, values are kept in memory only."""

    def __init__(self, file: Path | None):
        self.file = file
        self.kept: dict[str, Any] = {}
        try:
            loaded = json.loads(file.read_text(encoding="utf-8")) if file is not None else {}
        except (OSError, ValueError):  # none yet, or not JSON: a cache is only a cache
            loaded = {}
        if isinstance(loaded, dict):
            self.kept = loaded
        self.used: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        """The value kept under ``key`` (None if none), which this build then keeps."""
        value = self.used.get(key)
        if value is None:
            value = self.kept.get(key)
            if value is not None:
                self.used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self.used[key] = value

    def save(self) -> None:
        if self.file is not None and self.used != self.kept:
            write(self.file, json.dumps(self.used))


class Cache:
    """The cache of one build, in ``root``: every kind of thing kept, by the name of its file
    or folder there."""

    def __init__(self, root: Path):
        self.root = root
        self._entries: dict[str, Entries | Blobs] = {}
        self._kept: dict[str, Kept] = {}
        self._tags: dict[str, set[str]] = {}

    def entries(self, name: str) -> Entries:
        found = self._entries.setdefault(name, Entries(self.root / name))
        assert isinstance(found, Entries), name
        return found

    def blobs(self, name: str) -> Blobs:
        found = self._entries.setdefault(name, Blobs(self.root / name))
        assert isinstance(found, Blobs), name
        return found

    def kept(self, name: str) -> Kept:
        if name not in self._kept:
            self._kept[name] = Kept(self.root / name)
        return self._kept[name]

    def folder(self, name: str, tag: str) -> Path:
        """A folder that another tool fills and keeps up (Jinja's compiled templates,
        mkdocs-jupyter's pages), one per ``tag`` (the versions and settings that make its
        contents): the folders of other tags are dropped at the end of the build."""
        self._tags.setdefault(name, set()).add(tag)
        folder = self.root / name / tag
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def save(self) -> None:
        """Write back what this build used; drop every entry it did not use."""
        for kept in self._kept.values():
            kept.save()
        for entries in self._entries.values():
            entries.prune()
        for name, tags in self._tags.items():
            _prune(self.root / name, tags)
