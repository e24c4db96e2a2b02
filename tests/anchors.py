"""Links to a part of a page (``page/#part``, ``#part``) in a built site, and whether the part is
there: every page is read once.

LinkChecker can check anchors too (its AnchorCheck plugin), but it downloads and parses a page
again for every distinct anchor linked on it: over a minute for this site, against seconds
here. LinkChecker still checks every link itself.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []  # (line, href)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if found.get(name):
                self.ids.add(str(found[name]))
        if tag in ("a", "area", "link") and found.get("href"):
            self.links.append((self.getpos()[0], str(found["href"])))


def _address(site: Path, page: Path) -> str:
    """The URL path of a page of the site: ``vjp/index.html`` is ``/vjp/index.html``."""
    return "/" + page.relative_to(site).as_posix()


def broken_anchors(site: Path, site_url: str = "") -> tuple[int, list[str]]:
    """How many links of the site's HTML pages point to an anchor within the site, and those
    whose anchor the page they point to lacks, as ``page:line: href (why)``. Links to other
    hosts are left to LinkChecker; absolute links to ``site_url`` are links within the site."""
    pages: dict[str, _Page] = {}
    for file in sorted(site.rglob("*.html")):
        parser = _Page()
        parser.feed(file.read_text(encoding="utf-8"))
        parser.close()
        pages[_address(site, file)] = parser
    base = urlsplit(site_url)
    problems = []
    checked = 0
    for address, page in pages.items():
        for line, href in page.links:
            target = urlsplit(urljoin(address, href))
            if not target.fragment:
                continue
            path = target.path
            if target.scheme or target.netloc:
                if (target.scheme, target.netloc) != (base.scheme, base.netloc) or not base.netloc:
                    continue
                prefix = base.path.rstrip("/")
                if not path.startswith(prefix + "/"):
                    continue  # the same host, outside the site
                path = path[len(prefix):]
            if path.endswith("/"):
                path += "index.html"
            checked += 1
            where = f"{address.lstrip('/')}:{line}: {href}"
            linked = pages.get(path)
            if linked is None:
                if not path.endswith((".html", "/")) and (site / path.lstrip("/")).is_file():
                    continue  # a part of a file that is not a page (a notebook, an image)
                problems.append(f"{where} (no page {path})")
            elif unquote(target.fragment) not in linked.ids:
                problems.append(f"{where} (no element with id {unquote(target.fragment)!r})")
    return checked, problems
