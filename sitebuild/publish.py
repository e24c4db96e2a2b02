"""Gather a built site's notebooks under the names its "Open in Colab" links use.

Colab opens notebooks from GitHub, so the deploy workflow runs
``python -m sitebuild.publish site notebooks`` and pushes the folder to the repository's
``notebooks`` branch. A page's notebook (``site/notebooks/<page>.ipynb``) keeps its name; an
exercise's (``site/exercises/<name>/<name>.ipynb``) becomes ``exercises-<name>.ipynb``, the
name :func:`sitebuild.notebooks.colab_url` gives it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from sitebuild import notebooks


def published(site: Path) -> dict[str, Path]:
    """Every notebook of the built ``site``, by the name it is published under."""
    found: dict[str, Path] = {}
    for path in sorted(site.rglob("*.ipynb")):
        folder = path.parent.relative_to(site).as_posix()
        name = path.name if folder == notebooks.NOTEBOOKS else notebooks.notebook_name(folder)
        if folder != notebooks.NOTEBOOKS and path.stem != path.parent.name:
            raise SystemExit(f"{path}: a notebook that no Colab link names")
        if name in found:
            raise SystemExit(f"{path} and {found[name]} would both be published as {name}")
        found[name] = path
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m sitebuild.publish SITE_DIR OUT_DIR", file=sys.stderr)
        return 2
    site, out = Path(argv[0]), Path(argv[1])
    found = published(site)
    if not found:
        print(f"{site}: no notebooks (was the site built?)", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    for name, path in found.items():
        shutil.copyfile(path, out / name)
    print(f"{len(found)} notebooks in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
