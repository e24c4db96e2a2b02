"""The engine's errors. Each message starts with the file and line it is about."""

from __future__ import annotations


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
