"""Two builds of the site compared file by file, and the site built from another commit.

Two builds of the same sources differ only where a file names the tool or the day: the
generator line of each page (``<meta name="generator" ...>``: MkDocs or ProperDocs, and its
version) and the dates of the sitemap (``<lastmod>``, also inside ``sitemap.xml.gz``, whose
gzip header holds a time as well). Everything else must be byte for byte the same.

To check that a change to the build leaves the site as it was::

    .venv/bin/python -m tests.sites main        # build main and the working tree, compare
    .venv/bin/python -m tests.sites BEFORE AFTER  # compare two built folders

The commit is built from a temporary checkout (``git worktree``) with this environment's
packages and the cache off, its own ``sitebuild`` and ``docscheck`` taking the place of the
installed ones (``PYTHONPATH``), with ``SITE_URL`` and ``COLAB_REPOSITORY`` as given.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = Path(sys.executable).parent / "mkdocs"
_GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
_LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")


def comparable(name: str, data: bytes) -> bytes:
    """A file of a built site without what names the tool or the day."""
    if name.endswith(".html"):
        return _GENERATOR.sub(b"", data)
    if name.endswith("sitemap.xml.gz"):
        data, name = gzip.decompress(data), name.removesuffix(".gz")
    if name.endswith("sitemap.xml"):
        return _LASTMOD.sub(b"", data)
    return data


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def differences(before: Path, after: Path) -> list[str]:
    """Files that differ between two builds of the site (generator lines and sitemap dates
    aside), or are only in one of them, one line each."""
    old, new = files(before), files(after)
    found = [f"only in {before}: {name}" for name in sorted(old - new)]
    found += [f"only in {after}: {name}" for name in sorted(new - old)]
    for name in sorted(old & new):
        if comparable(name, (before / name).read_bytes()) != comparable(name,
                                                                       (after / name).read_bytes()):
            found.append(f"differs: {name}")
    return found


def build(source: Path, out: Path, env: dict[str, str]) -> None:
    """`mkdocs build --strict` of the sources in ``source`` into ``out``, cache off."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITEBUILD_CACHE": "false", **env}
    result = subprocess.run([str(MKDOCS), "build", "--strict", "-q", "-d", str(out)], cwd=source,
                            env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"the build of {source} failed:\n{result.stdout}{result.stderr}")


def build_commit(commit: str, out: Path, env: dict[str, str]) -> None:
    """The site of ``commit`` (of this repository), built into ``out``."""
    with tempfile.TemporaryDirectory(prefix="site-of-") as tmp:
        checkout = Path(tmp) / "checkout"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(checkout), commit],
                       cwd=ROOT, check=True)
        try:
            (checkout / "node_modules").symlink_to(ROOT / "node_modules")
            build(checkout, out, {**env, "PYTHONPATH": str(checkout)})
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(checkout)], cwd=ROOT,
                           check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.sites", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", help="a commit to build, or a built site's folder")
    parser.add_argument("after", nargs="?", help="a built site's folder (default: build the "
                                                 "working tree)")
    parser.add_argument("--site-url", default="http://127.0.0.1:8000/")
    parser.add_argument("--colab-repository", default="",
                        help="owner/name: build with the Colab buttons on")
    args = parser.parse_args(argv)
    env = {"SITE_URL": args.site_url, "COLAB_REPOSITORY": args.colab_repository}
    with tempfile.TemporaryDirectory(prefix="sites-") as tmp:
        before = Path(args.before)
        if not before.is_dir():
            before = Path(tmp) / "before"
            build_commit(args.before, before, env)
        after = Path(args.after) if args.after else Path(tmp) / "after"
        if not args.after:
            build(ROOT, after, env)
        found = differences(before, after)
        print("\n".join(found) if found else
              f"the same site: {len(files(after))} files, byte for byte (generator lines and "
              "sitemap dates aside)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
