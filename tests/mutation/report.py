"""The score of `make mutation`: per module of the engine or the build, how many mutants the tests
killed.

Reads mutmut's results (``mutants/docscheck/*.meta``, ``mutants/sitebuild/*.meta``) and the
mutants known to be equivalent (``equivalent.toml`` beside this file: a mutant name and why no
test can tell it from the original). A mutant that survives and is not listed there is printed
with its diff (``mutmut show``). Exits with 1 when the score of the modules asked for is under
``GOAL`` or a survivor is not explained, 0 otherwise.

With ``--sample FILE`` (written by ``sample.py``) only the mutants the file names count, and the
score is an estimate for all the mutants they were drawn from: printed with its 95% interval,
and under ``GOAL`` when the interval's lower end is. A mutant of the sample not tried yet is an
error (exit 2), not left out.

    python -m tests.mutation.report [module-glob] [--sample FILE]
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import math
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

HERE = Path(__file__).resolve().parent
MUTANTS = HERE.parents[1] / "mutants"
GOAL = 0.90
# The packages mutated (pyproject.toml, [tool.mutmut]): the engine, and the build's logic.
PACKAGES = ("docscheck", "sitebuild")
# What a test detects: it failed, or the mutant made it run past its time limit.
DETECTED = {"killed", "timeout", "segfault"}


def exit_codes() -> dict[str, dict[str, int | None]]:
    """mutmut's result for each mutant (its test run's exit code, None if not tried), by module."""
    return {f"{package}.{meta.name.removesuffix('.py.meta')}":
            json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
            for package in PACKAGES for meta in sorted((MUTANTS / package).glob("*.py.meta"))}


def known_equivalent() -> dict[str, str]:
    """The mutants listed as equivalent, with the reason."""
    return tomllib.loads((HERE / "equivalent.toml").read_text(encoding="utf-8"))


def results(pattern: str, sample: set[str] | None = None) -> dict[str, dict[str, str]]:
    """Each tried mutant's status, by module, for the modules ``pattern`` matches (and only the
    mutants of ``sample`` if given)."""
    by_module: dict[str, dict[str, str]] = {}
    for module, codes in exit_codes().items():
        if not fnmatch.fnmatch(module, pattern):
            continue
        if sample is not None:
            codes = {name: code for name, code in codes.items() if name in sample}
        tried = {name: status_by_exit_code[code] for name, code in codes.items() if code is not None}
        if tried:
            by_module[module] = tried
    return by_module


def read_sample(path: Path) -> set[str]:
    """The mutant names of a sample file: one a line, ``#`` lines are comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pattern", nargs="?", default="docscheck.*")
    parser.add_argument("--sample", type=Path)
    args = parser.parse_args(argv)
    pattern: str = args.pattern
    equivalent = known_equivalent()
    sample = read_sample(args.sample) if args.sample else None
    by_module = results(pattern, sample)
    if not by_module:
        print(f"no mutants tried for {pattern}: run `make mutation` first", file=sys.stderr)
        return 2
    if sample is not None:
        tried = {name for statuses in by_module.values() for name in statuses}
        missing = sorted(sample - tried)
        if missing:
            print(f"{args.sample}: {len(missing)} of its {len(sample)} mutants not tried yet, "
                  f"for instance {missing[0]}: run `make mutation SAMPLE=...` again", file=sys.stderr)
            return 2
    total: Counter[str] = Counter()
    unexplained: list[str] = []
    print(f"{'module':<22}{'mutants':>8}{'detected':>9}{'equivalent':>11}{'survived':>9}"
          f"{'untested':>9}  score")
    for module, statuses in by_module.items():
        counts: Counter[str] = Counter()
        for name, status in statuses.items():
            if status in DETECTED:
                counts["detected"] += 1
            elif name in equivalent:
                counts["equivalent"] += 1
            else:
                counts["untested" if status == "no tests" else "survived"] += 1
                unexplained.append(name)
        counts["mutants"] = len(statuses)
        total.update(counts)
        print(f"{module:<22}{counts['mutants']:>8}{counts['detected']:>9}{counts['equivalent']:>11}"
              f"{counts['survived']:>9}{counts['untested']:>9}  {score(counts):.1%}")
    print(f"{'all':<22}{total['mutants']:>8}{total['detected']:>9}{total['equivalent']:>11}"
          f"{total['survived']:>9}{total['untested']:>9}  {score(total):.1%} (goal {GOAL:.0%})")
    lowest = score(total)
    if sample is not None:
        lowest, highest = interval(total)
        print(f"a sample of {len(sample)} mutants: the score of all is within "
              f"{lowest:.1%} to {highest:.1%} (95%)")
    for name in unexplained:
        shown = subprocess.run([sys.executable, "-m", "mutmut", "show", name], capture_output=True,
                               text=True, cwd=MUTANTS.parent).stdout
        print(f"\nsurvived: {name}\n{shown.strip()}")
    return 0 if lowest >= GOAL and not unexplained else 1


def score(counts: Counter[str]) -> float:
    """Detected mutants among those that can be detected (the equivalent ones cannot)."""
    return counts["detected"] / max(1, counts["mutants"] - counts["equivalent"])


def interval(counts: Counter[str], z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson interval of the score, for a score measured on a random sample."""
    n = max(1, counts["mutants"] - counts["equivalent"])
    p = counts["detected"] / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


if __name__ == "__main__":
    sys.exit(main())
