"""Serving a built site on 127.0.0.1, for the browser tests, the link check and the benchmark."""

from __future__ import annotations

import functools
import gzip
import http.server
import threading
from pathlib import Path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the standard library's signature
        pass

    def end_headers(self):
        # LinkChecker waits 0.1 to 0.6 s between two requests to a host, unless the host sends
        # this header; then it keeps to its `maxrequestspersecond` setting.
        self.send_header("LinkChecker", "local test server")
        super().end_headers()


class GzipHandler(QuietHandler):
    """Compresses text as static hosts such as GitHub Pages do (fonts are compressed already)."""

    TEXT = {".html", ".css", ".js", ".json", ".xml", ".svg"}

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.endswith("/"):
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if path.suffix not in self.TEXT or not path.is_file() or not accepts_gzip:
            return super().do_GET()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(directory: Path, port: int = 0, compress: bool = False):
    """Serve ``directory`` in a background thread; returns its base URL and the server."""
    handler = functools.partial(GzipHandler if compress else QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server
