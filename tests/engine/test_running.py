"""How examples run: as `python snippets/<x>.py` runs in a terminal, each chain in its own process,
twice with fresh random seeds, faults contained."""

import os
import pty
import shutil
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

from tests.engine.helpers import ROOT, MakeSite, example, outcomes

TORCH = {"docscheck_warmup": "import torch"}


def in_a_terminal(root: Path, script: str) -> str:
    """What `python <script>` prints in a terminal, run from ``root`` (paths made relative)."""
    main, secondary = pty.openpty()
    process = subprocess.Popen([sys.executable, script], cwd=root, stdin=subprocess.DEVNULL,
                               stdout=secondary, stderr=secondary, env={
                                   k: v for k, v in os.environ.items()
                                   if not k.startswith(("PYTHON", "PYTEST_"))})
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(main, 1 << 16)
        except OSError:  # the terminal closed with the process
            break
        if not data:
            break
        chunks.append(data)
    process.wait()
    os.close(main)
    text = b"".join(chunks).decode().replace("\r\n", "\n")
    return text.replace(f"{root}/", "")


READER = """\
from __future__ import annotations

import os
import sys
import warnings


def f(x: Undefined) -> None: ...


print(f.__annotations__)
print(__name__, sys.argv, __file__ == os.path.abspath(sys.argv[0]))
print(sys.path[0] == os.path.dirname(__file__), os.path.exists("mkdocs.yml"))
print(sorted(k for k in os.environ if k.startswith(("PYTHON", "PYTEST", "GLIBC"))))
print("partial line", end="")
warnings.warn("a warning shows its source line")
sys.stderr.write("to stderr\\n")
os.write(1, b"straight to file descriptor 1\\n")
sys.stdout.buffer.write(b"bytes through sys.stdout.buffer\\n")
if __name__ == "__main__":
    print(" -- the main guard ran")
"""


def test_an_example_prints_what_python_prints_for_it_in_a_terminal(site: MakeSite) -> None:
    """The engine's run of a snippet (name, argv, path, cwd, __future__, warnings, stderr, writes
    to the file descriptor, sys.stdout.buffer, order of the streams) is a terminal's."""
    pytester = site({"page.md": "placeholder"}, {"reader.py": READER})
    shown = in_a_terminal(pytester.path, "snippets/reader.py")
    assert "snippets/reader.py:16: UserWarning: a warning shows its source line" in shown
    assert "the main guard ran" in shown and "Undefined" in shown
    page = f'~~~python\n--8<-- "snippets/reader.py"\n~~~\n~~~output\n{shown.rstrip()}\n~~~\n'
    (pytester.path / "docs" / "page.md").write_text(page.replace("~~~", "```"))
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)


def test_a_warning_of_the_compiler_is_printed_as_python_prints_it(site: MakeSite) -> None:
    """Once, at the line of the file, with its source line."""
    pytester = site({"page.md": "placeholder"}, {"literal.py": "x = 1\nprint(x is 1)\n"})
    shown = in_a_terminal(pytester.path, "snippets/literal.py")
    assert 'snippets/literal.py:2: SyntaxWarning: "is" with a literal' in shown
    page = f'~~~python\n--8<-- "snippets/literal.py"\n~~~\n~~~output\n{shown.rstrip()}\n~~~\n'
    (pytester.path / "docs" / "page.md").write_text(page.replace("~~~", "```"))
    pytester.runpytest().assert_outcomes(passed=1)


SHAPES = '''\
"""A docstring."""
import functools


@functools.cache
def f(x,
      y=2):
    """Its docstring."""
    return [i * y
            for i in range(x)]


class C:
    z = f(3)

    def g(self):
        return lambda: (self.z,
                        1 / 0)


print(f(2), C().g())
'''


@pytest.mark.parametrize("code", [SHAPES, "x = 1  # a carriage return\rb = 2\ny = x / 0\n"],
                         ids=["shapes", "carriage-return"])
def test_code_from_one_file_compiles_as_its_parts_would(tmp_path: Path, code: str) -> None:
    """Code from one file, on consecutive lines, is compiled in one piece: into the same code
    as the general way, statement by statement at their lines (names, lines, positions). A
    carriage return, a line break to Python's compiler but not to the page, is the exception:
    such code is compiled the general way."""
    from docscheck.child import _compile_parts, compile_example

    def shape(code: types.CodeType) -> tuple[object, ...]:
        nested = [c for c in code.co_consts if hasattr(c, "co_code")]
        return (code.co_name, code.co_filename, code.co_firstlineno, list(code.co_lines()),
                list(code.co_positions()), code.co_code, [shape(c) for c in nested])

    origins = [["snippets/shapes.py", 40 + i] for i in range(code.count("\n"))]
    whole, flags = compile_example(code, origins, str(tmp_path))
    parts, _ = _compile_parts(code, origins, str(tmp_path), 0, True)
    assert len(whole) == len(parts) == 1 and flags == 0
    assert shape(whole[0]) == shape(parts[0])
    assert whole[0].co_filename == str(tmp_path / "snippets" / "shapes.py")


LEAKS = """\
import builtins, os, sys, types, warnings
import numpy as np
import torch

np.set_printoptions(precision=2)
np.random.seed(1)
torch.set_default_dtype(torch.float64)
torch.set_default_device("meta")
torch.use_deterministic_algorithms(True)
torch.set_float32_matmul_precision("medium")
torch.set_printoptions(precision=1)
torch.inference_mode().__enter__()
torch.set_grad_enabled(False)
torch.Tensor.__repr__ = lambda self: "patched"
warnings.simplefilter("ignore")
os.chdir("/")
sys.path.insert(0, "/nowhere")
os.environ["LEAKED"] = "1"
sys.modules["leaked_module"] = types.ModuleType("leaked_module")
builtins.leaked = True
"""

FRESH = """\
import builtins, os, sys, warnings
import numpy as np
import torch

print(np.array([1 / 3, 2 / 3]))
print(torch.tensor([1 / 3]), torch.get_default_dtype(), torch.is_grad_enabled())
print(torch.is_inference_mode_enabled(), torch.are_deterministic_algorithms_enabled())
print(torch.get_float32_matmul_precision(), torch.ones(1).device)
print(os.path.exists("mkdocs.yml"), "/nowhere" in sys.path, "LEAKED" in os.environ)
print("leaked_module" in sys.modules, hasattr(builtins, "leaked"))
warnings.warn("warnings are shown again")
"""


def test_nothing_one_example_changes_reaches_the_next(site: MakeSite) -> None:
    """Global state changed by one example (NumPy, torch, the interpreter, the process) is gone
    in the next, which prints what a new `python` prints for it."""
    pytester = site({"page.md": "placeholder"}, {"fresh.py": FRESH}, ini=TORCH)
    shown = in_a_terminal(pytester.path, "snippets/fresh.py")
    assert "[0.33333333 0.66666667]" in shown and "tensor([0.3333]) torch.float32 True" in shown
    page = (example(LEAKS) + f'~~~python\n--8<-- "snippets/fresh.py"\n~~~\n'
            f"~~~output\n{shown.rstrip()}\n~~~\n")
    (pytester.path / "docs" / "page.md").write_text(page.replace("~~~", "```"))
    pytester.runpytest().assert_outcomes(passed=2)


def test_continues_shares_state_without_running_the_first_example_again(site: MakeSite) -> None:
    page = (example("x = 20\nprint('first')", "first")
            + example("print(x + 1)", "21", info="{.python continues}")
            + example("print('x' in globals())", "False"))
    site({"page.md": page}).runpytest().assert_outcomes(passed=3)


def test_an_example_selected_alone_runs_its_chain_only_up_to_it(site: MakeSite, tmp_path: Path) -> None:
    """The examples after it in its chain are not selected, so they do not run."""
    marker = tmp_path / "ran"
    page = (example("print('first')", "first")
            + example(f"open({str(marker)!r}, 'w').close()\nprint('second')", "second",
                      info="{.python continues}"))
    pytester = site({"page.md": page})
    first = next(item.nodeid for item in pytester.getitems(pytester.path / "docs" / "page.md")
                 if "line:1]" in item.nodeid)
    pytester.runpytest(first).assert_outcomes(passed=1)
    assert not marker.exists()
    pytester.runpytest().assert_outcomes(passed=2)
    assert marker.exists()


def test_an_example_continuing_a_failed_one_is_not_run(site: MakeSite) -> None:
    page = example("x = 1 / 0") + example("print(x)", "1", info="{.python continues}")
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines([
        "docs/page.md:5: not run: it continues docs/page.md:1, which raised ZeroDivisionError"])


UNSEEDED = [
    "import random\nprint(random.random() < 2, random.randrange(10**9))",
    "import numpy as np\nprint(np.random.randint(10**9))",
    "import torch\nprint(torch.rand(1).item() < 2, torch.randint(10**9, (1,)).item())",
    "print(object())",
]


def test_output_that_depends_on_chance_fails_even_as_the_first_example(site: MakeSite) -> None:
    """Each case is the first example of a page of its own; the pages are checked in one run."""
    pages = {f"case{n}.md": example(code, "anything") for n, code in enumerate(UNSEEDED)}
    result = site(pages, ini=TORCH).runpytest()
    result.assert_outcomes(failed=len(UNSEEDED))
    for name in pages:
        result.stdout.fnmatch_lines([
            f"docs/{name}:1: the output depends on chance: two runs, each with fresh random "
            "seeds, printed different things. Seed the example*",
            "--- first run", "+++ second run"])


def test_a_warm_up_that_seeds_does_not_seed_the_examples(site: MakeSite) -> None:
    """A reader's fresh interpreter has fresh seeds, whatever the warm-up did: each run is
    seeded anew, for random, NumPy and torch alike."""
    warmup = ("import random, numpy, torch; random.seed(0); numpy.random.seed(0); "
              "torch.manual_seed(0)")
    pages = {f"case{n}.md": example(code, "anything") for n, code in enumerate([
        "import random\nprint(random.random())",
        "import numpy\nprint(numpy.random.rand())",
        "import torch\nprint(torch.rand(1))"])}
    result = site(pages, ini={"docscheck_warmup": warmup}).runpytest()
    result.assert_outcomes(failed=3)
    assert result.stdout.str().count("the output depends on chance") == 3


def test_seeded_randomness_passes(site: MakeSite) -> None:
    code = ("import random\nimport torch\nrandom.seed(3)\ntorch.manual_seed(0)\n"
            "print(random.randrange(100), torch.rand(2))")
    page = example(code, "30 tensor([0.4963, 0.7682])")
    site({"page.md": page}, ini=TORCH).runpytest().assert_outcomes(passed=1)


def test_update_mode_refuses_output_that_depends_on_chance(site: MakeSite) -> None:
    pytester = site({"page.md": example("import random\nprint(random.random())", "0.5")})
    result = pytester.runpytest("--update-output")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the output depends on chance*",
                                 "--update-output: 1 example(s) or page(s) failed, so no page was "
                                 "written; fix them and run again"])
    assert "0.5" in (pytester.path / "docs" / "page.md").read_text()


def test_an_example_past_its_time_limit_fails_and_the_limit_can_be_raised(site: MakeSite) -> None:
    page = (example("import time\ntime.sleep(1.5)\nprint('slow')", "slow")
            + example("import time\ntime.sleep(1.5)\nprint('slow')", "slow",
                      info='{.python timeout="5"}')
            + example("while True:\n    pass"))
    result = site({"page.md": page}, ini={"docscheck_timeout": "1"}).runpytest()
    assert outcomes(result) == {"passed": 1, "failed": 2}
    result.stdout.fnmatch_lines([
        'docs/page.md:1: it did not finish within 1 s; if it needs longer, raise its limit: '
        '{.python timeout="2"}',
        'docs/page.md:19: it did not finish within 1 s*'])


def test_each_example_of_a_chain_has_its_own_time_limit(site: MakeSite) -> None:
    """The limit of the example that runs, not of the chain's first: the second example (1 s)
    is stopped though the first's limit (10 s) would let it finish."""
    page = (example("print('first')", "first", info='{.python timeout="10"}')
            + example("import time\ntime.sleep(4)\nprint('slow')", "slow",
                      info='{.python continues timeout="1"}'))
    result = site({"page.md": page}).runpytest()
    assert outcomes(result) == {"passed": 1, "failed": 1}
    result.stdout.fnmatch_lines(["docs/page.md:*: it did not finish within 1 s*"])


@pytest.mark.parametrize("code, message", [
    ("import sys\nprint('bye')\nsys.exit(0)",
     "docs/page.md:1: it called sys.exit(0) (SystemExit), which ends a reader's script there; the "
     "page cannot show that"),
    ("raise SystemExit(2)", "docs/page.md:1: it called sys.exit(2) (SystemExit)*"),
    ("raise KeyboardInterrupt", "docs/page.md:1: it raised KeyboardInterrupt:"),
    ("import os\nprint('before', flush=True)\nos._exit(0)",
     "docs/page.md:1: its process ended with status 0 before the example finished (os._exit(), or "
     "an exit from native code), in a second run as well"),
    ("import os\nprint('before', flush=True)\nos._exit(3)",
     "docs/page.md:1: its process ended with status 3 before the example finished (os._exit(), or "
     "an exit from native code)"),
    ("import ctypes\nctypes.string_at(0)",
     "docs/page.md:1: its process was killed by SIGSEGV (a crash) while it ran"),
    ("import subprocess\nsubprocess.Popen(['sleep', '60'])\nprint('started')",
     "docs/page.md:1: it left processes running, which a reader's script would leave behind (end "
     "them, or wait for them, before the example ends): sleep 60"),
    ("import subprocess\nsubprocess.Popen(['sleep', '61'], start_new_session=True)",
     "docs/page.md:1: it left processes running*: sleep 61"),
    ("name = input('Your name? ')\nprint(name)",
     "docs/page.md:1: it waits for input at docs/page.md:2 (a reader's script would stop there "
     "until they type): give the example its input another way"),
    ("import sys\nprint(sys.stdin.read())",
     "docs/page.md:1: it waits for input at docs/page.md:3*"),
    ("import os\nos.read(0, 10)",
     "docs/page.md:1: it waits for input from the terminal (a reader's script would stop there "
     "until they type): give the example its input another way"),
    ("while True:\n    print('x' * 1000)", "docs/page.md:1: it printed more than 8 MiB"),
    ("import sys\nsys.stdout.write('y' * 100_000)\nraise ValueError('after much output')",
     "docs/page.md:1: the example raised ValueError"),
])
def test_a_fault_fails_its_example_and_nothing_else(site: MakeSite, code: str, message: str) -> None:
    page = example(code) + example("print(42)", "42")
    result = site({"page.md": page, "other.md": example("print(1)", "1")}).runpytest()
    assert outcomes(result) == {"passed": 2, "failed": 1}
    result.stdout.fnmatch_lines([message])


def test_a_run_whose_process_exits_normally_mid_chain_is_made_again_and_said(
        site: MakeSite, tmp_path: Path) -> None:
    """A run whose process exits with status 0 before its chain ends (what an example's
    ``os._exit(0)`` does, and what a run whose end the engine lost looks like) is made once
    more; the second is judged, and the terminal names the first. Here only one run of the
    chain, the first to create the flag file, exits early: the example passes."""
    flag = tmp_path / "exited"
    code = f"""
        import os
        print('start', flush=True)
        try:
            os.close(os.open({str(flag)!r}, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            pass
        else:
            os._exit(0)
        print('end')
        """
    page = example(code, "start\nend") + example("print(42)", "42", info="{.python continues}")
    result = site({"page.md": page}).runpytest()
    assert outcomes(result) == {"passed": 2}
    result.stdout.fnmatch_lines([
        "docscheck: 1 run(s) made again, as their process exited in the middle of its chain (the "
        "second run is the one judged):",
        "  docs/page.md:1 (a run forked from warm interpreter [01]): its process exited (status 0) "
        "before the example finished; neither its result nor the end of its output arrived (* "
        "bytes did)"])


def test_a_run_that_passes_is_not_made_again(site: MakeSite) -> None:
    result = site({"page.md": example("print(1)", "1")}).runpytest()
    assert outcomes(result) == {"passed": 1}
    assert "made again" not in result.stdout.str()


def test_a_result_without_all_its_output_is_called_the_engines_fault(site: MakeSite) -> None:
    """The example reported its result but its mark (the end of its output) never reached the
    engine: here the example points the engine's own copy of the terminal at /dev/null, which
    is what output lost on the way looks like."""
    code = """
        import os
        tty = os.ttyname(1)
        for fd in range(3, 64):
            try:
                if os.ttyname(fd) == tty:
                    os.dup2(os.open(os.devnull, os.O_WRONLY), fd)
            except OSError:
                pass
        print('hidden')
        """
    result = site({"page.md": example(code, "hidden")}).runpytest()
    assert outcomes(result) == {"failed": 1}
    result.stdout.fnmatch_lines([
        "docs/page.md:1: its process ended with status 0 before the example finished (os._exit(), or "
        "an exit from native code), in a second run as well; its result arrived but not all it "
        "printed: the engine lost the end of its output (a bug of the engine, not of the example)",
        "  docs/page.md:1 (a run forked from warm interpreter 0): *; its result arrived, the end "
        "of its output did not"])


def test_a_failure_shows_a_bounded_part_of_a_long_output(site: MakeSite) -> None:
    page = example("print('z' * 300_000)", "short")
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    assert len(result.stdout.str()) < 30_000
    result.stdout.fnmatch_lines(["*[... 2* more characters not shown]"])


def test_a_page_gives_the_same_results_alone_in_any_order(site: MakeSite) -> None:
    pages = {
        "a.md": example("import os\nos.environ['A'] = '1'\nprint('A' in os.environ)", "True")
        + example("import os\nprint('A' in os.environ)", "False"),
        "b.md": example("import os\nprint('A' in os.environ)", "False")
        + example("print(1)", "2"),
    }
    pytester = site(pages)
    pytester.makeconftest("def pytest_collection_modifyitems(items):\n"
                          "    import os\n"
                          "    if os.environ.get('REVERSE'): items.reverse()\n")
    forward = outcomes(pytester.runpytest())
    assert forward == {"passed": 3, "failed": 1}
    os.environ["REVERSE"] = "1"
    try:
        assert outcomes(pytester.runpytest()) == forward
    finally:
        del os.environ["REVERSE"]
    assert outcomes(pytester.runpytest("docs/b.md")) == {"passed": 1, "failed": 1}
    assert outcomes(pytester.runpytest("docs/a.md")) == {"passed": 2}


RAISING = example('print("about to divide")\n1 / 0',
                  "about to divide\nZeroDivisionError: division by zero",
                  info='{.python raises="ZeroDivisionError"}')


def test_expected_error_passes(site: MakeSite) -> None:
    site({"page.md": RAISING}).runpytest().assert_outcomes(passed=1)


def test_expected_error_with_other_message_fails(site: MakeSite) -> None:
    page = RAISING.replace("ZeroDivisionError: division by zero", "ZeroDivisionError: oops")
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["-ZeroDivisionError: oops", "+ZeroDivisionError: division by zero"])


def test_expected_error_of_other_type_fails_with_its_traceback(site: MakeSite) -> None:
    page = RAISING.replace('raises="ZeroDivisionError"', 'raises="ValueError"')
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        'docs/page.md:1: the example raised ZeroDivisionError (the page expects raises="ValueError")',
        "Traceback (most recent call last):", '  File "docs/page.md", line 3, in <module>',
        "    1 / 0", "ZeroDivisionError: division by zero"])


def test_an_error_of_a_module_is_named_with_its_module(site: MakeSite) -> None:
    page = example('import json\njson.loads("{")', "x", info='{.python raises="KeyError"}')
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(passed=0, failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:1: the example raised json.decoder.JSONDecodeError "
                                 '(the page expects raises="KeyError")'])


def test_declared_error_that_is_not_raised_fails(site: MakeSite) -> None:
    page = RAISING.replace("1 / 0", "1 / 1")
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ['docs/page.md:1: declares raises="ZeroDivisionError" but ran without an error'])


def test_an_error_over_several_lines_with_a_note_is_checked_whole(site: MakeSite) -> None:
    code = 'e = ValueError("first line\\nsecond line")\ne.add_note("a note")\nraise e'
    page = example(code, "ValueError: first line\nsecond line\na note",
                   info='{.python raises="ValueError"}')
    site({"page.md": page}).runpytest().assert_outcomes(passed=1)


def test_exception_in_snippet_is_reported_at_the_snippet_line_with_its_source(site: MakeSite) -> None:
    snippets = {"boom.py": "x = 1\n\n\ny = x / 0\n"}
    page = "# Page\n\nSome text.\n\n" + example('print("before")\n--8<-- "snippets/boom.py"')
    result = site({"page.md": page}, snippets).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "docs/page.md:5 (code from snippets/boom.py): the example raised ZeroDivisionError",
        "Traceback (most recent call last):",
        '  File "snippets/boom.py", line 4, in <module>',
        "    y = x / 0", "*", "ZeroDivisionError: division by zero"])


def test_exception_in_code_written_in_the_page_names_the_page_line(site: MakeSite) -> None:
    page = "# Page\n\n!!! note\n\n    ~~~python\n    values = [1, 2]\n    print(values[5])\n    ~~~\n"
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(['  File "docs/page.md", line 7, in <module>',
                                 "    print(values[5])", "*", "IndexError: list index out of range"])


def test_syntax_error_in_a_snippet_names_the_snippet_line(site: MakeSite) -> None:
    snippets = {"broken.py": "x = 1\nprint(\n"}
    page = "# Page\n\n" + example('print("inline")\n--8<-- "snippets/broken.py"')
    result = site({"page.md": page}, snippets).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:3 (code from snippets/broken.py): syntax error at "
                                 "snippets/broken.py:2: '(' was never closed"])


def test_a_failing_warm_up_is_reported_by_every_example(site: MakeSite) -> None:
    result = site({"page.md": example("x = 1")}, ini={"docscheck_warmup": "import no_such_module"}
                  ).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "docs/page.md:1: the example could not run: the warm-up code (the docscheck_warmup "
        "setting) failed:", "*ModuleNotFoundError: No module named 'no_such_module'"])


def test_warnings_from_torch_show_on_the_page_as_python_prints_them(site: MakeSite) -> None:
    code = textwrap.dedent("""\
        import torch
        x = torch.ones(2, requires_grad=True)
        y = x * 2
        print(y.grad)""")
    output = ("docs/page.md:5: UserWarning: The .grad attribute of a Tensor that is not a leaf "
              "Tensor is being accessed.*")
    result = site({"page.md": example(code, "placeholder")}, ini=TORCH).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["+" + output, "+  print(y.grad)", "+None"])


TORCH_FULL = {"docscheck_warmup": "import torch; from torch.func import jacrev"}


CHANCE = [
    "import torch\nx = torch.ones(2, requires_grad=True)\nprint((x * 2).sum().grad_fn)",
    "import torch\nprint(torch.manual_seed)",
    "import torch\nprint(id(torch))",
    "import io\nprint(io.StringIO())",
    "print({'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota'})",
    "import sympy\nprint(sympy.randprime(10**6, 10**7))",
]


def test_output_that_differs_between_interpreters_is_chance(site: MakeSite) -> None:
    """Addresses of objects made before the example, string hash order and the state of
    libraries the warm-up imported differ between two readers' interpreters: the two runs come
    from two interpreters started independently. (One page per case, checked in one run.)"""
    ini = {"docscheck_warmup": "import torch, sympy"}
    pages = {f"case{n}.md": example(code, "anything") for n, code in enumerate(CHANCE)}
    result = site(pages, ini=ini).runpytest()
    result.assert_outcomes(failed=len(CHANCE))
    for name in pages:
        result.stdout.fnmatch_lines([f"docs/{name}:1: the output depends on chance*"])


def test_c_output_is_line_buffered_and_kept_as_in_a_terminal(site: MakeSite) -> None:
    code = ('import ctypes\nctypes.CDLL(None).printf(b"from C\\n")\nprint("from Python")\n'
            'ctypes.CDLL(None).printf(b"unflushed, at the end")')
    result = site({"page.md": example(code, "from C\nfrom Python\nunflushed, at the end")}
                  ).runpytest()
    result.assert_outcomes(passed=1)


def test_writing_a_large_file_is_not_printing(site: MakeSite) -> None:
    code = ("import os, tempfile\npath = os.path.join(tempfile.mkdtemp(), 'big')\n"
            "with open(path, 'wb') as f:\n    f.write(b'x' * 9 * 2**20)\nprint('9 MiB written')")
    site({"page.md": example(code, "9 MiB written")}).runpytest().assert_outcomes(passed=1)


def test_the_output_limit_is_per_example(site: MakeSite) -> None:
    code = "import sys\nsys.stdout.write('x' * 5 * 2**20)\nprint()\nprint('done')"
    page = (example(code, "placeholder") + example(code, "placeholder", info="{.python continues}"))
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=2)
    assert "MiB" not in result.stdout.str()  # both ran to the end: only the output differs


def test_every_run_sees_a_fresh_clone_and_its_writes_reach_nothing(site: MakeSite) -> None:
    """Examples run in a private copy of the repository: what one run writes (a new file, a
    change to the README, a folder) neither reaches the author's files nor the next run, and
    the copy has the files that are not committed yet (but not those git ignores)."""
    import subprocess

    code = ("import os, pathlib\n"
            "print(os.path.exists('cache.txt'), pathlib.Path('README.md').read_text())\n"
            "open('cache.txt', 'w').write('loaded')\n"
            "pathlib.Path('README.md').write_text('changed')\n"
            "os.makedirs('out')\n"
            "print(os.path.exists('draft.txt'), os.path.exists('ignored.txt'))")
    page = "".join(example(code, "False original\nTrue False") for _ in range(3))
    pytester = site({"page.md": page})
    (pytester.path / "README.md").write_text("original")
    (pytester.path / ".gitignore").write_text("ignored.txt\n")
    subprocess.run(["git", "init", "-q"], cwd=pytester.path, check=True)
    subprocess.run(["git", "add", "README.md", "docs", "mkdocs.yml"], cwd=pytester.path,
                   check=True)
    (pytester.path / "draft.txt").write_text("not committed")
    (pytester.path / "ignored.txt").write_text("ignored")
    before = sorted(p.name for p in pytester.path.iterdir())
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=3)
    assert (pytester.path / "README.md").read_text() == "original"
    # (.cache/ holds the doc-test's own results, kept for its next run)
    assert sorted(p.name for p in pytester.path.iterdir() if p.name != ".cache") == before


def test_an_example_s_working_directory_looks_like_the_repository_root(site: MakeSite) -> None:
    code = ("import os, sys\nprint(sorted(os.listdir('docs')), os.path.basename(__file__))\n"
            "print(sys.path[0] == os.path.dirname(__file__) == os.path.join(os.getcwd(), 'docs'))")
    pytester = site({"page.md": example(code, "['page.md'] page.md\nTrue")})
    pytester.runpytest().assert_outcomes(passed=1)


@pytest.mark.parametrize("kind, code, output", [
    ("RuntimeError", 'try:\n    1 / 0\nexcept ZeroDivisionError as e:\n'
     '    raise RuntimeError(f"outer failed:\\n{type(e).__name__}: {e}") from None',
     "RuntimeError: outer failed:\nZeroDivisionError: division by zero"),
    ("SyntaxError", 'eval("1 +")',
     '  File "<string>", line 1\n    1 +\nSyntaxError: invalid syntax'),
    ("ValueError", 'name = b"caf\\xe9".decode("utf-8", "surrogateescape")\n'
     'raise ValueError(f"no file named {name}")', "ValueError: no file named caf\\udce9"),
    # an exception of a module is named with its module, as Python names it
    ("JSONDecodeError", 'import json\njson.loads("{")',
     "json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 "
     "column 2 (char 1)"),
    # standard output refuses what UTF-8 cannot encode, as in a terminal; standard error escapes it
    ("UnicodeEncodeError", 'import sys\nsys.stderr.write("caf\\udce9\\n")\nprint("caf\\udce9")',
     "caf\\udce9\nUnicodeEncodeError: 'utf-8' codec can't encode character '\\udce9' in position 3: "
     "surrogates not allowed"),
])
def test_expected_errors_are_compared_as_python_prints_them(site: MakeSite, kind: str, code: str,
                                                            output: str) -> None:
    page = example(code, output, info=f'{{.python raises="{kind}"}}')
    site({"page.md": page}).runpytest().assert_outcomes(passed=1)


def test_a_warning_keeps_its_source_line_after_a_change_of_directory(site: MakeSite) -> None:
    code = 'import os, tempfile, warnings\nos.chdir(tempfile.gettempdir())\nwarnings.warn("after chdir")'
    output = 'docs/page.md:4: UserWarning: after chdir\n  warnings.warn("after chdir")'
    site({"page.md": example(code, output)}).runpytest().assert_outcomes(passed=1)


def test_a_warning_pointing_above_the_example_fails_with_why(site: MakeSite) -> None:
    code = ('import warnings\ndef old_api():\n    warnings.warn("going away", stacklevel=3)\n'
            "old_api()")
    result = site({"page.md": example(code, "anything")}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:1: a warning it raised points above the example's "
                                 "own code*lower the stacklevel"])


def test_future_imports_reach_the_blocks_that_continue(site: MakeSite) -> None:
    page = (example("from __future__ import annotations")
            + example("def f(x: Undefined) -> None: ...\nprint(f.__annotations__)",
                      "{'x': 'Undefined', 'return': 'None'}", info="{.python continues}"))
    site({"page.md": page}).runpytest().assert_outcomes(passed=2)


def test_printed_tabs_are_the_spaces_a_terminal_shows(site: MakeSite) -> None:
    page = example("print('a\\tb')\nprint('abcdefgh\\tc')", "a       b\nabcdefgh        c")
    site({"page.md": page}).runpytest().assert_outcomes(passed=1)


def test_output_printed_before_stdout_is_moved_away_is_kept(site: MakeSite) -> None:
    code = ("import os\nprint('visible', flush=True)\n"
            "os.dup2(os.open(os.devnull, os.O_WRONLY), 1)\nprint('gone', flush=True)")
    site({"page.md": example(code, "visible")}).runpytest().assert_outcomes(passed=1)


def test_closing_the_engines_files_is_reported(site: MakeSite) -> None:
    result = site({"page.md": example("import os\nos.closerange(3, 1024)\nprint(1)", "1")}
                  ).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:1: the engine's process running it failed (did the "
                                 "example close file descriptors it did not open?)*",
                                 "OSError: [[]Errno 9[]] Bad file descriptor"])


MEETING = """\
import pathlib, time
here = pathlib.Path({folder!r})
(here / {me!r}).touch()
for _ in range(50):  # 5 s
    if (here / {other!r}).exists():
        break
    time.sleep(0.1)
print("together" if (here / {other!r}).exists() else "alone")
"""


@pytest.mark.parametrize("jobs, outcomes", [(4, {"passed": 2}), (1, {"passed": 1, "failed": 1})])
def test_the_chains_of_a_session_run_at_once_as_many_as_the_jobs(site: MakeSite, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 jobs: int,
                                                                 outcomes: dict[str, int]) -> None:
    """Every chain starts when the session begins, up to ``--docscheck-jobs`` runs at once (a
    chain runs twice, outside CI): two examples that each wait for the other to have started
    meet with four jobs; with one, the first waits alone (and fails), the second finds the
    first has been."""
    monkeypatch.delenv("CI", raising=False)
    pages = {f"{me}.md": example(MEETING.format(folder=str(tmp_path), me=me, other=other),
                                 "together") for me, other in (("a", "b"), ("b", "a"))}
    result = site(pages).runpytest("--docscheck-jobs", str(jobs), "-p", "no:randomly")
    result.assert_outcomes(**outcomes)


def test_no_jobs_is_a_usage_error(site: MakeSite) -> None:
    result = site({"page.md": example("x = 1")}).runpytest("--docscheck-jobs", "0")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--docscheck-jobs 0: at least 1 is needed"])


@pytest.mark.parametrize("ini, message", [
    ({"docscheck_timeout": "abc"},
     "*docscheck_timeout = 'abc': a number of seconds from 0 to 600 is needed"),
    ({"docscheck_timeout": "0"}, "*docscheck_timeout = '0': a number of seconds*"),
    ({"docscheck_timeout": "1e9"}, "*docscheck_timeout = '1e9': a number of seconds*"),
])
def test_bad_settings_are_usage_errors(site: MakeSite, ini: dict[str, str], message: str) -> None:
    result = site({"page.md": example("x = 1")}, ini=ini).runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


SHARED = """\
from pathlib import Path

from docscheck import Site


def test_a_page_s_chains(docscheck_chain_runs):
    site = Site.load(Path("mkdocs.yml"))
    [page] = site.page_paths()
    for chain in site.read(page).chains():
        runs = docscheck_chain_runs(chain).result()
        first, second = runs["first"], runs["second"]
        assert [run.output for run in first] == [run.output for run in second] == ["a\\n", "b\\n"]
"""


@pytest.mark.parametrize("args", [
    ["docs", "test_shared.py"],
    ["test_shared.py", "docs"],
    # Under pytest-xdist, as `make test` runs: the doc-test sends its chains at its first
    # example, after the test has asked for them.
    ["-n", "1", "test_shared.py", "docs"],
], ids=["doc-test-first", "test-first", "xdist"])
def test_a_test_asking_for_a_page_s_runs_shares_the_doc_test_s(site: MakeSite, args: list[str],
                                                               tmp_path: Path) -> None:
    """Each chain runs twice per session, whether the doc-test or a test asks for it first."""
    runs = tmp_path / "runs.txt"  # outside the repository: the runs' own copies vanish
    page = (example(f"open({str(runs)!r}, 'a').write('a')\nprint('a')", "a")
            + example(f"open({str(runs)!r}, 'a').write('b')\nprint('b')", "b",
                      info="{.python continues}"))
    pytester = site({"page.md": page})
    pytester.makepyfile(test_shared=SHARED)
    run = pytester.runpytest_subprocess if "-n" in args else pytester.runpytest
    run(*args).assert_outcomes(passed=3)
    assert sorted(runs.read_text()) == sorted("abab")


def test_the_examples_run_in_the_engine_pytest_loaded(site: MakeSite, tmp_path: Path) -> None:
    """An engine found on PYTHONPATH (a checkout of it, not the installed one) also runs the
    examples, warm and cold, though the interpreters it starts do not get PYTHONPATH."""
    copy = tmp_path / "engine"
    shutil.copytree(ROOT / "docscheck", copy / "docscheck",
                    ignore=shutil.ignore_patterns("__pycache__"))
    code = "import os, sys\nprint(sys.modules['docscheck.child'].__file__.startswith(os.environ['COPY']))"
    pytester = site({"page.md": example(code, "True")})
    env = {**os.environ, "PYTHONPATH": str(copy), "COPY": str(copy)}
    for options in ([], ["--docscheck-thorough"]):
        result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:randomly", *options],
                                cwd=pytester.path, env=env, capture_output=True, text=True)
        assert "1 passed" in result.stdout, result.stdout


@pytest.mark.parametrize("printed, shown", [
    ("print('before')\nprint('the error')", ["It printed before that:", "before", "the error"]),
    ("print(' ')", []),  # nothing a reader would notice
])
def test_an_unexpected_error_shows_what_the_example_printed_before_it(site: MakeSite, printed: str,
                                                                     shown: list[str]) -> None:
    result = site({"page.md": example(f"{printed}\n1 / 0", "anything")}).runpytest()
    result.assert_outcomes(failed=1)
    lines = result.stdout.str().split("\n")
    start = lines.index("ZeroDivisionError: division by zero") + 1
    assert lines[start:start + len(shown)] == shown
    assert ("It printed before that:" in result.stdout.str()) == bool(shown)


def test_a_request_still_queued_while_the_runner_closes_is_not_sent(tmp_path: Path) -> None:
    """close() lets go of the warm interpreters before it empties the queues: a dispatch in
    between (a run that ends then starts the next) finds a queue whose interpreter is gone, and
    sends nothing."""
    from concurrent.futures import Future

    from docscheck.runner import Runner, _Request

    runner = Runner(tmp_path)
    runner._queues[0].append(_Request(0, 0, False, [], Future()))
    runner._dispatch()  # no warm interpreter at all
    assert len(runner._queues[0]) == 1 and not runner._running


def test_what_the_exit_prints_after_an_expected_error_is_shown_once_as_the_fault(
        site: MakeSite) -> None:
    """The page cannot show exit output after an error's lines: the fault quotes it, and the
    output shown with the fault is what the example printed before its error."""
    code = "import atexit\natexit.register(print, 'at exit')\nprint('before')\nraise ValueError('x')"
    result = site({"page.md": example(code, "before\nValueError: x",
                                      info='{.python raises="ValueError"}')}).runpytest()
    assert outcomes(result) == {"failed": 1}
    result.stdout.fnmatch_lines([
        "docs/page.md:1: it printed while exiting after an error, which the page cannot show in "
        "its place:", "at exit", "", "It printed before that:", "before", "=*"])
    assert result.stdout.str().count("at exit") == 1
