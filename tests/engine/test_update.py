"""`pytest --update-output`: rewrites output blocks safely, all pages or none."""

import textwrap
from pathlib import Path

import pytest

from tests.engine.helpers import FENCE, MakeSite, example, page_text

PRINTER = {"hello.py": 'greeting = "hello"\nprint(greeting)\nprint(2 + 2)\n'}


def test_update_rewrites_adds_and_removes_output_blocks_and_a_second_run_passes(site: MakeSite) -> None:
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
    result.stdout.fnmatch_lines(["--- docs/page.md", "+++ docs/page.md", "@@ -4,7 +4,8 @@",
                                 ' --8<-- "snippets/hello.py"', " ```", " ```output", "-stale",
                                 "+hello", "+4"], consecutive=True)
    result.stdout.fnmatch_lines(["--update-output: rewrote 1 page(s)"])
    assert page_text(pytester) == textwrap.dedent(updated).replace("~~~", FENCE)
    pytester.runpytest().assert_outcomes(passed=4)
    again = pytester.runpytest("--update-output")
    again.stdout.fnmatch_lines(["--update-output: rewrote 0 page(s)"])
    assert page_text(pytester) == textwrap.dedent(updated).replace("~~~", FENCE)


def test_update_writes_no_page_when_any_example_fails(site: MakeSite) -> None:
    pages = {"a.md": example("print(1)", "stale"),
             "b.md": example("print(2)", "stale") + example("raise ValueError('boom')")}
    pytester = site(pages)
    before = {name: page_text(pytester, name) for name in pages}
    result = pytester.runpytest("--update-output")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["--update-output: 1 example(s) or page(s) failed, so no page was "
                                 "written; fix them and run again"])
    assert {name: page_text(pytester, name) for name in pages} == before


def test_update_does_not_rewrite_an_expected_error_into_or_out_of_existence(site: MakeSite) -> None:
    pages = {"page.md": example("1 / 0", "ZeroDivisionError: x", info='{.python raises="KeyError"}')
             + example("x = 1", "KeyError: 'k'", info='{.python raises="KeyError"}')}
    pytester = site(pages)
    result = pytester.runpytest("--update-output")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines([
        '*the example raised ZeroDivisionError (the page expects raises="KeyError")',
        '*declares raises="KeyError" but ran without an error'])


@pytest.mark.parametrize("includes, files", [
    ('--8<-- "snippets/out.txt"', "snippets/out.txt"),
    ('--8<-- "snippets/out.txt"\n--8<-- "snippets/a.txt"', "snippets/a.txt, snippets/out.txt"),
])
def test_update_refuses_an_output_block_that_is_an_include(site: MakeSite, includes: str, files: str) -> None:
    page = (f'~~~python\nprint("new")\n~~~\n~~~output\n{includes}\n~~~\n\n'
            "A paragraph that must stay.\n")
    pytester = site({"page.md": page}, {"out.txt": "old\n", "a.txt": "older\n"})
    result = pytester.runpytest("--update-output")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "docs/page.md:1: cannot update the output block at docs/page.md:4: its text comes from "
        f"{files}; update that file instead"])
    assert "A paragraph that must stay." in page_text(pytester)


@pytest.mark.parametrize("page, message", [
    ("> ~~~python\n> print('new')\n> ~~~\n> ~~~output\n> old\n> ~~~\n",
     "docs/page.md:1: cannot update the output block at docs/page.md:4: it is in a block quote; "
     "update it by hand"),
    ("> ~~~python\n> print('new')\n> ~~~\n",
     "docs/page.md:1: cannot add an output block inside a block quote; write it by hand"),
])
def test_update_refuses_an_output_block_in_a_block_quote(site: MakeSite, page: str, message: str) -> None:
    pytester = site({"page.md": page})
    result = pytester.runpytest("--update-output")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([message])
    assert page_text(pytester) == page.replace("~~~", FENCE)


def test_update_refuses_to_add_an_output_block_after_a_code_block_ending_in_an_include(
        site: MakeSite) -> None:
    pytester = site({"page.md": '~~~python\n--8<-- "snippets/tail.md"\n'}, {"tail.md": "print(1)\n~~~\n"})
    result = pytester.runpytest("--update-output")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:1 (code from snippets/tail.md): cannot add an output "
                                 "block: the code block ends in snippets/tail.md, not on the page"])


@pytest.mark.parametrize("code, block", [
    ('print("before")\nprint("```")\nprint("after")', "````output\nbefore\n```\nafter\n````\n"),
    ('print("  ```")', "````output\n  ```\n````\n"),  # indented, it would still close the fence
    ('print("`````")', "``````output\n`````\n``````\n"),
    ('print("```X")', "````output\n```X\n````\n"),
    # Backticks after other text, or after a no-break space, close no fence.
    ('print("X```")', "```output\nX```\n```\n"),
    ('print("\\xa0```")', "```output\n\xa0```\n```\n"),
    ('print("Matrix X")', "```output\nMatrix X\n```\n"),
])
def test_update_lengthens_the_fence_when_the_output_holds_one(site: MakeSite, code: str, block: str) -> None:
    pytester = site({"page.md": example(code, "old")})
    pytester.runpytest("--update-output").assert_outcomes(passed=1)
    assert page_text(pytester) == f"```python\n{code}\n```\n{block}\n"
    pytester.runpytest().assert_outcomes(passed=1)


def test_update_keeps_windows_line_endings_and_a_byte_order_mark(site: MakeSite) -> None:
    page = ("\ufeff# Page\r\n\r\n" + example("print('a')\nprint('b')", "old")
            .replace("\n", "\r\n")).replace("~~~", FENCE).encode()
    pytester = site({"page.md": page})
    pytester.runpytest("--update-output").assert_outcomes(passed=1)
    data = (pytester.path / "docs" / "page.md").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# Page\r\n")
    assert b"```output\r\na\r\nb\r\n```\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    pytester.runpytest().assert_outcomes(passed=1)


CODE = ["```python", "print(1)", "```"]
OLD = ["```output", "old", "```"]
NEW = ["```output", "1", "```"]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("final", [True, False], ids=["final-newline", "no-final-newline"])
@pytest.mark.parametrize("before, after", [
    (["# Page", "", *CODE], ["# Page", "", *CODE, *NEW]),
    ([*CODE, *OLD], [*CODE, *NEW]),
    ([*CODE, *OLD, "", "After."], [*CODE, *NEW, "", "After."]),
    (["```python", "x = 1", "```", *OLD], ["```python", "x = 1", "```"]),
], ids=["added-at-the-end", "replaced-at-the-end", "replaced", "removed-at-the-end"])
def test_update_keeps_the_page_s_line_endings_and_its_end_exactly(
        site: MakeSite, ending: str, final: bool, before: list[str], after: list[str]) -> None:
    """The lines written end as the page's lines do (LF, CRLF or a lone CR, which MkDocs reads
    as a line break too), and a page without a final line break still has none."""
    def page(lines: list[str]) -> bytes:
        return (ending.join(lines) + (ending if final else "")).encode()

    pytester = site({"page.md": page(before)})
    pytester.runpytest("--update-output").assert_outcomes(passed=1)
    assert (pytester.path / "docs" / "page.md").read_bytes() == page(after)


@pytest.mark.parametrize("ending, other", [("\n", "\r\n"), ("\r\n", "\n"), ("\n", "\r")])
def test_update_removing_the_last_output_block_of_a_page_without_a_final_line_break_adds_none(
        site: MakeSite, ending: str, other: str) -> None:
    """The code block's closing line, now the last, ends as the page did (with no line break),
    though it ends otherwise than most lines of the page."""
    head = ending.join(["# Page", "", "Text.", "", "```python", "x = 1", ""])
    tail = ending.join(["```output", "old", "```"])
    pytester = site({"page.md": (head + "```" + other + tail).encode()})
    pytester.runpytest("--update-output").assert_outcomes(passed=1)
    assert (pytester.path / "docs" / "page.md").read_bytes() == (head + "```").encode()


@pytest.mark.parametrize("ending, other", [("\r\n", "\n"), ("\n", "\r\n"), ("\r", "\n")])
def test_update_writes_new_lines_with_the_line_ending_most_lines_of_the_page_have(
        site: MakeSite, ending: str, other: str) -> None:
    head = ending.join(["# Page", "", "Text.", "", "```python", "print(1)", "```", ""])
    pytester = site({"page.md": (head + other.join(["```output", "old", "```", ""])).encode()})
    pytester.runpytest("--update-output").assert_outcomes(passed=1)
    assert (pytester.path / "docs" / "page.md").read_bytes() == (
        head + "```output" + other + "1" + ending + "```" + other).encode()


@pytest.mark.parametrize("code, what", [
    ("print('50%\\r100%')", "a carriage return"),
    ("print('\\x1b[1mbold')", "the control character '\\x1b'"),
])
def test_update_refuses_output_a_page_cannot_show(site: MakeSite, code: str, what: str) -> None:
    pytester = site({"page.md": example(code, "old")})
    result = pytester.runpytest("--update-output")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f"docs/page.md:1: cannot update: the example prints {what}, which an "
                                 "output block cannot show; print something else"])


def test_update_adds_an_output_block_inside_an_admonition_with_its_indentation(site: MakeSite) -> None:
    page = "!!! example\n\n    ~~~python\n    print(1)\n    print()\n    print(2)\n    ~~~\n\nAfter.\n"
    pytester = site({"page.md": page})
    pytester.runpytest("--update-output").assert_outcomes(passed=1)
    assert page_text(pytester) == (
        "!!! example\n\n    ```python\n    print(1)\n    print()\n    print(2)\n    ```\n"
        "    ```output\n    1\n\n    2\n    ```\n\nAfter.\n")
    pytester.runpytest().assert_outcomes(passed=1)


def test_update_refuses_output_the_site_would_read_as_an_include(site: MakeSite) -> None:
    pytester = site({"page.md": example("print('--8<-- \"snippets/a.py\"')", "old")})
    result = pytester.runpytest("--update-output")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:1: cannot update: the example prints '--8<-- "
                                 "\"snippets/a.py\"', which the site would read as an include or a "
                                 "section marker of pymdownx.snippets; print something else"])


def test_update_refuses_a_blank_first_line_and_an_escaped_include(site: MakeSite) -> None:
    """What the site would show differently from what the example prints is not written (a
    blank first line fails the example itself: no output block can show it)."""
    pytester = site({"a.md": example("print()\nprint('x')", "old"),
                     "b.md": example("print(';--8<-- \"snippets/a.py\"')", "old")})
    result = pytester.runpytest("--update-output")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines([
        "docs/a.md:1: it prints a blank first line, which an output block cannot show (the site "
        "drops a code block's blank first line): print something before it",
        "docs/b.md:1: cannot update: the example prints ';--8<-- \"snippets/a.py\"', which the "
        "site would read as an include or a section marker of pymdownx.snippets; print something "
        "else"])


@pytest.mark.usefixtures("ctrl_c")
def test_update_writes_nothing_when_the_run_is_interrupted(site: MakeSite, tmp_path: Path) -> None:
    """Ctrl-C while the examples run: the edits planned before it are not written."""
    once = tmp_path / "interrupted"  # the chain's two runs run at once: one Ctrl-C
    interrupt = ("import os, signal, time\n"
                 "pytest = os.getppid()  # the warm interpreter, its keeper, then pytest\n"
                 "while b'docscheck.server' in open(f'/proc/{pytest}/cmdline', 'rb').read():\n"
                 "    pytest = int(open(f'/proc/{pytest}/stat').read().rsplit(')', 1)[1].split()[1])\n"
                 "time.sleep(1)  # the other page's example has run by now\n"
                 f"os.close(os.open({str(once)!r}, os.O_CREAT | os.O_EXCL))\n"
                 "os.kill(pytest, signal.SIGINT)\n"
                 "time.sleep(5)")
    pages = {"a.md": example("print(1)", "stale"), "b.md": example(interrupt)}
    pytester = site(pages)
    before = {name: page_text(pytester, name) for name in pages}
    result = pytester.runpytest_subprocess("--update-output")
    result.stdout.fnmatch_lines(["*KeyboardInterrupt*"])
    assert {name: page_text(pytester, name) for name in pages} == before


def test_update_refuses_a_page_that_changed_while_its_examples_ran(site: MakeSite) -> None:
    """A page changed while its examples ran (here by the example, through the page's absolute
    path: the examples' own working directory is a copy): the edits planned on the page as it
    was read would land on the wrong lines, so nothing is written."""
    # appended with one write each (O_APPEND): the chain's two runs, at once, cannot lose the
    # page's text to each other, as a read and a rewrite of the whole page could
    code = ("with open(PAGE, 'a') as page:\n"
            "    page.write('\\nNew last line.\\n')\n"
            "print('written')")
    pytester = site({"page.md": example(code, "old")})
    page = pytester.path / "docs" / "page.md"
    page.write_text(page.read_text().replace("PAGE", repr(str(page))))
    result = pytester.runpytest("--update-output")
    result.stdout.fnmatch_lines(["--update-output: docs/page.md changed while the examples ran, "
                                 "so no page was written; run it again"])
    assert result.ret != 0
    text = page_text(pytester)  # the example's runs wrote a line each; the update nothing
    assert text.endswith("\nNew last line.\n") and "\nold\n" in text


@pytest.mark.usefixtures("ctrl_c")
def test_an_interrupted_update_renames_every_page_or_none(tmp_path: Path) -> None:
    """The renames of `update.write` run with Ctrl-C and SIGTERM held back: all pages or none."""
    import os
    import signal

    from docscheck import update

    pages = [tmp_path / f"p{i}.md" for i in range(3)]
    for page in pages:
        page.write_text("old\n")
    changes = [update.PageChange(page, b"old\n", b"new\n") for page in pages]
    seen: list[Path] = []
    real = os.replace

    def replace(src: Path, dst: Path) -> None:
        real(src, dst)
        seen.append(dst)
        if len(seen) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # arrives after the first rename

    import unittest.mock

    with unittest.mock.patch("os.replace", replace), pytest.raises(KeyboardInterrupt):
        update.write(changes)  # Ctrl-C acts once every page is in place
    assert [p.read_text() for p in pages] == ["new\n"] * 3


def test_update_stages_each_page_as_a_hidden_file_beside_it_with_the_page_s_permissions(
        tmp_path: Path) -> None:
    """Each new page is written next to the page (the same file system, so the rename that puts
    it in place is atomic), under a hidden name made from the page's, with the page's mode."""
    import os
    import unittest.mock

    from docscheck import update

    page = tmp_path / "docs" / "page.md"
    page.parent.mkdir()
    page.write_text("old\n")
    page.chmod(0o640)
    staged: list[tuple[Path, int]] = []
    real = os.replace

    def replace(src: str, dst: Path) -> None:
        staged.append((Path(src), os.stat(src).st_mode & 0o7777))
        real(src, dst)

    with unittest.mock.patch("os.replace", replace):
        update.write([update.PageChange(page, b"old\n", b"new\n")])
    [(temporary, mode)] = staged
    assert temporary.parent == page.parent and temporary.name.startswith(".page.md.")
    assert mode == 0o640
    assert page.read_text() == "new\n" and (page.stat().st_mode & 0o7777) == 0o640
    assert sorted(p.name for p in page.parent.iterdir()) == ["page.md"]


def test_update_that_cannot_stage_a_page_removes_what_it_staged_and_writes_none(tmp_path: Path) -> None:
    from docscheck import update

    page = tmp_path / "page.md"
    page.write_text("old\n")
    gone = tmp_path / "gone" / "page.md"  # its folder was removed
    changes = [update.PageChange(page, b"old\n", b"new\n"), update.PageChange(gone, b"old\n", b"new\n")]
    with pytest.raises(FileNotFoundError):
        update.write(changes)
    assert page.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.md"]


def test_update_refuses_a_page_no_longer_utf8_naming_its_line(tmp_path: Path) -> None:
    from docscheck import update
    from docscheck.errors import PageError

    (tmp_path / "page.md").write_bytes(b"Text.\n\xff\n")
    with pytest.raises(PageError, match=r"^page\.md:2: not UTF-8 \(byte 0xff at column 1\)"):
        update.apply(tmp_path, [update.Edit("page.md", 0, 1, ("New.",))])
