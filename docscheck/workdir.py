"""Private working directories: copies of the repository that examples run in.

An example runs with a copy of the repository as its working directory (the same relative
paths, the same files: those of a fresh clone, plus the files not yet committed that git does
not ignore), so that what it writes never reaches the author's files, and no run sees what
another run wrote. After each run its copy is put back as it was: a file the run wrote, removed,
renamed or changed the mode of is copied again, and what it added is deleted. Finding out what
changed costs one ``lstat`` per file and directory of the copy (a directory whose entries
changed has a new ``ctime``, which no process can set back).

Most runs change nothing, so that comparison is made only when the kernel reported a change:
every file and directory of a copy is watched (inotify), for a write or a change of its
attributes or links, through any of its paths, and a directory for its entries. The watches
report writes as they are made, and a change through a shared memory mapping when the file is
closed (when the process that wrote ends, at the latest), so by the time a run has ended every
change it made has been reported. Without inotify (or when a watch cannot be added) every run
is followed by the comparison.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import stat
import struct
import subprocess
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Without git, folders a fresh clone would not hold (or that are too big to copy) are left out.
_NOT_COPIED = {"node_modules", "site", "__pycache__"}


def repository_files(root: Path) -> list[str]:
    """The files of the repository at ``root`` (relative, with "/"), as a fresh clone has them
    plus the new files git does not ignore; without git, every file outside hidden folders,
    virtual environments and the folders of ``_NOT_COPIED``."""
    try:
        listed = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True, check=True).stdout.decode("utf-8", "surrogateescape")
        names = [n for n in listed.split("\0") if n]
        if names:
            return sorted({n for n in names if (root / n).is_file() or (root / n).is_symlink()})
    except (OSError, subprocess.CalledProcessError):
        pass
    found = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in _NOT_COPIED
                   and not (here / d / "pyvenv.cfg").exists()]
        found += [(here / f).relative_to(root).as_posix() for f in files]
    return sorted(found)


_Stat = tuple[int, int, int]  # inode, ctime, mode


def _key(info: os.stat_result) -> _Stat:
    return info.st_ino, info.st_ctime_ns, info.st_mode


# inotify(7): the events of a change to a watched file or directory (or to a directory's entries)
_IN_MODIFY, _IN_ATTRIB, _IN_CLOSE_WRITE = 0x2, 0x4, 0x8
_IN_MOVED_FROM, _IN_MOVED_TO, _IN_CREATE, _IN_DELETE = 0x40, 0x80, 0x100, 0x200
_IN_DELETE_SELF, _IN_MOVE_SELF, _IN_DONT_FOLLOW = 0x400, 0x800, 0x02000000
_CHANGES = (_IN_MODIFY | _IN_ATTRIB | _IN_CLOSE_WRITE | _IN_MOVED_FROM | _IN_MOVED_TO | _IN_CREATE
            | _IN_DELETE | _IN_DELETE_SELF | _IN_MOVE_SELF)
_IN_NONBLOCK, _IN_CLOEXEC = os.O_NONBLOCK, os.O_CLOEXEC
_EVENT = struct.Struct("iIII")  # watch, mask, cookie, length of the name that follows


class _Watcher:
    """The inotify watches on the copies of a pool: which copies were changed since they were
    last put right (a copy nobody watches counts as changed)."""

    def __init__(self) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        self._add = libc.inotify_add_watch
        self._add.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        self.fd = libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        # Closed with the pool, or when it is collected: a user may have 128 inotify instances.
        self._closing = weakref.finalize(self, os.close, self.fd)
        self._owners: dict[int, Copy] = {}  # watch -> the copy it is in
        self._changed: set[Copy] = set()
        self._watched: set[Copy] = set()
        self._lock = threading.Lock()

    def changed(self, copy: Copy) -> bool:
        """Whether anything in ``copy`` may have changed since it was last ``settled``."""
        with self._lock:
            self._read()
            return copy in self._changed or copy not in self._watched or self.fd < 0

    def watching(self, copy: Copy) -> bool:
        with self._lock:
            return copy in self._watched

    def settled(self, copy: Copy, paths: list[Path]) -> None:
        """``copy`` is as it should be: forget its changes (those of putting it right), and
        watch ``paths`` too (those made anew; the first time, every file and directory)."""
        with self._lock:
            self._read()
            self._changed.discard(copy)
            if self.fd < 0:
                return
            self._watched.add(copy)
            for path in paths:
                watch = self._add(self.fd, os.fsencode(path), _CHANGES | _IN_DONT_FOLLOW)
                if watch < 0:  # no more watches allowed (fs.inotify.max_user_watches)
                    self._watched.discard(copy)
                    return
                self._owners[watch] = copy

    def close(self) -> None:
        with self._lock:
            self._closing()
            self.fd = -1

    def _read(self) -> None:
        """Note which copies the events waiting are about."""
        while self.fd >= 0:
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                return
            offset = 0
            while offset < len(data):
                watch, _, _, length = _EVENT.unpack_from(data, offset)
                offset += _EVENT.size + length
                if watch == -1:  # the queue overflowed: events were lost
                    self._changed.update(self._owners.values())
                elif watch in self._owners:
                    self._changed.add(self._owners[watch])


class Copy:
    """One copy of the repository, and what it looked like when it was last put right."""

    def __init__(self, root: Path, where: Path, files: list[str], watcher: _Watcher | None = None):
        self.root = root
        self.where = where
        self.watcher = watcher
        self.seen: dict[str, _Stat] = {}  # path in the copy ("" for itself) -> as it was
        self.sources: dict[str, tuple[int, int]] = {}  # file -> (size, mtime) copied from
        self.generation = 0  # of the repository's files it was last brought up to date with
        where.mkdir(parents=True)
        self.sync(files)

    def sync(self, files: list[str]) -> None:
        """Bring the copy up to date with the repository's ``files`` (new, changed, removed)."""
        wanted = set(files)
        changed = not self.seen
        for name in [n for n in self.sources if n not in wanted]:
            self._remove(self.where / name)
            del self.sources[name]
            changed = True
        for name in files:
            try:
                source = (self.root / name).lstat()
            except OSError:
                continue
            if self.sources.get(name) != (source.st_size, source.st_mtime_ns):
                self._copy(name)
                self.sources[name] = (source.st_size, source.st_mtime_ns)
                changed = True
        if changed:
            before = self.seen
            self._record()
            self._watch(before)

    def restore(self) -> bool:
        """Put the copy back as it was after the last ``sync``; whether anything had changed."""
        if self.watcher is not None and not self.watcher.changed(self):
            return False
        changed = False
        for name, was in list(self.seen.items()):
            path = self.where / name if name else self.where
            try:
                now = _key(path.lstat())
            except OSError:
                now = None
            if now == was:
                continue
            changed = True
            if name in self.sources:
                self._copy(name)
            elif now is None or not stat.S_ISDIR(now[2]):
                self._remove(path)
                path.mkdir(parents=True, exist_ok=True)
            else:
                path.chmod(stat.S_IMODE(was[2]))
                known = {n for n in self.seen if n.rpartition("/")[0] == name and n}
                for entry in os.listdir(path):
                    inside = f"{name}/{entry}" if name else entry
                    if inside not in known:
                        self._remove(path / entry)
        before = self.seen
        if changed:
            self._record()
        self._watch(before)
        return changed

    def _watch(self, before: dict[str, _Stat]) -> None:
        """Watch for changes again: what is new or was made anew since the copy was ``before``
        (a watch follows a file, not its name), or everything if the copy is not watched yet."""
        if self.watcher is None:
            return
        every = not self.watcher.watching(self)
        self.watcher.settled(self, [self.where / name if name else self.where
                                    for name, key in self.seen.items()
                                    if every or before.get(name) != key])

    def _copy(self, name: str) -> None:
        target = self.where / name
        self._remove(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(self.root / name, target, follow_symlinks=False)

    @staticmethod
    def _remove(path: Path) -> None:
        try:
            info = path.lstat()
        except OSError:
            return
        if stat.S_ISDIR(info.st_mode):
            for inner, dirs, _ in os.walk(path):  # a folder the run made read-only, say
                os.chmod(inner, 0o700)
                for d in dirs:
                    os.chmod(os.path.join(inner, d), 0o700, follow_symlinks=False)
            shutil.rmtree(path)
        else:
            path.unlink()

    def _record(self) -> None:
        self.seen = {"": _key(self.where.lstat())}
        for folder, dirs, files in os.walk(self.where):
            relative = Path(folder).relative_to(self.where).as_posix()
            prefix = "" if relative == "." else f"{relative}/"
            for name in dirs + files:
                self.seen[prefix + name] = _key(os.lstat(os.path.join(folder, name)))


class Copies:
    """A pool of copies of the repository, one per run under way, all made from one copy that
    no run works in: the repository as the doc-test started (or was last refreshed), however
    its files change meanwhile and whenever a copy is made."""

    def __init__(self, root: Path, folder: Path):
        self.root = root
        self.folder = folder
        try:
            self.watcher: _Watcher | None = _Watcher()
        except OSError:  # no inotify here (or no more instances allowed): compare after each run
            self.watcher = None
        self.files = repository_files(root)
        self.generation = 0
        self._original: Copy | None = None  # made when the first run takes a copy
        self._free: list[Copy] = []
        self._made = 0
        self._lock = threading.Lock()

    def refresh(self) -> None:
        """Look at the repository again: copies taken from now on are brought up to date with
        its files as they are now (added, changed, removed). Until then, copies are taken as
        they were made: the doc-test runs the files as they were when it started."""
        files = repository_files(self.root)
        with self._lock:
            self.files = files
            self.generation += 1
            if self._original is not None:
                self._original.sync(files)

    @contextmanager
    def borrow(self) -> Iterator[Path]:
        """A copy up to date with the repository, for one run; put back as it was after."""
        copy = self.take()
        try:
            yield copy.where
        finally:
            self.give_back(copy)

    def take(self) -> Copy:
        with self._lock:
            if self._original is None:
                self._original = Copy(self.root, self.folder / "original", self.files)
            copy = self._free.pop() if self._free else None
            if copy is None:
                self._made += 1
                copy = Copy(self._original.where, self.folder / f"work-{self._made}", self.files,
                            self.watcher)
            elif copy.generation != self.generation:
                copy.sync(self.files)
            copy.generation = self.generation
        return copy

    def give_back(self, copy: Copy) -> None:
        copy.restore()
        with self._lock:
            self._free.append(copy)

    def close(self) -> None:
        """Stop watching the copies (before they are removed)."""
        if self.watcher is not None:
            self.watcher.close()
            self.watcher = None
