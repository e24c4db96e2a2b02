"""A built site as a reader gets it: served over HTTP, and opened in headless Chromium.

``serve`` serves a site folder on 127.0.0.1 from a background thread, plain or with text
gzip-compressed as static hosts such as GitHub Pages send it; ``CHROMIUM`` and
``CHROMIUM_ARGS`` are the browser that opens it and its flags. The browser tests, the link check
and the benchmark use them; the site build does not.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import shutil
import threading
from pathlib import Path
from typing import Any

# The system's Chromium (the Debian package `chromium`, which CI installs).
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags for a headless browser on a machine with no network but the loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the standard library's signature
        pass

    def end_headers(self) -> None:
        # LinkChecker waits 0.1 to 0.6 s between two requests to a host, unless the host sends
        # this header; then it keeps to its `maxrequestspersecond` setting.
        self.send_header("LinkChecker", "local test server")
        super().end_headers()


class GzipHandler(QuietHandler):
    """Compresses text as static hosts such as GitHub Pages do (fonts are compressed already)."""

    TEXT = {".html", ".css", ".js", ".json", ".xml", ".svg"}

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.endswith("/"):
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if path.suffix not in self.TEXT or not path.is_file() or not accepts_gzip:
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(directory: Path, port: int = 0,
          compress: bool = False) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Serve ``directory`` in a background thread; returns its base URL and the server."""
    handler = functools.partial(GzipHandler if compress else QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server
