"""requirements.lock: every package the project installs, pinned with hashes, agreeing with
pyproject.toml. `make lock` writes it again; these tests say when that is due."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def read_lock(text: str) -> dict[str, tuple[Version, int]]:
    """Each locked package: its version and how many hashes it has."""
    found: dict[str, tuple[Version, int]] = {}
    name = ""
    for number, line in enumerate(text.splitlines(), 1):
        if pin := _PIN.match(line):
            name = canonicalize_name(pin[1])
            assert name not in found, f"requirements.lock:{number}: {name} pinned twice"
            found[name] = (Version(pin[2]), 0)
        elif "--hash=sha256:" in line and name:
            found[name] = (found[name][0], found[name][1] + 1)
        elif line.strip() and not line.lstrip().startswith("#"):
            raise AssertionError(f"requirements.lock:{number}: not a pin or a hash: {line!r}")
    return found


def direct() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in project["dependencies"]]


def closure(roots: list[Requirement]) -> set[str]:
    """Every distribution that installing ``roots`` brings in, from the installed metadata."""
    seen: set[str] = set()
    todo = [(r, set(r.extras)) for r in roots]
    while todo:
        requirement, extras = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in seen and not extras:
            continue
        seen.add(name)
        for text in metadata.requires(requirement.name) or []:
            child = Requirement(text)
            if child.marker is None or any(
                    child.marker.evaluate({"extra": extra})  # and this machine for the rest
                    for extra in extras | {""}):
                todo.append((child, set(child.extras)))
    return seen


def test_the_lock_reader_refuses_what_it_does_not_understand() -> None:
    assert read_lock("a==1 \\\n    --hash=sha256:00\nb==2\n") == {
        "a": (Version("1"), 1), "b": (Version("2"), 0)}
    for bad in ("a>=1\n", "-e .\n", "a==1\na==2\n"):
        try:
            read_lock(bad)
        except AssertionError:
            continue
        raise AssertionError(f"accepted {bad!r}")


def test_every_dependency_of_pyproject_is_locked_at_a_version_it_allows() -> None:
    lock = read_lock(LOCK.read_text())
    wrong = [f"{r} but the lock has {lock.get(canonicalize_name(r.name), ('nothing',))[0]}"
             for r in direct()
             if canonicalize_name(r.name) not in lock
             or not r.specifier.contains(lock[canonicalize_name(r.name)][0], prereleases=True)]
    assert not wrong, "pyproject.toml and requirements.lock disagree (run `make lock`):\n" + \
        "\n".join(wrong)


def test_every_locked_package_has_a_hash() -> None:
    """pip installs with --require-hashes: a package without one could not be installed."""
    unhashed = [name for name, (_, hashes) in read_lock(LOCK.read_text()).items() if not hashes]
    assert not unhashed


def test_torch_is_the_cpu_build() -> None:
    """torch's printed tensors are part of the content: the CPU wheel, never the CUDA build
    (which would also pull in NVIDIA's libraries)."""
    lock = read_lock(LOCK.read_text())
    assert lock["torch"][0].local == "cpu"
    assert not [name for name in lock if name.startswith("nvidia-")]


def test_the_lock_holds_exactly_what_the_dependencies_need() -> None:
    """Nothing missing (pip installs with --no-deps) and nothing left over from an old pin."""
    lock = set(read_lock(LOCK.read_text()))
    needed = closure(direct())
    assert not needed - lock, f"needed but not locked (run `make lock`): {sorted(needed - lock)}"
    assert not lock - needed, f"locked but not needed (run `make lock`): {sorted(lock - needed)}"


def test_the_environment_is_the_locked_one() -> None:
    """The tests run with exactly the locked versions (`make` installs them; an older
    environment is installed again when requirements.lock changes)."""
    lock = read_lock(LOCK.read_text())
    differ = [f"{name}: installed {metadata.version(name)}, locked {version}"
              for name, (version, _) in lock.items()
              if Version(metadata.version(name)) != version]
    assert not differ, "\n".join(differ)
