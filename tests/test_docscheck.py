"""Tests of the doc-test engine (tests/docscheck) on small fixture sites built in a temporary folder."""

import textwrap
from pathlib import Path

import pytest

# Fixture sites run in this process (pytester), and pytester forgets the modules a run imported.
# torch cannot be imported twice into one process, so it is imported here, once, for good.
import torch  # noqa: F401

FENCE = "```"

MKDOCS_YML = """\
site_name: fixture
markdown_extensions:
  - admonition
  - pymdownx.superfences
  - pymdownx.snippets:
      base_path: ["."]
      check_paths: true
"""


@pytest.fixture
def site(pytester):
    """A fixture site: ``site(pages={...}, snippets={...})`` writes it and returns the pytester."""
    pytester.makeconftest('pytest_plugins = ["tests.docscheck.plugin"]\n')
    pytester.makeini("[pytest]\ntestpaths = docs\naddopts = -p no:cacheprovider\n")
    (pytester.path / "mkdocs.yml").write_text(MKDOCS_YML)

    def write(pages, snippets=()):
        for name, text in dict(pages).items():
            path = pytester.path / "docs" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).replace("~~~", FENCE))
        for name, text in dict(snippets).items():
            path = pytester.path / "snippets" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        return pytester

    return write


def page_text(pytester, name="page.md"):
    return (pytester.path / "docs" / name).read_text()


PRINTER = {"hello.py": 'greeting = "hello"\nprint(greeting)\nprint(2 + 2)\n'}


def test_matching_output_passes_with_whole_file_line_range_and_section(site):
    snippets = {
        **PRINTER,
        "parts.py": """\
            import math

            # --8<-- [start:area]
            r = 2.0
            print(round(math.pi * r**2, 3))
            # --8<-- [end:area]
            """,
    }
    pages = {
        "page.md": """\
            # Page

            ~~~python
            --8<-- "snippets/hello.py"
            ~~~
            ~~~output
            hello
            4
            ~~~

            ~~~python
            --8<-- "snippets/hello.py:1:2"
            ~~~
            ~~~output
            hello
            ~~~

            ~~~python
            import math
            --8<-- "snippets/parts.py:area"
            ~~~
            ~~~output
            12.566
            ~~~
            """
    }
    result = site(pages, snippets).runpytest()
    result.assert_outcomes(passed=3)


def test_changed_output_fails_with_diff_naming_page_line(site):
    pages = {"page.md": """\
        # Page

        ~~~python
        --8<-- "snippets/hello.py"
        ~~~
        ~~~output
        hello
        5
        ~~~
        """}
    result = site(pages, PRINTER).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "docs/page.md:3 (code from snippets/hello.py): printed output differs from the output "
        "block at docs/page.md:6",
        "-5",
        "+4",
    ])


def test_changed_printed_value_in_snippet_fails(site):
    pages = {"page.md": """\
        ~~~python
        --8<-- "snippets/hello.py"
        ~~~
        ~~~output
        hello
        4
        ~~~
        """}
    pytester = site(pages, {"hello.py": 'print("hello")\nprint(2 + 3)\n'})
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["-4", "+5"])


def test_missing_snippet_fails_naming_page_line(site):
    pages = {"page.md": """\
        # Page

        ~~~python
        --8<-- "snippets/nowhere.py"
        ~~~
        """}
    result = site(pages).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["docs/page.md:4: Snippet at path 'snippets/nowhere.py' could not be found"])


def test_missing_section_fails(site):
    pages = {"page.md": '~~~python\n--8<-- "snippets/hello.py:nosuch"\n~~~\n'}
    result = site(pages, PRINTER).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:2: Snippet section 'nosuch' could not be located"])


def test_exception_in_snippet_reported_at_snippet_file_and_line(site):
    snippets = {"boom.py": "x = 1\n\n\ny = x / 0\n"}
    pages = {"page.md": """\
        # Page

        Some text.

        ~~~python
        print("before")
        --8<-- "snippets/boom.py"
        ~~~
        """}
    result = site(pages, snippets).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "docs/page.md:5 (code from snippets/boom.py): the example raised ZeroDivisionError",
        "Traceback (most recent call last):",
        '  File "snippets/boom.py", line 4, in <module>',
        "    y = x / 0",
        "ZeroDivisionError: division by zero",
    ])


def test_exception_in_inline_code_reported_at_page_line(site):
    pages = {"page.md": """\
        # Page

        !!! note

            ~~~python
            values = [1, 2]
            print(values[5])
            ~~~
        """}
    result = site(pages).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        '  File "docs/page.md", line 7, in <module>',
        "    print(values[5])",
        "IndexError: list index out of range",
    ])


RAISING = """\
    ~~~{.python raises="ZeroDivisionError"}
    print("about to divide")
    1 / 0
    ~~~
    ~~~output
    about to divide
    ZeroDivisionError: division by zero
    ~~~
    """


def test_expected_error_passes(site):
    site({"page.md": RAISING}).runpytest().assert_outcomes(passed=1)


def test_expected_error_with_other_message_fails(site):
    page = RAISING.replace("ZeroDivisionError: division by zero", "ZeroDivisionError: oops")
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["-ZeroDivisionError: oops", "+ZeroDivisionError: division by zero"])


def test_expected_error_of_other_type_fails(site):
    page = RAISING.replace('raises="ZeroDivisionError"', 'raises="ValueError"')
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*the example raised ZeroDivisionError (the page expects ValueError)"])


def test_declared_error_that_is_not_raised_fails(site):
    page = RAISING.replace("1 / 0", "1 / 1")
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["docs/page.md:1: declares raises='ZeroDivisionError' but ran without an error"])


def test_block_that_prints_without_output_block_fails(site):
    result = site({"page.md": "~~~python\nprint('shown nowhere')\n~~~\n"}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["docs/page.md:1: the example prints but the page shows no output block after it."])


def test_silent_block_without_output_block_passes(site):
    site({"page.md": "~~~python\nx = 1\n~~~\n"}).runpytest().assert_outcomes(passed=1)


def test_output_block_without_code_block_fails(site):
    page = "Text.\n\n~~~output\n4\n~~~\n"
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["docs/page.md:3: output block with no Python code block right before it"])


@pytest.mark.parametrize("info, message", [
    ("{.python retries=2}", "docs/page.md:1: unknown fence option 'retries=2' in ```{.python retries=2}"),
    ("python continues",
     "docs/page.md:1: unknown fence option 'continues' in ```python continues (write it in braces*"),
])
def test_unknown_fence_option_fails(site, info, message):
    result = site({"page.md": f"~~~{info}\nx = 1\n~~~\n"}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([message])


def test_fence_hidden_in_a_paragraph_fails(site):
    page = "!!! note\n    ~~~python\n    print(1)\n    ~~~\n"
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:2: this Python fence is not a code block*"])


def test_fences_in_admonitions_and_tabs_are_checked(site):
    page = """\
        !!! example

            ~~~python
            print(6 * 7)
            ~~~
            ~~~output
            41
            ~~~
        """
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["-41", "+42"])


def test_each_block_starts_fresh(site):
    page = """\
        ~~~python
        import torch
        secret = 1
        torch.set_printoptions(precision=1)
        torch.set_default_dtype(torch.float64)
        torch.set_grad_enabled(False)
        torch.manual_seed(123)
        ~~~

        ~~~python
        import torch
        print("secret" in globals())
        print(torch.tensor([1 / 3]), torch.is_grad_enabled())
        print(torch.rand(1))
        ~~~
        ~~~output
        False
        tensor([0.3333]) True
        tensor([0.4963])
        ~~~
        """
    site({"page.md": page}).runpytest().assert_outcomes(passed=2)


def test_continues_shares_state_without_reprinting(site):
    page = """\
        ~~~python
        x = 20
        print("first")
        ~~~
        ~~~output
        first
        ~~~

        ~~~{.python continues}
        print(x + 1)
        ~~~
        ~~~output
        21
        ~~~
        """
    site({"page.md": page}).runpytest().assert_outcomes(passed=2)


def test_first_block_cannot_continue(site):
    result = site({"page.md": "~~~{.python continues}\nx = 1\n~~~\n"}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the first example of a page cannot use continues"])


def test_update_mode_rewrites_outputs_and_second_run_passes(site):
    page = """\
        # Page

        ~~~python
        --8<-- "snippets/hello.py"
        ~~~
        ~~~output
        stale
        ~~~

        !!! note

            ~~~python
            print("new")
            ~~~

        ~~~{.python raises="KeyError"}
        {}["k"]
        ~~~
        ~~~output
        KeyError: 'other'
        ~~~

        ~~~python
        x = 1
        ~~~
        ~~~output
        no longer printed
        ~~~
        """
    updated = """\
        # Page

        ~~~python
        --8<-- "snippets/hello.py"
        ~~~
        ~~~output
        hello
        4
        ~~~

        !!! note

            ~~~python
            print("new")
            ~~~
            ~~~output
            new
            ~~~

        ~~~{.python raises="KeyError"}
        {}["k"]
        ~~~
        ~~~output
        KeyError: 'k'
        ~~~

        ~~~python
        x = 1
        ~~~
        """
    pytester = site({"page.md": page}, PRINTER)
    pytester.runpytest().assert_outcomes(failed=4)
    result = pytester.runpytest("--update-output")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["-stale", "+hello", "+4", "*rewrote 1 page(s)*"])
    assert page_text(pytester) == textwrap.dedent(updated).replace("~~~", FENCE)
    pytester.runpytest().assert_outcomes(passed=4)


def test_snippet_files_are_not_collected_under_the_project_config(site):
    """With this project's own pytest settings, a snippet named like a test is never collected."""
    root = Path(__file__).resolve().parents[1]
    snippets = {"test_looks_like_a_test.py": "def test_x():\n    raise AssertionError\n"}
    pytester = site({"page.md": "~~~python\nx = 1\n~~~\n"}, snippets)
    (pytester.path / "tox.ini").unlink()
    (pytester.path / "tests").mkdir()
    pytester.makepyprojecttoml((root / "pyproject.toml").read_text())
    pytester.makeconftest((root / "conftest.py").read_text())
    for args in [(), ("snippets",), ("snippets/test_looks_like_a_test.py",)]:
        result = pytester.runpytest("--collect-only", "-q", *args)
        assert "test_looks_like_a_test" not in result.stdout.str()
    pytester.runpytest().assert_outcomes(passed=1)


@pytest.mark.parametrize("info", ['python title="A title"', '{.python title="A title" linenums="1"}',
                                  '{ .python raises="KeyError" title="Missing key" }'])
def test_render_options_are_accepted(site, info):
    code = '{}["k"]' if "raises" in info else "x = 1"
    output = "~~~output\nKeyError: 'k'\n~~~\n" if "raises" in info else ""
    result = site({"page.md": f"~~~{info}\n{code}\n~~~\n{output}"}).runpytest()
    result.assert_outcomes(passed=1)
