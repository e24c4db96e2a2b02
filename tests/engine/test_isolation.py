"""What an example sees of the machine, and what it cannot do to it: a terminal of its own, a
reader's exit, no process left behind, only what a fresh interpreter has (checked by the
thorough doc-test's cold run), output that depends on the machine caught."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.engine.helpers import MakeSite, example, outcomes


def test_an_example_runs_on_a_terminal_of_80_columns(site: MakeSite) -> None:
    code = ("import os, sys\n"
            "print(sys.stdin.isatty(), sys.stdout.isatty(), sys.stderr.isatty())\n"
            "print(os.get_terminal_size())\n"
            "print(sys.stdin.name, sys.stdout.name, sys.stderr.name, sys.stdout.line_buffering)")
    output = ("True True True\nos.terminal_size(columns=80, lines=24)\n"
              "<stdin> <stdout> <stderr> True")
    site({"page.md": example(code, output)}).runpytest().assert_outcomes(passed=1)


def test_stdout_and_stderr_interleave_as_on_a_terminal(site: MakeSite) -> None:
    """stdout is line-buffered, stderr written at once: the partial line "out 2" comes after
    the newline written to stderr, as a reader's terminal shows it."""
    code = ("import os, sys\nprint('out 1')\nsys.stderr.write('err 1\\n')\n"
            "os.write(2, b'raw err\\n')\nprint('out 2', end='')\nprint(file=sys.stderr)")
    site({"page.md": example(code, "out 1\nerr 1\nraw err\n\nout 2")}).runpytest() \
        .assert_outcomes(passed=1)


# What torch's import leaves in the warm interpreter: logging and multiprocessing imported, and
# weakref.finalize's exit handler registered (a temporary folder made and removed).
WARMUP_AS_TORCH = ("import logging, logging.handlers, multiprocessing, tempfile; "
                   "tempfile.TemporaryDirectory().cleanup()")


@pytest.mark.parametrize("code, output", [
    ("import atexit\nprint('body')\natexit.register(print, 'at exit')", "body\nat exit"),
    ("import threading, time\nthreading.Timer(0.3, lambda: print('late')).start()\nprint('now')",
     "now\nlate"),
    ("class Noisy:\n    def __del__(self):\n        print('finalized')\n\nkept = Noisy()\n"
     "print('body')", "body\nfinalized"),
    # __builtins__ stays while the module's names are cleared: code run then may still use it
    ("class Noisy:\n    def __del__(self):\n        print(eval('len([1, 2])'))\n\nkept = Noisy()\n"
     "print('body')", "body\n2"),
    # names are cleared as Python clears its main module's at exit: in the order they were made
    ("class Noisy:\n    def __init__(self, name):\n        self.name = name\n\n"
     "    def __del__(self):\n        print(self.name)\n\n\nlast = Noisy('plain name')\n"
     "_first = Noisy('underscore name')\nprint('body')", "body\nplain name\nunderscore name"),
    ("def numbers():\n    try:\n        yield 1\n    finally:\n        print('generator closed')\n\n"
     "it = numbers()\nprint(next(it))", "1\ngenerator closed"),
    # the standard library's own exit work, registered when the example imports the module
    ("import logging, logging.handlers, sys\nheld = logging.handlers.MemoryHandler(100, "
     "target=logging.StreamHandler(sys.stdout))\nlogging.getLogger().addHandler(held)\n"
     "logging.getLogger().warning('logged, held until the exit')\nprint('body')",
     "body\nlogged, held until the exit"),
    ("import multiprocessing, time\ndef work():\n    time.sleep(0.3)\n"
     "    print('worker done', flush=True)\n\nmultiprocessing.Process(target=work).start()\n"
     "print('body', flush=True)", "body\nworker done"),
    ("import weakref\nclass Thing:\n    pass\n\nthing = Thing()\n"
     "weakref.finalize(thing, print, 'finalized at exit')\nprint('body')", "body\nfinalized at exit"),
], ids=["atexit", "thread", "finalizer", "builtins", "clearing-order", "generator", "logging",
        "worker-process", "weakref"])
@pytest.mark.parametrize("warmup", ["", WARMUP_AS_TORCH], ids=["", "imported-by-the-warm-up"])
def test_what_the_exit_prints_is_the_last_example_s_output(site: MakeSite, code: str, output: str,
                                                           warmup: str) -> None:
    """The interpreter's exit (threads joined, exit handlers, module teardown) runs as in a
    reader's script, and what it prints is compared: a page without it fails. Also the exit
    work of modules the warm-up imported (torch imports logging and multiprocessing), whose
    exit handlers the warm interpreter had registered before the example ran."""
    pytester = site({"page.md": example(code, output), "missing.md": example(
        code, output.rsplit("\n", 1)[0])}, ini={"docscheck_warmup": warmup})
    result = pytester.runpytest()
    assert outcomes(result) == {"passed": 1, "failed": 1}
    result.stdout.fnmatch_lines(["docs/missing.md:1: printed output differs*"])


@pytest.mark.parametrize("warmup", ["", WARMUP_AS_TORCH], ids=["", "imported-by-the-warm-up"])
def test_a_daemon_worker_process_ends_with_the_example_as_with_a_script(site: MakeSite,
                                                                       warmup: str) -> None:
    """Python's exit terminates the daemonic worker processes of multiprocessing: this one
    never gets to print."""
    code = ("import multiprocessing, time\ndef work():\n    time.sleep(0.5)\n"
            "    print('daemon done', flush=True)\n\n"
            "multiprocessing.Process(target=work, daemon=True).start()\nprint('body', flush=True)")
    pytester = site({"page.md": example(code, "body")}, ini={"docscheck_warmup": warmup})
    pytester.runpytest().assert_outcomes(passed=1)


def test_the_warm_up_s_exit_handlers_print_nothing_into_an_example(site: MakeSite) -> None:
    pytester = site({"page.md": example("print('body')", "body")},
                    ini={"docscheck_warmup": "import atexit; atexit.register(print, 'warm-up')"})
    pytester.runpytest().assert_outcomes(passed=1)


def test_an_example_in_a_chain_ends_its_processes_also_in_a_new_session(site: MakeSite) -> None:
    """A double fork whose grandchild starts a new session: still found, named and ended."""
    code = ("import os\n"
            "started, done = os.pipe()  # closed on exec: EOF once sleep runs\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            "    if os.fork() == 0:\n"
            "        os.execvp('sleep', ['sleep', '62'])\n"
            "    os._exit(0)\n"
            "os.close(done)\nos.read(started, 1)\nos.wait()\nprint('daemon started')")
    result = site({"page.md": example(code, "daemon started")}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:1: it left processes running*: sleep 62"])
    assert not _processes("sleep 62")


@pytest.mark.parametrize("code, named", [
    ("import os, time\nif os.fork() == 0:\n    time.sleep(60)\nprint('done')",
     "a copy of the example's own process (os.fork)"),
    # named by its command line, also when that is not UTF-8
    ("import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', 'import time; "
     "time.sleep(60)', b'\\xff-arg'])\nprint('done')",
     "*python* -c import time; time.sleep(60) \ufffd-arg*"),
], ids=["fork", "command-line"])
def test_a_process_the_example_left_running_is_named(site: MakeSite, code: str, named: str) -> None:
    result = site({"page.md": example(code, "done")}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f"docs/page.md:1: it left processes running*: {named}"])


def test_the_example_is_the_main_module_as_a_script_is(site: MakeSite) -> None:
    """Its functions pickle by name from ``__main__`` (as multiprocessing sends them)."""
    code = ("import pickle, sys\ndef f():\n    pass\n\n"
            "print(sys.modules['__main__'].f is f, pickle.loads(pickle.dumps(f)) is f)")
    site({"page.md": example(code, "True True")}).runpytest().assert_outcomes(passed=1)


def test_a_process_that_ended_is_not_running() -> None:
    from docscheck import child

    pid = os.fork()
    if pid == 0:
        os._exit(0)
    try:
        for _ in range(500):  # until it has ended: a zombie, not reaped yet
            if Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] == "Z":
                break
            time.sleep(0.01)
        assert not child._running(pid)
    finally:
        os.waitpid(pid, 0)
    assert not child._running(pid)  # gone
    assert child._running(os.getpid())


def _processes(command: str) -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            line = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if line.strip() == command:
            found.append(int(pid))
    return found


def test_a_process_started_by_an_example_that_timed_out_is_ended(site: MakeSite) -> None:
    code = ("import subprocess, time\n"
            "subprocess.Popen(['sleep', '63'], start_new_session=True)\ntime.sleep(30)")
    result = site({"page.md": example(code)}, ini={"docscheck_timeout": "1"}).runpytest()
    result.assert_outcomes(failed=1)
    assert not _processes("sleep 63")


def test_sigterm_to_pytest_mid_example_leaves_no_process_and_no_file(site: MakeSite, tmp_path: Path) -> None:
    """pytest ended by SIGTERM (a CI step's time limit) while an example runs: every process
    it started ends, the run files are removed, the repository is as it was."""
    code = ("import subprocess, time\n"
            "subprocess.Popen(['sleep', '64'], start_new_session=True)\n"
            "open('written.txt', 'w').write('x')\n"
            "print('started', flush=True)\ntime.sleep(60)")
    pytester = site({"page.md": example(code)})
    before = sorted(p.name for p in pytester.path.rglob("*"))
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    env.pop("CI", None)
    process = subprocess.Popen([sys.executable, "-m", "pytest", "-p", "no:randomly"],
                               cwd=pytester.path, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not _processes("sleep 64") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes("sleep 64"), "the example did not start"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) != 0
    deadline = time.monotonic() + 10
    while _processes("sleep 64") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _processes("sleep 64")
    assert not [p for p in _all_processes() if f"{pytester.path}" in p]
    assert list(tmp_path.iterdir()) == []
    assert sorted(p.name for p in pytester.path.rglob("*")) == before


def _all_processes() -> list[str]:
    lines = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        if int(pid) == os.getpid():  # pytester runs the test in its folder
            continue
        try:
            lines.append(Path(f"/proc/{pid}/cwd").resolve().as_posix())
        except OSError:
            continue
    return lines


def test_a_killed_warm_interpreter_takes_its_runs_processes_with_it(site: MakeSite, tmp_path: Path) -> None:
    """The warm interpreter killed mid-run (out of memory, say): its keeper ends what the run
    had started."""
    code = ("import os, signal, subprocess, time\n"
            "subprocess.Popen(['sleep', '65'], start_new_session=True)\n"
            "time.sleep(0.5)\n"
            "os.kill(os.getppid(), signal.SIGKILL)\n"
            "time.sleep(30)")
    result = site({"page.md": example(code)}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*a warm interpreter stopped*"])
    deadline = time.monotonic() + 10
    while _processes("sleep 65") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _processes("sleep 65")


def test_the_thorough_doc_test_catches_what_the_warm_up_imported(site: MakeSite) -> None:
    """`import concurrent` does not import concurrent.futures; the warm-up did. The cold run of
    a thorough doc-test shows the difference a reader would meet."""
    code = "import concurrent\nprint(concurrent.futures.ThreadPoolExecutor.__name__)"
    pytester = site({"page.md": example(code, "ThreadPoolExecutor")},
                    ini={"docscheck_warmup": "import concurrent.futures"})
    pytester.runpytest().assert_outcomes(passed=1)  # two warm runs cannot tell
    result = pytester.runpytest("--docscheck-thorough")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "docs/page.md:1: the output differs in a fresh interpreter*",
        "*AttributeError: module 'concurrent' has no attribute 'futures'*"])


def test_the_thorough_doc_test_catches_output_that_depends_on_the_machine(site: MakeSite) -> None:
    code = "import os\nprint(os.environ.get('OMP_NUM_THREADS'))"
    pytester = site({"page.md": example(code, "None")})
    pytester.runpytest().assert_outcomes(passed=1)
    result = pytester.runpytest("--docscheck-thorough")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:1: the output depends on the machine*",
                                 "--- first run",
                                 "+++ run with one thread and portable kernels",
                                 "*", "-None", "+1"])


def test_the_thorough_doc_test_is_the_default_in_ci(site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    code = "import os\nprint(os.environ.get('OMP_NUM_THREADS'))"
    pytester = site({"page.md": example(code, "None")})
    monkeypatch.setenv("CI", "true")
    pytester.runpytest().assert_outcomes(failed=1)
    monkeypatch.setenv("CI", "false")
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_cold_run_passes_what_a_reader_s_script_prints(site: MakeSite) -> None:
    code = ("import atexit, sys, random\nrandom.seed(1)\nprint(random.random(), __name__, "
            "sys.argv[0])\natexit.register(print, 'bye')")
    result = site({"page.md": example(code, "0.13436424411240122 __main__ docs/page.md\nbye")}) \
        .runpytest("--docscheck-thorough")
    result.assert_outcomes(passed=1)


def test_the_exit_clears_the_example_s_own_modules_too(site: MakeSite) -> None:
    """A module the example imports from the repository is torn down at exit, as Python does:
    a finalizer of one of its globals prints."""
    helper = ("class Noisy:\n    def __del__(self):\n        print('helper finalized')\n\n"
              "kept = Noisy()\n")
    code = "import sys\nsys.path.insert(0, 'snippets')\nimport helper\nprint('body')"
    pytester = site({"page.md": example(code, "body\nhelper finalized")}, {"helper.py": helper})
    pytester.runpytest().assert_outcomes(passed=1)


def test_the_exit_drops_the_modules_in_the_order_and_way_python_does(
        site: MakeSite, tmp_path: Path) -> None:
    """The order a reader's ``python`` finalizes in (checked against it): the script's names as
    they were made (one leading underscore or not), then the modules it imported from the
    repository: ``second`` at once, as nothing else holds it; ``first``, whose class's methods
    hold its globals in a cycle, at the collection that follows."""
    noisy = ("class Noisy:\n    def __init__(self, name):\n        self.name = name\n\n"
             "    def __del__(self):\n        print(self.name)\n\n\n")
    snippets = {"first.py": noisy + "plain = Noisy('first plain')\n_under = Noisy('first _under')\n",
                "second.py": "from first import Noisy\n\nb = Noisy('second b')\na = Noisy('second a')\n"}
    code = ("import sys\nsys.path.insert(0, 'snippets')\nimport first\nimport second\n\n"
            "last = first.Noisy('main last')\n_first = first.Noisy('main _first')\nprint('body')")
    (tmp_path / "snippets").mkdir()
    for name, text in snippets.items():
        (tmp_path / "snippets" / name).write_text(text)
    (tmp_path / "script.py").write_text(code)
    expected = subprocess.run([sys.executable, "script.py"], cwd=tmp_path, capture_output=True,
                              text=True, check=True).stdout.rstrip("\n")
    assert expected == ("body\nmain last\nmain _first\nsecond b\nsecond a\nfirst plain\n"
                        "first _under")
    pytester = site({"page.md": example(code, expected)}, snippets)
    pytester.runpytest().assert_outcomes(passed=1)
