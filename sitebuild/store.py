"""Writing to the build's cache whole or not at all.

A build stopped half-way (an error, Ctrl-C) or two builds sharing a cache must never leave a
file or a folder of the cache half-written: a later build would take it for a finished one.
Everything is written beside its place under a temporary name, then renamed into place.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole: a reader finds the old file, the new one, or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def copy_folder(files: Iterable[Path], folder: Path) -> None:
    """Make ``folder`` hold copies of ``files``, all of them or (when it exists already, as
    another build made it) leave it as it is."""
    if folder.is_dir():
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        for file in files:
            shutil.copyfile(file, temporary / file.name)
        os.replace(temporary, folder)
    except OSError:
        shutil.rmtree(temporary, ignore_errors=True)
        if not folder.is_dir():
            raise
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
