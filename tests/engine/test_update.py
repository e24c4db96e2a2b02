"""`pytest --update-output`: rewrites output blocks safely, all pages or none."""

import textwrap

from tests.engine.helpers import FENCE, example, page_text

PRINTER = {"hello.py": 'greeting = "hello"\nprint(greeting)\nprint(2 + 2)\n'}


def test_update_rewrites_adds_and_removes_output_blocks_and_a_second_run_passes(site):
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
    result.stdout.fnmatch_lines(["-stale", "+hello", "+4", "--update-output: rewrote 1 page(s)"])
    assert page_text(pytester) == textwrap.dedent(updated).replace("~~~", FENCE)
    pytester.runpytest().assert_outcomes(passed=4)
    again = pytester.runpytest("--update-output")
    again.stdout.fnmatch_lines(["--update-output: rewrote 0 page(s)"])
    assert page_text(pytester) == textwrap.dedent(updated).replace("~~~", FENCE)


def test_update_writes_no_page_when_any_example_fails(site):
    pages = {"a.md": example("print(1)", "stale"),
             "b.md": example("print(2)", "stale") + example("raise ValueError('boom')")}
    pytester = site(pages)
    before = {name: page_text(pytester, name) for name in pages}
    result = pytester.runpytest("--update-output")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["--update-output: 1 example(s) or page(s) failed, so no page was "
                                 "written; fix them and run again"])
    assert {name: page_text(pytester, name) for name in pages} == before


def test_update_does_not_rewrite_an_expected_error_into_or_out_of_existence(site):
    pages = {"page.md": example("1 / 0", "ZeroDivisionError: x", info='{.python raises="KeyError"}')
             + example("x = 1", "KeyError: 'k'", info='{.python raises="KeyError"}')}
    pytester = site(pages)
    result = pytester.runpytest("--update-output")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines([
        '*the example raised ZeroDivisionError (the page expects raises="KeyError")',
        '*declares raises="KeyError" but ran without an error'])


def test_update_refuses_an_output_block_that_is_an_include(site):
    page = ('~~~python\nprint("new")\n~~~\n~~~output\n--8<-- "snippets/out.txt"\n~~~\n\n'
            "A paragraph that must stay.\n")
    pytester = site({"page.md": page}, {"out.txt": "old\n"})
    result = pytester.runpytest("--update-output")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "docs/page.md:1: cannot update the output block at docs/page.md:4: its text comes from "
        "snippets/out.txt; update that file instead"])
    assert "A paragraph that must stay." in page_text(pytester)


def test_update_refuses_an_output_block_in_a_block_quote(site):
    page = "> ~~~python\n> print('new')\n> ~~~\n> ~~~output\n> old\n> ~~~\n"
    pytester = site({"page.md": page})
    result = pytester.runpytest("--update-output")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:1: cannot update the output block at docs/page.md:4: "
                                 "it is in a block quote; update it by hand"])
    assert page_text(pytester) == page.replace("~~~", FENCE)


def test_update_lengthens_the_fence_when_the_output_holds_one(site):
    code = 'print("before")\nprint("```")\nprint("after")'
    pytester = site({"page.md": example(code, "old")})
    pytester.runpytest("--update-output").assert_outcomes(passed=1)
    assert "````output\nbefore\n```\nafter\n````\n" in page_text(pytester)
    pytester.runpytest().assert_outcomes(passed=1)


def test_update_keeps_windows_line_endings_and_a_byte_order_mark(site):
    page = ("\ufeff# Page\r\n\r\n" + example("print('a')\nprint('b')", "old")
            .replace("\n", "\r\n")).replace("~~~", FENCE).encode()
    pytester = site({"page.md": page})
    pytester.runpytest("--update-output").assert_outcomes(passed=1)
    data = (pytester.path / "docs" / "page.md").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# Page\r\n")
    assert b"```output\r\na\r\nb\r\n```\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    pytester.runpytest().assert_outcomes(passed=1)


def test_update_refuses_output_a_page_cannot_show(site):
    pytester = site({"page.md": example("print('50%\\r100%')", "old")})
    result = pytester.runpytest("--update-output")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:1: cannot update: the example prints a carriage "
                                 "return, which an output block cannot show; print something else"])


def test_update_adds_an_output_block_inside_an_admonition_with_its_indentation(site):
    page = "!!! example\n\n    ~~~python\n    print(1)\n    print()\n    print(2)\n    ~~~\n\nAfter.\n"
    pytester = site({"page.md": page})
    pytester.runpytest("--update-output").assert_outcomes(passed=1)
    assert page_text(pytester) == (
        "!!! example\n\n    ```python\n    print(1)\n    print()\n    print(2)\n    ```\n"
        "    ```output\n    1\n\n    2\n    ```\n\nAfter.\n")
    pytester.runpytest().assert_outcomes(passed=1)


def test_update_refuses_output_the_site_would_read_as_an_include(site):
    pytester = site({"page.md": example("print('--8<-- \"snippets/a.py\"')", "old")})
    result = pytester.runpytest("--update-output")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:1: cannot update: the example prints '--8<-- "
                                 "\"snippets/a.py\"', which the site would read as an include*"])
