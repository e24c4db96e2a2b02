"""Benchmark: the doc-test and the site build, measured against `python -c "import torch"`.

All figures come from one run, with the commands interleaved round by round so that a noisy
machine slows them alike; the medians are compared as ratios.

    .venv/bin/python bench/run.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GOAL_DOCTEST = 1.3


def timed(args: list[str]) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds

    out = tempfile.mkdtemp(prefix="bench-site-")
    commands = {
        "import torch": [sys.executable, "-c", "import torch"],
        "doc-test (pytest docs)": [sys.executable, "-m", "pytest", "docs", "-q"],
        "mkdocs build --strict": [str(BIN / "mkdocs"), "build", "--strict", "-q", "-d", out],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, args in commands.items():
            times[name].append(timed(args))

    median = {name: statistics.median(values) for name, values in times.items()}
    floor = median["import torch"]
    print(f"{'command':<26} {'median s':>9} {'x import torch':>15}   ({rounds} rounds)")
    for name, value in median.items():
        print(f"{name:<26} {value:>9.2f} {value / floor:>15.2f}")
    ratio = median["doc-test (pytest docs)"] / floor
    verdict = "meets" if ratio <= GOAL_DOCTEST else "misses"
    print(f"\ndoc-test / import torch = {ratio:.2f} ({verdict} the goal of <= {GOAL_DOCTEST}x)")


if __name__ == "__main__":
    main()
