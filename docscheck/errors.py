"""The engine's errors. Each message starts with the file and line it is about."""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence


class PageError(Exception):
    """A page (or a file it includes) that cannot be checked as written."""


def decode_utf8(data: bytes, where: str) -> str:
    """``data`` as text, or a PageError naming ``where`` and the line of the first bad byte.

    A UTF-8 byte order mark is dropped, as MkDocs drops it.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise PageError(f"{where}:{line}: not UTF-8 (byte 0x{data[e.start]:02x} at column "
                        f"{column}); save the file as UTF-8") from None


# Python's rule for a source file's encoding declaration (PEP 263): on the first line, or on the
# second if the first holds only a comment or nothing.
_COOKIE = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.ASCII)
_BLANK = re.compile(r"^[ \t\f]*(?:#.*)?$", re.ASCII)


def check_coding(lines: Sequence[str], where: Sequence[str]) -> None:
    """A PageError if the first lines of Python source ``lines`` declare an encoding other than
    UTF-8: Python would read the file in that encoding, the site shows it as UTF-8, so the
    page and ``python file.py`` would differ. ``where(i)`` names line ``i`` (0-based)."""
    for index, line in enumerate(lines[:2]):
        match = _COOKIE.match(line)
        if match is not None:
            name = match.group(1)
            try:
                known = codecs.lookup(name).name
            except LookupError:
                raise PageError(f"{where[index]}: declares the encoding {name!r}, which Python "
                                "does not know (it would refuse to run the file); remove the "
                                "declaration: files are UTF-8") from None
            if known != "utf-8":
                raise PageError(f"{where[index]}: declares the encoding {name!r}: Python would "
                                f"read the file as {known}, but the site shows it as UTF-8, so "
                                "the page and the file would differ; remove the declaration "
                                "(files are UTF-8)")
            return
        if not _BLANK.match(line):
            return
