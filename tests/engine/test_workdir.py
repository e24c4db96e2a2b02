"""The private copies of the repository that runs work in (docscheck/workdir.py): whatever a
run does to its copy, the copy is put back as the repository has it."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from docscheck.workdir import Copies, repository_files


def tree(root: Path) -> dict[str, tuple[str, int]]:
    """Every file and folder under ``root``: content (or "<dir>") and permission bits."""
    found = {}
    for path in sorted(root.rglob("*")):
        content = "<dir>" if path.is_dir() else path.read_text()
        found[path.relative_to(root).as_posix()] = (content, path.stat().st_mode & 0o777)
    return found


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "docs" / "deep").mkdir(parents=True)
    (root / "README.md").write_text("readme")
    (root / "docs" / "page.md").write_text("page")
    (root / "docs" / "deep" / "data.txt").write_text("data")
    (root / ".gitignore").write_text("ignored.txt\n")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "."], cwd=root, check=True)
    (root / "new.txt").write_text("not committed yet")
    (root / "ignored.txt").write_text("ignored")
    return root


def test_a_copy_holds_the_files_of_a_fresh_clone_and_the_new_ones(repo: Path, tmp_path: Path) -> None:
    assert repository_files(repo) == [".gitignore", "README.md", "docs/deep/data.txt",
                                      "docs/page.md", "new.txt"]
    copy = Copies(repo, tmp_path / "copies").take()
    assert sorted(tree(copy.where)) == [".gitignore", "README.md", "docs", "docs/deep",
                                        "docs/deep/data.txt", "docs/page.md", "new.txt"]


@pytest.mark.parametrize("change", [
    lambda w: (w / "README.md").write_text("changed"),
    lambda w: (w / "README.md").unlink(),
    lambda w: (w / "docs" / "deep" / "data.txt").write_text("data"),  # same text, new file
    lambda w: (w / "docs" / "extra.txt").write_text("added"),
    lambda w: (w / "out" / "nested").mkdir(parents=True),
    lambda w: __import__("shutil").rmtree(w / "docs"),
    lambda w: os.chmod(w / "docs", 0o500),
    lambda w: os.chmod(w / "README.md", 0o400),
    lambda w: os.replace(w / "docs" / "page.md", w / "page.md"),
    lambda w: ((w / "docs" / "deep" / "data.txt").unlink(),
               (w / "docs" / "deep" / "data.txt").mkdir()),
    lambda w: ((w / "README.md").unlink(), (w / "README.md").symlink_to("/etc/hostname")),
], ids=["write", "remove", "rewrite same", "add file", "add folders", "remove folder",
        "read-only folder", "read-only file", "rename", "file becomes folder",
        "file becomes link"])
def test_a_copy_is_put_back_whatever_the_run_did(repo: Path, tmp_path: Path,
                                                 change: Callable[[Path], object]) -> None:
    copies = Copies(repo, tmp_path / "copies")
    copy = copies.take()
    clean = tree(copy.where)
    for _ in range(2):  # the next run does it again, to what putting the copy back made anew
        change(copy.where)
        copies.give_back(copy)
        assert tree(copy.where) == clean
        assert copies.take() is copy  # the same copy serves the next run


def _write_through_a_link_from_outside(where: Path) -> None:
    outside = where.parent / "outside.txt"
    os.link(where / "docs" / "deep" / "data.txt", outside)
    outside.write_text("changed")
    outside.unlink()


def _write_through_a_memory_mapping(where: Path) -> None:
    import mmap

    with open(where / "docs" / "deep" / "data.txt", "r+b") as f, mmap.mmap(f.fileno(), 0) as m:
        m[:4] = b"DATA"


@pytest.mark.parametrize("change", [_write_through_a_link_from_outside,
                                    _write_through_a_memory_mapping])
def test_a_write_is_put_back_whatever_path_it_took(repo: Path, tmp_path: Path,
                                                   change: Callable[[Path], None]) -> None:
    """A change is noticed whatever path the run took to the file: a hard link outside the copy
    (nothing changes in the copy's folders), a shared memory mapping (no write call)."""
    copies = Copies(repo, tmp_path / "copies")
    copy = copies.take()
    clean = tree(copy.where)
    for _ in range(2):
        change(copy.where)
        copies.give_back(copy)
        assert tree(copy.where) == clean
        assert copies.take() is copy


def test_a_copy_changed_while_changes_were_lost_is_put_back(repo: Path, tmp_path: Path) -> None:
    """When the kernel drops change notices (its queue is full), every copy is compared."""
    limit = int(Path("/proc/sys/fs/inotify/max_queued_events").read_text())
    if limit > 100_000:
        pytest.skip(f"fs.inotify.max_queued_events is {limit}: too many files to overflow it")
    copies = Copies(repo, tmp_path / "copies")
    busy, quiet = copies.take(), copies.take()
    clean = tree(quiet.where)
    for number in range(limit + 10):  # fills the queue: what follows is lost
        (busy.where / f"{number}.txt").touch()
    (quiet.where / "README.md").write_text("changed")
    copies.give_back(quiet)
    assert tree(quiet.where) == clean


def test_reading_a_copy_is_no_change(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that only reads its copy leaves nothing to compare when it is given back."""
    copies = Copies(repo, tmp_path / "copies")
    if copies.watcher is None:
        pytest.skip("no inotify here: every copy is compared after its run")
    copy = copies.take()
    copies.give_back(copy)
    copy = copies.take()
    (copy.where / "README.md").read_text()
    sorted((copy.where / "docs").iterdir())
    compared: list[Path] = []

    def lstat(self: Path) -> os.stat_result:
        compared.append(self)
        return os.lstat(self)

    monkeypatch.setattr(Path, "lstat", lstat)
    copies.give_back(copy)
    assert compared == []


def test_a_copy_follows_the_repository_after_refresh(repo: Path, tmp_path: Path) -> None:
    copies = Copies(repo, tmp_path / "copies")
    copy = copies.take()
    copies.give_back(copy)
    (repo / "README.md").write_text("edited")
    (repo / "docs" / "page.md").unlink()
    (repo / "snippet.py").write_text("print(1)")
    assert (copies.take().where / "README.md").read_text() == "readme"  # not refreshed yet
    copies.give_back(copy)
    copies.refresh()
    again = copies.take()
    assert (again.where / "README.md").read_text() == "edited"
    assert not (again.where / "docs" / "page.md").exists()
    assert (again.where / "snippet.py").read_text() == "print(1)"
    copies.give_back(again)
    (repo / "README.md").write_text("edited again")
    copies.refresh()
    assert (copies.take().where / "README.md").read_text() == "edited again"  # each refresh


def test_runs_at_once_get_copies_of_their_own(repo: Path, tmp_path: Path) -> None:
    copies = Copies(repo, tmp_path / "copies")
    first, second = copies.take(), copies.take()
    assert first.where != second.where
    (first.where / "README.md").write_text("first's")
    assert (second.where / "README.md").read_text() == "readme"


def test_a_copy_made_after_the_repository_changed_holds_it_as_it_was(repo: Path, tmp_path: Path) -> None:
    """Runs at once need more copies as they go: one made late holds the files as the first one
    did (as the doc-test started), until a refresh."""
    copies = Copies(repo, tmp_path / "copies")
    first = copies.take()
    (repo / "README.md").write_text("edited while the first run ran")
    (repo / "new.py").write_text("print(1)")
    second = copies.take()  # the first is still in use: a new copy
    assert second.where != first.where
    assert (second.where / "README.md").read_text() == "readme"
    assert not (second.where / "new.py").exists()
    copies.give_back(first)
    copies.give_back(second)
    copies.refresh()
    assert (copies.take().where / "README.md").read_text() == "edited while the first run ran"


def test_a_link_in_the_repository_stays_a_link_in_the_copy(repo: Path, tmp_path: Path) -> None:
    """A symbolic link the repository holds is copied, and put back, as the link, not as the
    file it points to."""
    (repo / "link.md").symlink_to("README.md")
    copies = Copies(repo, tmp_path / "copies")
    copy = copies.take()
    assert os.readlink(copy.where / "link.md") == "README.md"
    (copy.where / "link.md").unlink()
    copies.give_back(copy)
    assert copies.take() is copy
    assert os.readlink(copy.where / "link.md") == "README.md"


def test_a_copy_whose_watches_ran_out_is_watched_whole_again(repo: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """When the kernel allowed no more watches (fs.inotify.max_user_watches), the copy is
    compared after its run, and once it is put back, every file of it is watched again, not only
    those the run changed: a later write to another file is still noticed."""
    copies = Copies(repo, tmp_path / "copies")
    watcher = copies.watcher
    if watcher is None:
        pytest.skip("no inotify here: every copy is compared after its run")
    add = watcher._add
    full = True

    def limited(fd: int, path: bytes, mask: int) -> int:
        return -1 if full else int(add(fd, path, mask))

    monkeypatch.setattr(watcher, "_add", limited)
    copy = copies.take()
    clean = tree(copy.where)
    assert not watcher.watching(copy)
    full = False
    (copy.where / "README.md").write_text("changed")
    copies.give_back(copy)
    assert tree(copy.where) == clean
    assert copies.take() is copy
    (copy.where / "docs" / "deep" / "data.txt").write_text("changed too")
    copies.give_back(copy)
    assert tree(copy.where) == clean
