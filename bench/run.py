"""Benchmark: the doc-test, the site build, and the cost of the math to a reader.

1. The doc-test and `mkdocs build --strict`, against `python -c "import torch"` and against
   `import torch` plus the first `backward(gradient=...)`; the doc-test on one core and on all;
   the engine's cost per example, from pages of many trivial examples.
2. The math-heaviest page in Chromium: bytes transferred and time until the math is in the DOM,
   against the same page built with its math removed (and without KaTeX).
3. What each guarantee of the engine costs per example (a private working directory, a
   terminal, a reader's exit, the extra runs of a thorough doc-test).
4. On request (``--parts suite``), the whole test suite once, as CI runs it, against
   `import torch` measured just before and just after it.

All figures come from one run, with the measurements interleaved round by round so that a noisy
machine slows them alike; medians are compared as ratios. By default (about three minutes here)
the slowest measures are left out: the cold build and its floor, and the doc-test on one core;
``--full`` adds them and runs five rounds. It says what it measures as it goes, and appends what
it printed to ``bench/results.md``, with the date, the commit and the machine's `import torch`.

    .venv/bin/python bench/run.py [--full] [--rounds N]
        [--parts commands,guarantees,serve,jacobians,math,suite]
"""

from __future__ import annotations

import argparse
import datetime
import functools
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import torch
    from playwright.sync_api import Browser

    # A function whose Jacobian the benchmark takes.
    Function = Callable[[torch.Tensor], torch.Tensor]

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GOAL_DOCTEST = 1.2  # doc-test / (import torch + first backward), every chain run twice
GOAL_PER_EXAMPLE_MS = 20
GOAL_BYTES = 1.3
TRIVIAL = 100  # examples on the page that measures the engine's cost per example
GOAL_WARM_BUILD_S = 3.0
GOAL_SUITE_S = 240.0  # the whole test suite, as CI runs it: about four minutes
KERNEL_FLOOR = ("from jupyter_client.manager import start_new_kernel; "
                "km, kc = start_new_kernel(kernel_name='python3'); "
                "kc.execute_interactive('import torch', timeout=120); km.shutdown_kernel()")
# What the Makefile exports to every command, as `make build` and `make serve` run them.
MAKE_ENV = {"NO_MKDOCS_2_WARNING": "1", "NBCONVERT_DISABLE_CONFIG_EXPORTERS": "1"}
FIRST_BACKWARD = "import torch; x = torch.ones(2, requires_grad=True); x.backward(torch.ones(2))"


RESULTS = ROOT / "bench" / "results.md"


def progress(message: str) -> None:
    """What is being measured, as it starts (to the terminal only, not to the results)."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


class _Tee(io.TextIOBase):
    """Standard output, kept as well: the figures go to bench/results.md at the end."""

    def __init__(self, stream: TextIO):
        self.stream, self.kept = stream, io.StringIO()

    def write(self, text: str) -> int:
        self.kept.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


def timed(args: list[str], extra_env: dict[str, str] | None = None) -> float:
    env = {**os.environ, **MAKE_ENV, **(extra_env or {})}
    start = time.perf_counter()
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return elapsed


def trivial_site(work: Path, examples: int) -> Path:
    """A site with one page of ``examples`` examples that each print a number, checked with
    this project's warm-up: what the engine costs beyond the examples themselves."""
    import tomllib

    from docscheck import Site

    site = work / f"trivial-{examples}"
    (site / "docs").mkdir(parents=True)
    (site / "mkdocs.yml").write_text("site_name: trivial\nmarkdown_extensions:\n"
                                     "  - attr_list\n  - pymdownx.superfences\n"
                                     "  - pymdownx.snippets\n")
    with open(ROOT / "pyproject.toml", "rb") as f:
        warmup = tomllib.load(f)["tool"]["pytest"]["ini_options"]["docscheck_warmup"]
    (site / "pytest.ini").write_text(f"[pytest]\naddopts = -p no:cacheprovider "
                                     f"-p no:hypothesispytest\n"
                                     f"docscheck_warmup = {warmup}\n")
    page = "".join(f"```python\nprint({i})\n```\n```output\n{i}\n```\n\n"
                   for i in range(examples))
    (site / "docs" / "page.md").write_text(page)
    found = len(Site.load(site / "mkdocs.yml").read(site / "docs" / "page.md").examples)
    assert found == examples, (found, examples)
    return site


def bench_commands(rounds: int, out: str, full: bool) -> float:
    from docscheck import Site

    site = Site.load(ROOT / "mkdocs.yml")
    pages = [site.read(path) for path in site.page_paths()]
    examples = sum(len(page.examples) for page in pages)
    chains = sum(len(page.chains()) for page in pages)
    work = Path(tempfile.mkdtemp(prefix="bench-trivial-"))
    one, many = trivial_site(work, 1), trivial_site(work, TRIVIAL + 1)
    pytest = [sys.executable, "-m", "pytest", "-q"]
    commands = {
        "import torch": [sys.executable, "-c", "import torch"],
        # The first backward(gradient=...) imports torch.fx and sympy: a cost of torch itself
        # that any page passing a gradient pays once.
        "import torch + backward": [sys.executable, "-c", FIRST_BACKWARD],
        "doc-test (pytest docs)": [*pytest, "docs", "--no-cache"],
        # Run after a passing doc-test with nothing changed: every result reused.
        "doc-test, nothing changed": [*pytest, "docs"],
        "doc-test, 1 core": [*pytest, "docs", "--no-cache", "--docscheck-jobs", "1"],
        "1 trivial example": [*pytest, "--no-cache", "--rootdir", str(one), str(one / "docs")],
        f"{TRIVIAL + 1} trivial examples": [*pytest, "--no-cache", "--rootdir", str(many),
                                            str(many / "docs")],
        "mkdocs build --strict": [str(BIN / "mkdocs"), "build", "--strict", "-q", "-d", out],
        # The floor of a cold build: one Jupyter kernel started, and torch imported in it.
        "kernel + import torch": [sys.executable, "-c", KERNEL_FLOOR],
        "build, cold (no cache)": [str(BIN / "mkdocs"), "build", "--strict", "-q", "-d",
                                   tempfile.mkdtemp(prefix="bench-cold-")],
    }
    if not full:  # the slowest, about a minute a round: with --full
        for name in ("doc-test, 1 core", "kernel + import torch", "build, cold (no cache)"):
            del commands[name]
    environments = {"build, cold (no cache)": {"SITEBUILD_CACHE": "false"},
                    **{name: {"CI": ""} for name in commands if name.startswith("doc-test")}}
    times: dict[str, list[float]] = {name: [] for name in commands}
    for n in range(rounds):
        for name, args in commands.items():
            progress(f"commands, round {n + 1} of {rounds}: {name}")
            times[name].append(timed(args, environments.get(name)))

    median = {name: statistics.median(values) for name, values in times.items()}
    floor = median["import torch"]
    print(f"{'command':<26} {'median s':>9} {'x import torch':>15}   ({rounds} rounds)")
    for name, value in median.items():
        print(f"{name:<26} {value:>9.2f} {value / floor:>15.2f}")
    doctest = median["doc-test (pytest docs)"]
    floor2 = median["import torch + backward"]
    ratio = doctest / floor2
    verdict = "meets" if ratio <= GOAL_DOCTEST else "misses"
    print(f"\ndoc-test: {examples} examples in {chains} chains, each chain run twice")
    print(f"doc-test / import torch = {doctest / floor:.2f}")
    print(f"doc-test / (import torch + first backward with a gradient) = {ratio:.2f} "
          f"({verdict} the goal of <= {GOAL_DOCTEST}x)")
    unchanged = median["doc-test, nothing changed"]
    print(f"doc-test with nothing changed since a passing one / import torch = "
          f"{unchanged / floor:.2f} (the goal: < 1)")
    if "doc-test, 1 core" in median:
        print(f"doc-test on 1 core / on all {os.cpu_count()} = "
              f"{median['doc-test, 1 core'] / doctest:.2f}")
    per_example = (median[f"{TRIVIAL + 1} trivial examples"] - median["1 trivial example"]) / TRIVIAL
    verdict = "meets" if per_example * 1000 <= GOAL_PER_EXAMPLE_MS else "misses"
    print(f"engine cost per example (two runs each, all cores) = {per_example * 1000:.1f} ms "
          f"({verdict} the goal of <= {GOAL_PER_EXAMPLE_MS} ms)")
    warm = median["mkdocs build --strict"]
    verdict = "meets" if warm <= GOAL_WARM_BUILD_S else "misses"
    print(f"build, warm (cached formulas, figures, exercises) = {warm:.2f} s "
          f"({verdict} the goal of <= {GOAL_WARM_BUILD_S} s); / import torch = {warm / floor:.2f}")
    if "build, cold (no cache)" in median:
        cold = median["build, cold (no cache)"] / median["kernel + import torch"]
        from sitebuild.exercises import sources

        exercises = len(sources(ROOT / "docs" / "exercises"))
        print(f"build, cold / (one kernel start + import torch) = {cold:.2f} (the exercises "
              f"executed: {exercises} notebooks, two kernels at a time)")
    shutil.rmtree(work)
    return floor


_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)


def build_variant(work: Path, switches: dict[str, str], page: str | None = None) -> Path:
    """The site built with the settings of the sitebuild plugin in mkdocs.yml set as given (for
    instance SITEBUILD_MATH=false), from a copy of docs/ in which ``page`` has its formulas
    deleted if given."""
    shutil.copytree(ROOT / "docs", work / "docs")
    shutil.copy(ROOT / "mkdocs.yml", work)  # a copy: the folder of mkdocs.yml is the site's root
    for name in ["snippets", "node_modules", "overrides"]:
        (work / name).symlink_to(ROOT / name)
    if page is not None:
        md = work / "docs" / page
        md.write_text(_MATH.sub("", md.read_text(encoding="utf-8")), encoding="utf-8")
    timed([str(BIN / "mkdocs"), "build", "--strict", "-q", "-f", str(work / "mkdocs.yml"),
           "-d", str(work / "site")], switches)
    return work / "site"


def visit(browser: Browser, url: str) -> tuple[int, float, int]:
    """Bytes transferred, ms until the math is in the DOM (DOMContentLoaded), formulas found."""
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: list[float] = []
    cdp.on("Network.loadingFinished", lambda e: sizes.append(e["encodedDataLength"]))
    page.goto(url, wait_until="networkidle")
    # Figures load lazily: scroll each into view, as a reader does, and wait for it.
    for figure in page.locator("img.figure").all():
        # (an image not loaded yet has no size, so Playwright's is_visible says no: the
        # palette's CSS is what hides the other variant)
        if figure.evaluate("img => img.checkVisibility()"):
            figure.scroll_into_view_if_needed()
            page.wait_for_function("img => img.complete", arg=figure.element_handle())
    page.wait_for_load_state("networkidle")
    ready = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    formulas = page.locator(".katex").count()
    context.close()
    return int(sum(sizes)), ready, formulas


def bench_math(rounds: int, site: str) -> None:
    from playwright.sync_api import sync_playwright

    from sitebuild.hosting import CHROMIUM, CHROMIUM_ARGS, serve

    if not Path(CHROMIUM).exists():
        print(f"\nmath in the browser: skipped, Chromium not found at {CHROMIUM}")
        return
    counts = {p: p.read_text(encoding="utf-8").count('class="katex"')
              for p in Path(site).rglob("index.html") if "notebooks" not in p.parts}
    heaviest = max(counts, key=lambda p: counts[p])
    rel = heaviest.parent.relative_to(site).as_posix()
    page_md = "index.md" if rel == "." else f"{rel}.md"
    path = "" if rel == "." else f"{rel}/"
    delivered = heaviest.read_text(encoding="utf-8")
    in_html = delivered.count('class="katex"')
    has_js = re.search(r"(?i)<script[^>]+(katex|mathjax)", delivered) is not None

    plain = build_variant(Path(tempfile.mkdtemp(prefix="bench-nomath-")),
                          {"SITEBUILD_MATH": "false"}, page_md)
    urls = {f"{name}, {how}": serve(where, compress=how == "gzip")[0] + path
            for how in ("plain", "gzip")
            for name, where in (("with math", Path(site)), ("math removed", plain))}
    results: dict[str, list[tuple[int, float, int]]] = {name: [] for name in urls}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for n in range(rounds):
            progress(f"math in the browser, round {n + 1} of {rounds}")
            for name, url in urls.items():
                results[name].append(visit(browser, url))
        browser.close()

    print(f"\nmath-heaviest page: docs/{page_md} ({in_html} formulas in the delivered HTML, "
          f"math JavaScript on the page: {'yes' if has_js else 'no'})")
    print(f"{'variant':<22} {'bytes':>9} {'math in DOM ms':>15} {'formulas':>9}   ({rounds} loads)")
    median = {}
    for name, values in results.items():
        median[name] = (statistics.median(v[0] for v in values),
                        statistics.median(v[1] for v in values), values[0][2])
        print(f"{name:<22} {median[name][0]:>9.0f} {median[name][1]:>15.1f} {median[name][2]:>9}")
    print()
    for how in ("plain", "gzip"):
        math, plain_page = median[f"with math, {how}"], median[f"math removed, {how}"]
        byte_ratio, time_ratio = math[0] / plain_page[0], math[1] / plain_page[1]
        verdict = "meets" if byte_ratio <= GOAL_BYTES else "misses"
        print(f"{how:>5}: bytes with math / without = {byte_ratio:.2f} ({verdict} the goal of "
              f"<= {GOAL_BYTES}x); DOMContentLoaded with math / without = {time_ratio:.2f}")

    # The page with the most figures, gzip-compressed, against the same site without figures.
    figures = {p: p.read_text(encoding="utf-8").count('class="figure"')
               for p in Path(site).rglob("index.html")}
    heaviest = max(figures, key=lambda p: figures[p])
    rel = heaviest.parent.relative_to(site).as_posix()
    path = "" if rel == "." else f"{rel}/"
    bare = build_variant(Path(tempfile.mkdtemp(prefix="bench-nofigures-")),
                         {"SITEBUILD_FIGURES": "false"})
    urls = {"with figures": serve(Path(site), compress=True)[0] + path,
            "figures removed": serve(bare, compress=True)[0] + path}
    loads: dict[str, list[int]] = {name: [] for name in urls}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for n in range(rounds):
            progress(f"figures in the browser, round {n + 1} of {rounds}")
            for name, url in urls.items():
                loads[name].append(visit(browser, url)[0])
        browser.close()
    sizes = {name: statistics.median(values) for name, values in loads.items()}
    print(f"\npage with the most figures: {path or 'home'} ({figures[heaviest] // 2} figures, "
          f"each in two palettes, one loaded)")
    print(f"gzip: bytes with figures / without = "
          f"{sizes['with figures'] / sizes['figures removed']:.2f} "
          f"({sizes['with figures']:.0f} / {sizes['figures removed']:.0f})")


def bench_jacobians(rounds: int) -> dict[str, dict[str, float]]:
    """Four ways to build a Jacobian, on a tall (1000 x 4) and a wide (4 x 1000) one, timed in
    this process; printed relative to jacrev on each shape (docs/forward-mode.md quotes them)."""
    import timeit

    import torch
    from torch.func import jacfwd, jacrev

    torch.manual_seed(0)
    A = torch.randn(1000, 4)
    shapes = {"tall": (lambda x: torch.tanh(A @ x), torch.randn(4)),
              "wide": (lambda x: torch.tanh(A.T @ x), torch.randn(1000))}

    def loop(f: Function, x: torch.Tensor) -> torch.Tensor:
        x = x.detach().requires_grad_()
        y = f(x)
        rows = []
        for i in range(y.numel()):
            one_hot = torch.zeros_like(y)
            one_hot[i] = 1.0
            rows.append(torch.autograd.grad(y, x, one_hot, retain_graph=True)[0])
        return torch.stack(rows)

    def batched(f: Function, x: torch.Tensor) -> torch.Tensor:
        x = x.detach().requires_grad_()
        y = f(x)
        return torch.autograd.grad(y, x, torch.eye(y.numel()), is_grads_batched=True)[0]

    methods: dict[str, Callable[[Function, torch.Tensor], torch.Tensor]] = {
        "one backward per row": loop, "is_grads_batched": batched,
        "jacrev": lambda f, x: jacrev(f)(x), "jacfwd": lambda f, x: jacfwd(f)(x)}
    ratios: dict[str, dict[str, float]] = {}
    print(f"\nJacobian methods, time relative to jacrev on each shape (median of {rounds} "
          "rounds; each round times every method, best of 3):")
    print(f"{'Jacobian':<18}" + "".join(f"{name:>22}" for name in methods))
    for shape, (f, x) in shapes.items():
        reference = jacrev(f)(x)
        for name, method in methods.items():
            assert torch.allclose(method(f, x), reference, atol=1e-6), (shape, name)
        per_round: dict[str, list[float]] = {name: [] for name in methods}
        for n in range(rounds):
            progress(f"Jacobian methods, {shape}, round {n + 1} of {rounds}")
            best = {}
            for name, method in methods.items():
                number = 3 if name == "one backward per row" else 20
                call = functools.partial(method, f, x)
                best[name] = min(timeit.repeat(call, number=number, repeat=3)) / number
            for name in methods:
                per_round[name].append(best[name] / best["jacrev"])
        ratios[shape] = {name: statistics.median(v) for name, v in per_round.items()}
        label = f"{shape} {tuple(reference.shape)}"
        print(f"{label:<18}" + "".join(f"{r:>22.2f}" for r in ratios[shape].values()))
    return ratios


GOAL_EDIT_S = 2.0


def bench_serve(rounds: int) -> None:
    """Time from saving a page or a snippet to `mkdocs serve` serving the page with the change,
    on a copy of the site (warm cache, as an author's is after one build)."""
    import socket
    import urllib.request

    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    for name in ("docs", "snippets"):
        shutil.copytree(ROOT / name, work / name)
    for name in ("mkdocs.yml", "pyproject.toml", "torch-checks.json"):  # the last two: warm-up
        shutil.copy(ROOT / name, work)  # of the live outputs, and the checked torch releases
    for name in ("node_modules", "overrides"):
        (work / name).symlink_to(ROOT / name)
    if (ROOT / ".cache").is_dir():
        shutil.copytree(ROOT / ".cache", work / ".cache")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/vjp/"
    env = {**os.environ, **MAKE_ENV}
    server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=work, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)

    def served() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                page: str = response.read().decode()
                return page
        except OSError:
            return ""

    def wait_for(marker: str, limit: float = 120) -> float:
        start = time.perf_counter()
        while marker not in served():
            if time.perf_counter() - start > limit or server.poll() is not None:
                server.kill()
                sys.exit(f"mkdocs serve never served {marker!r} at {url}")
            time.sleep(0.02)
        return time.perf_counter() - start

    page, snippet = work / "docs" / "vjp.md", work / "snippets" / "vjp" / "chain_rule.py"
    original = snippet.read_text(encoding="utf-8")
    try:
        wait_for("</html>")
        times: dict[str, list[float]] = {"page": [], "snippet": [], "new output": []}
        for n in range(rounds):
            progress(f"mkdocs serve, round {n + 1} of {rounds}")
            time.sleep(1)  # let the watcher settle after the last build
            with open(page, "a", encoding="utf-8") as f:
                f.write(f"\nA new paragraph, page-edit-{n}.\n")
            times["page"].append(wait_for(f"page-edit-{n}"))
            time.sleep(1)
            with open(snippet, "a", encoding="utf-8") as f:
                f.write(f"# snippet-edit-{n}\n")
            times["snippet"].append(wait_for(f"snippet-edit-{n}"))
            time.sleep(1)
            # The snippet now prints something else: the served page shows what (live outputs),
            # a number the page's code does not show as such.
            snippet.write_text(original + f'print("fresh", {n + 2} * 1001)\n', encoding="utf-8")
            times["new output"].append(wait_for(f"fresh {(n + 2) * 1001}"))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nmkdocs serve, saving a file until the served page has the change "
          f"(median of {rounds}; new output: a snippet edited to print something else, until the "
          "page shows what it prints):")
    for kind, values in times.items():
        value = statistics.median(values)
        verdict = "meets" if value <= GOAL_EDIT_S else "misses"
        print(f"  {kind:<12} {value:.2f} s ({verdict} the goal of <= {GOAL_EDIT_S} s)")


def bench_suite() -> None:
    """The whole test suite once, as `.ci/run` runs it (every build from an empty cache), with
    `import torch` timed three times before and three times after it: the machine's speed
    while the suite ran."""
    torch_import = [sys.executable, "-c", "import torch"]
    before = [timed(torch_import) for _ in range(3)]
    suite = timed([sys.executable, "-m", "pytest", "-q", "-n", "auto", "--maxprocesses", "4"],
                  {"CI": "true", "SITEBUILD_CACHE": "false"})
    after = [timed(torch_import) for _ in range(3)]
    floor = statistics.median(before + after)
    verdict = "meets" if suite <= GOAL_SUITE_S else "misses"
    print(f"\nthe whole test suite, as CI runs it: {suite:.0f} s ({verdict} the goal of "
          f"<= {GOAL_SUITE_S:.0f} s); / import torch ({floor:.2f} s, from "
          f"{min(before + after):.2f} to {max(before + after):.2f}) = {suite / floor:.0f}")


def bench_guarantees(rounds: int) -> None:
    """What each guarantee of the engine costs per example, in ms: the private working
    directory (putting a copy of the repository back after a run that wrote nothing, and after
    one that wrote a file), the terminal (opening one), the reader's exit (in a process forked
    from an interpreter warmed as the doc-test's are), and the extra runs of a thorough
    doc-test (four runs of each chain instead of two: the portable one and the cold one)."""
    import torch  # noqa: F401 - the exit is timed in forks of a warm interpreter

    from docscheck import child
    from docscheck.workdir import Copies

    per_run: dict[str, list[float]] = {"working directory, clean": [],
                                       "working directory, a file written": [],
                                       "terminal": [], "exit": []}
    work = Path(tempfile.mkdtemp(prefix="bench-guarantees-"))
    import gc

    gc.collect()
    gc.freeze()  # as the warm interpreters do before forking
    copies = Copies(ROOT, work / "copies")
    copy = copies.take()
    copies.give_back(copy)
    for n in range(rounds):
        progress(f"guarantees, round {n + 1} of {rounds}")
        for _ in range(50):
            copy = copies.take()
            started = time.perf_counter()
            copies.give_back(copy)
            per_run["working directory, clean"].append(time.perf_counter() - started)
            copy = copies.take()
            (copy.where / "written.txt").write_text("x")
            started = time.perf_counter()
            copies.give_back(copy)
            per_run["working directory, a file written"].append(time.perf_counter() - started)
            started = time.perf_counter()
            master, slave = child.open_terminal()
            os.close(slave)
            os.close(master)
            per_run["terminal"].append(time.perf_counter() - started)
        for _ in range(20):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                before = child._Before()
                started = time.perf_counter()
                child._exit_like_python(before, str(work))
                os.write(write, f"{time.perf_counter() - started}".encode())
                os._exit(0)
            os.close(write)
            os.waitpid(pid, 0)
            per_run["exit"].append(float(os.read(read, 100)))
            os.close(read)
    copies.close()
    shutil.rmtree(work)
    # The extra runs: a page of trivial examples checked with two runs and with four.
    site = trivial_site(Path(tempfile.mkdtemp(prefix="bench-thorough-")), TRIVIAL)
    pytest = [sys.executable, "-m", "pytest", "-q", "--rootdir", str(site), str(site / "docs")]
    runs: dict[str, list[float]] = {"two runs": [], "four runs (thorough)": []}
    for n in range(rounds):
        progress(f"guarantees, round {n + 1} of {rounds}: thorough doc-test")
        runs["two runs"].append(timed([*pytest, "--no-cache"], {"CI": ""}))
        runs["four runs (thorough)"].append(timed([*pytest, "--docscheck-thorough"], {"CI": ""}))
    shutil.rmtree(site.parent)
    print(f"\n{'guarantee':<36} {'ms per run':>10} {'ms per example':>15}   (median; two runs "
          "per example)")
    for name, values in per_run.items():
        ms = statistics.median(values) * 1000
        print(f"{name:<36} {ms:>10.2f} {2 * ms:>15.2f}")
    two, four = (statistics.median(v) for v in runs.values())
    print(f"extra runs of a thorough doc-test: {(four - two) / TRIVIAL * 1000:.1f} ms per example "
          f"({TRIVIAL} trivial examples: {two:.1f} s with two runs, {four:.1f} s with four)")


PARTS = ("commands", "guarantees", "serve", "jacobians", "math", "suite")


def _commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (" with uncommitted changes" if git("status", "--porcelain") else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true",
                        help="every measure, the slowest too, five rounds (about ten minutes)")
    parser.add_argument("--rounds", type=int, default=None, help="3, or 5 with --full")
    parser.add_argument("--parts", default="commands,guarantees,serve,jacobians,math",
                        help=f"what to measure, of {', '.join(PARTS)} (suite: the whole test "
                             "suite once, about four minutes)")
    args = parser.parse_args()
    rounds = args.rounds or (5 if args.full else 3)
    parts = args.parts.split(",")
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        parser.error(f"--parts: no such part {', '.join(unknown)} (the parts: {', '.join(PARTS)})")
    tee = _Tee(sys.stdout)
    sys.stdout = tee
    started = datetime.datetime.now(datetime.UTC)
    try:
        out = tempfile.mkdtemp(prefix="bench-site-")
        floor = None
        if "commands" in parts or "math" in parts:
            floor = bench_commands(rounds, out, args.full)  # builds the site the math part serves
        if "guarantees" in parts:
            bench_guarantees(rounds)
        if "serve" in parts:
            bench_serve(rounds)
        if "jacobians" in parts:
            bench_jacobians(rounds)
        if "math" in parts:
            bench_math(rounds, out)
        if "suite" in parts:
            bench_suite()
        if floor is None:
            progress("import torch, for the record")
            floor = statistics.median(timed([sys.executable, "-c", "import torch"])
                                      for _ in range(3))
    finally:
        sys.stdout = tee.stream
    minutes = (datetime.datetime.now(datetime.UTC) - started).total_seconds() / 60
    with open(RESULTS, "a", encoding="utf-8") as f:
        f.write(f"\n## {started:%Y-%m-%d %H:%M} UTC, commit {_commit()}\n\n"
                f"`bench/run.py {' '.join(sys.argv[1:])}`, {rounds} rounds, {minutes:.1f} "
                f"minutes; `import torch` took {floor:.2f} s (median).\n\n"
                f"```text\n{tee.kept.getvalue().strip()}\n```\n")
    progress(f"done in {minutes:.1f} minutes; the figures are added to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
