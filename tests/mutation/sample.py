"""A random sample of the engine's mutants, for `make mutation SAMPLE=N`.

A full mutation run takes many hours (CONTRIBUTING.md, "Mutation testing"). A sample drawn
uniformly from all the mutants gives the score of the whole engine within a margin that
``report.py`` prints. This script makes mutmut's mutants of the current source (as ``mutmut run``
does first), draws ``N`` of those whose names match ``pattern`` with the given seed, writes
them to ``mutants/sample.txt`` and prints, one per line, those ``mutmut run`` has to try: the
ones without a result yet, and those no test detected when last tried (tests may have been
added since).

    python -m tests.mutation.sample N|all [pattern] [--seed S]
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import hashlib
import os
import sys
from pathlib import Path

from mutmut.stats import status_by_exit_code

from tests.mutation.report import DETECTED, MUTANTS, exit_codes, known_equivalent

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SAMPLE = MUTANTS / "sample.txt"


def make_mutants() -> None:
    """mutmut's first step of a run: its copy of the source, with every mutant of every function
    (results of functions that did not change since are kept)."""
    from mutmut.__main__ import create_mutants
    from mutmut.mutation.trampoline import set_mutant_under_test
    from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir, setup_source_paths

    set_mutant_under_test("mutant_generation")
    with contextlib.redirect_stdout(sys.stderr):  # mutmut names each file: stdout is the sample's
        copy_src_dir()
        copy_also_copy_files()
        setup_source_paths()
        create_mutants(os.cpu_count() or 1)


def mutants(pattern: str) -> dict[str, int | None]:
    """Every mutant whose name matches ``pattern``, with its exit code (None: not tried)."""
    return {name: code for codes in exit_codes().values() for name, code in codes.items()
            if fnmatch.fnmatch(name, pattern)}


def _size(text: str) -> int | None:
    if text == "all":
        return None
    size = int(text)
    if size < 1:
        raise argparse.ArgumentTypeError(f"a sample needs at least one mutant, not {size}")
    return size


def draw(names: list[str], size: int | None, seed: int) -> list[str]:
    """``size`` of ``names`` (all if None), drawn uniformly without replacement: those whose hash
    with the seed is lowest. The same for the same seed, and stable as the engine changes: a
    mutant added or removed moves at most one other in or out of the sample, so the results
    kept in mutants/ still count after an edit."""
    if size is None or size >= len(names):
        return sorted(names)

    def rank(name: str) -> bytes:
        return hashlib.sha256(f"{seed}:{name}".encode()).digest()

    return sorted(sorted(names, key=rank)[:size])


def to_try(chosen: list[str], found: dict[str, int | None], equivalent: dict[str, str]) -> list[str]:
    """The mutants of ``chosen`` mutmut has to try: those without a result (new, or of a function
    changed since), and those no test detected that are not known to be equivalent."""
    return [name for name in chosen
            if found[name] is None
            or (status_by_exit_code[found[name]] not in DETECTED and name not in equivalent)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=_size, help="how many mutants, or all")
    parser.add_argument("pattern", nargs="?", default="docscheck.*")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    make_mutants()
    found = mutants(args.pattern)
    if not found:
        print(f"sample.py: no mutant's name matches {args.pattern}", file=sys.stderr)
        return 2
    chosen = draw(list(found), args.size, args.seed)
    SAMPLE.write_text(
        f"# {len(chosen)} of {len(found)} mutants matching {args.pattern}, seed {args.seed}\n"
        + "".join(name + "\n" for name in chosen),
        encoding="utf-8",
    )
    print(f"sample: {len(chosen)} of {len(found)} mutants ({SAMPLE.relative_to(ROOT)})", file=sys.stderr)
    for name in to_try(chosen, found, known_equivalent()):
        print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
