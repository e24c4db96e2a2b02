"""What the engine reads from a page: the code the site renders, includes, and the conventions."""

from pathlib import Path

import pytest

from docscheck.expand import ExpandedPage, Origin
from tests.engine.helpers import MakeSite, example, outcomes

PRINTER = {"hello.py": 'greeting = "hello"\nprint(greeting)\nprint(2 + 2)\n'}


def test_matching_output_passes_with_whole_file_line_range_and_section(site: MakeSite) -> None:
    snippets = {**PRINTER, "parts.py": """\
        import math

        # --8<-- [start:area]
        r = 2.0
        print(round(math.pi * r**2, 3))
        # --8<-- [end:area]
        """}
    page = (example('--8<-- "snippets/hello.py"', "hello\n4")
            + example('--8<-- "snippets/hello.py:1:2"', "hello")
            + example('import math\n--8<-- "snippets/parts.py:area"', "12.566"))
    site({"page.md": page}, snippets).runpytest().assert_outcomes(passed=3)


def test_changed_output_fails_with_diff_naming_page_line(site: MakeSite) -> None:
    page = "# Page\n\n" + example('--8<-- "snippets/hello.py"', "hello\n5")
    result = site({"page.md": page}, PRINTER).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "docs/page.md:3 (code from snippets/hello.py): printed output differs from the output "
        "block at docs/page.md:6",
        "-5", "+4"])


@pytest.mark.parametrize("include, message", [
    ('"snippets/nowhere.py"', "docs/page.md:2: Snippet at path 'snippets/nowhere.py' could not be found"),
    ('"snippets/hello.py:nosuch"', "docs/page.md:2: Snippet section 'nosuch' could not be located"),
    ('"snippets/hello.py:40:50"',
     'docs/page.md:2: the include "snippets/hello.py:40:50" expands to nothing: snippets/hello.py '
     "has 3 lines, none of them in the range asked for"),
    ('"snippets/empty.py"', 'docs/page.md:2: the include "snippets/empty.py" expands to nothing: '
                            "snippets/empty.py is empty"),
    ('"snippets/sections.py:blank"', 'docs/page.md:2: the include "snippets/sections.py:blank" expands '
                                     "to nothing: section 'blank' of snippets/sections.py is empty"),
    ('"snippets/loop.py"', 'snippets/loop.py:1: the include "snippets/loop.py" includes snippets/loop.py '
                           "inside itself"),
])
def test_an_include_that_cannot_give_code_fails_naming_its_line(site: MakeSite, include: str,
                                                                message: str) -> None:
    snippets = {**PRINTER, "empty.py": "", "loop.py": '--8<-- "snippets/loop.py"\n',
                "sections.py": "# --8<-- [start:blank]\n\n# --8<-- [end:blank]\nx = 1\n"}
    result = site({"page.md": f"~~~python\n--8<-- {include}\n~~~\n"}, snippets).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([message])


def test_include_error_inside_a_snippet_names_the_snippet_line(site: MakeSite) -> None:
    snippets = {"outer.py": 'x = 1\n--8<-- "snippets/missing.py"\n'}
    result = site({"page.md": '~~~python\n--8<-- "snippets/outer.py"\n~~~\n'}, snippets).runpytest()
    result.stdout.fnmatch_lines(
        ["snippets/outer.py:2: Snippet at path 'snippets/missing.py' could not be found"])


@pytest.mark.parametrize("info", ["Python", "PYTHON", "py", "py3", "python3", "{.Python}", "{ .py3 }"])
def test_every_spelling_the_site_highlights_as_python_runs(site: MakeSite, info: str) -> None:
    result = site({"page.md": example("print(6 * 7)", "41", info=info)}).runpytest()
    result.assert_outcomes(failed=1)  # it ran: 42 is not 41
    result.stdout.fnmatch_lines(["-41", "+42"])


@pytest.mark.parametrize("info, message", [
    ("ipython", "docs/page.md:1: ```ipython is highlighted as Python on the site but the checker "
                "does not run ipython blocks: write ```python (or ```text for code that is not "
                "meant to run)"),
    ("sage", "docs/page.md:1: ```sage is highlighted as Python on the site*"),
    ("python2", "docs/page.md:1: ```python2 is highlighted as Python on the site*"),
    ("pycon", "docs/page.md:1: ```pycon shows an interactive session, which the checker does not "
              "run: write the code in a ```python block and what it prints in an ```output block "
              "under it"),
    ("python-console", "docs/page.md:1: ```python-console shows an interactive session*"),
    ("ipythonconsole", "docs/page.md:1: ```ipythonconsole shows an interactive session*"),
])
def test_python_highlighted_blocks_the_checker_cannot_run_are_refused(site: MakeSite, info: str,
                                                                      message: str) -> None:
    result = site({"page.md": example(">>> print(1)\n1", info=info)}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([message])


@pytest.mark.parametrize("page, message", [
    ('~~~{.python raises="RuntimeError"\nprint(1)\n~~~\n',
     "docs/page.md:1: this ```{.python raises=\"RuntimeError\" block is not rendered as code by the "
     "site, so it is not run: the brace after the fence marker is never closed"),
    ("Text.\n\n~~~python\nprint(1)\n",
     "docs/page.md:3: this ```python block is not rendered as code by the site, so it is not run: "
     "the fence is never closed"),
    ("Text.\n\n    ~~~python\n    print(1)\n    ~~~\n",
     "docs/page.md:3: this ```python block is not rendered as code by the site, so it is not run: "
     "it is indented like a code block (four spaces, with no admonition, tab or details block it "
     "belongs to), so the site shows the fence itself as text"),
    ("~~~python continues\nprint(1)\n~~~\n",
     "docs/page.md:1: this ```python continues block is not rendered as code by the site, so it is "
     "not run: the site does not accept 'continues' after the language; options of the checker "
     "go in braces, e.g. ```{.python continues}"),
    ("~~~text\nhi\n~~~\n~~~python continues\nprint(1)\n~~~\n",  # right after another fence
     "docs/page.md:4: this ```python continues block is not rendered as code by the site, so it is "
     "not run: the site does not accept 'continues' after the language; options of the checker "
     "go in braces, e.g. ```{.python continues}"),
    ("~~~python continues raises\nprint(1)\n~~~\n",
     "docs/page.md:1: this ```python continues raises block is not rendered as code by the site, so "
     "it is not run: the site does not accept 'continues raises' after the language; options of the "
     "checker go in braces, e.g. ```{.python continues raises}"),
    ("<!--\n~~~python\nprint(1)\n~~~\n-->\n",
     "docs/page.md:2: this ```python block is not rendered as code by the site, so it is not run: "
     "the site shows it as text (inside an HTML comment or a raw HTML block?)"),
    ('<!--\n~~~{.python hl_lines="1"}\nprint(1)\n~~~\n-->\n',
     'docs/page.md:2: this ```{.python hl_lines="1"} block is not rendered as code by the site, so it '
     "is not run: the site shows it as text (inside an HTML comment or a raw HTML block?)"),
    ("<!--\n~~~.python\nprint(1)\n~~~\n-->\n",
     "docs/page.md:2: this ```.python block is not rendered as code by the site, so it is not run: "
     "the site shows it as text (inside an HTML comment or a raw HTML block?)"),
    ("~~~Output\n1\n~~~\n", "docs/page.md:1: write ```output in lower case (the site styles only that)"),
])
def test_a_python_fence_the_site_does_not_render_as_code_fails_with_why(site: MakeSite, page: str,
                                                                        message: str) -> None:
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([message])


@pytest.mark.parametrize("info", ["", "text", '{ title="a" }', "{X.python}", "{.outputX}", "Xpython"])
def test_a_fence_the_site_does_not_render_passes_unless_it_is_python_or_output(site: MakeSite,
                                                                             info: str) -> None:
    """A block the site shows as text is no example unless its language is Python or output; here
    it has none, none the brace form can read, or a longer name."""
    page = f"<!--\n~~~{info}\nprint(1)\n~~~\n-->\n\n" + example("x = 1")
    site({"page.md": page}).runpytest().assert_outcomes(passed=1)


def test_fence_right_under_an_admonition_line_runs_as_the_site_renders_it(site: MakeSite) -> None:
    page = "!!! note\n    ~~~python\n    print(6 * 7)\n    ~~~\n    ~~~output\n    41\n    ~~~\n"
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:2: printed output differs*", "-41", "+42"])


@pytest.mark.parametrize("page", [
    "!!! example\n\n    ~~~python\n    print(6 * 7)\n    ~~~\n    ~~~output\n    41\n    ~~~\n",
    '=== "Tab"\n\n    ~~~python\n    print(6 * 7)\n    ~~~\n    ~~~output\n    41\n    ~~~\n',
    '??? note "Details"\n    ~~~python\n    print(6 * 7)\n    ~~~\n    ~~~output\n    41\n    ~~~\n',
    "> ~~~python\n> print(6 * 7)\n> ~~~\n> ~~~output\n> 41\n> ~~~\n",
    "- item\n\n    ~~~python\n    print(6 * 7)\n    ~~~\n    ~~~output\n    41\n    ~~~\n",
])
def test_fences_in_admonitions_tabs_details_quotes_and_lists_are_checked(site: MakeSite, page: str) -> None:
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["-41", "+42"])


@pytest.mark.parametrize("page", [
    "!!! example\n\n\t~~~python\n    print(6 * 7)\n\t~~~\n\t~~~output\n\t41\n\t~~~\n",
    "!!! example\n\n    ~~~python\n    print(6 * 7)\n    ~~~\n    ~~~output\n\t41\n    ~~~\n",
    "!!! example\n\n  \t~~~python\n    print(6 * 7)\n    ~~~\n\t~~~output\n  \t41\n    ~~~\n",
])
def test_fences_indented_with_tabs_are_checked(site: MakeSite, page: str) -> None:
    """A tab indents to the next multiple of four columns, for the site as for the checker (whose
    reading of such a page once recursed without end). (In the code a tab is refused, also in
    its indentation: test_a_tab_in_the_code_is_refused_as_the_site_shows_spaces.)"""
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["-41", "+42"])


@pytest.mark.parametrize("shown", ["a\tb", "ab\tc", "\tab", "a   b"])
def test_a_tab_in_an_output_block_is_read_as_the_spaces_the_site_shows(site: MakeSite,
                                                                       shown: str) -> None:
    """The site shows a tab as spaces to the next multiple of four columns: the output block is
    what the reader sees; a terminal's tabs reach multiples of eight."""
    page = f"~~~python\nprint({shown.expandtabs(4)!r})\n~~~\n~~~output\n{shown}\n~~~\n"
    site({"page.md": page}).runpytest().assert_outcomes(passed=1)


def test_a_fence_shown_inside_another_fence_is_not_run(site: MakeSite) -> None:
    page = "````markdown\n~~~python\nraise SystemExit\n~~~\n````\n\n" + example("x = 1")
    site({"page.md": page}).runpytest().assert_outcomes(passed=1)


@pytest.mark.parametrize("info, message", [
    ("{.python retries=2}",
     "docs/page.md:1: unknown fence option 'retries' in ```{.python retries=2} (the options are alt, "
     "continues, figure, hl_lines, linenums, raises, timeout, title)"),
    ("{.python raises}", 'docs/page.md:1: raises needs an exception name, e.g. raises="ValueError"'),
    ('{.python timeout="soon"}',
     "docs/page.md:1: timeout must be a number of seconds from 0 to 600, e.g. timeout=\"120\", "
     "not 'soon'"),
    ('{.text raises="X"}', "docs/page.md:1: checker options on a ```text block, which does not run"),
])
def test_bad_fence_options_fail(site: MakeSite, info: str, message: str) -> None:
    result = site({"page.md": f"~~~{info}\nx = 1\n~~~\n"}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([message])


@pytest.mark.parametrize("info", ['python title="A title"', '{.python title="A title" linenums="1"}',
                                  '{ .python raises="KeyError" title="Missing key" }',
                                  '{.python data-note="for the site\'s scripts"}'])
def test_render_options_are_accepted(site: MakeSite, info: str) -> None:
    code = '{}["k"]' if "raises" in info else "x = 1"
    output = "~~~output\nKeyError: 'k'\n~~~\n" if "raises" in info else ""
    site({"page.md": f"~~~{info}\n{code}\n~~~\n{output}"}).runpytest().assert_outcomes(passed=1)


def test_block_that_prints_without_output_block_fails(site: MakeSite) -> None:
    result = site({"page.md": example("print('shown nowhere')")}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["docs/page.md:1: the example prints but the page shows no output block after it.",
         "It printed:", "shown nowhere"])


def test_silent_block_without_output_block_passes(site: MakeSite) -> None:
    site({"page.md": example("x = 1")}).runpytest().assert_outcomes(passed=1)


@pytest.mark.parametrize("page, message", [
    ("Text.\n\n~~~output\n4\n~~~\n", "docs/page.md:3: output block with no Python code block right "
                                     "before it"),
    ("~~~python\nprint(4)\n~~~\n\nText.\n\n~~~output\n4\n~~~\n",
     "docs/page.md:7: output block with no Python code block right before it"),
    ('~~~python\nprint(4)\n~~~\n~~~{.output title="x"}\n4\n~~~\n',
     "docs/page.md:4: an output block takes no options"),
])
def test_output_block_must_follow_its_code_block(site: MakeSite, page: str, message: str) -> None:
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([message])


def test_first_block_cannot_continue(site: MakeSite) -> None:
    result = site({"page.md": "~~~{.python continues}\nx = 1\n~~~\n"}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:1: the first example of a page cannot use continues"])


def test_a_page_that_is_not_utf8_fails_alone_naming_its_line(site: MakeSite) -> None:
    pages: dict[str, str | bytes] = {"latin.md": "# Page\n\nCaf\xe9.\n".encode("latin-1"),
                                     "good.md": example("x = 1")}
    result = site(pages).runpytest()
    assert outcomes(result) == {"passed": 1, "failed": 1}
    result.stdout.fnmatch_lines(
        ["docs/latin.md:3: not UTF-8 (byte 0xe9 at column 4); save the file as UTF-8"])


def test_a_snippet_that_is_not_utf8_fails_naming_its_line(site: MakeSite) -> None:
    snippets = {"latin.py": "x = 1\nprint('caf\xe9')\n".encode("latin-1")}
    pages = {"page.md": example('--8<-- "snippets/latin.py"'), "good.md": example("x = 1")}
    result = site(pages, snippets).runpytest()
    assert outcomes(result) == {"passed": 1, "failed": 1}
    result.stdout.fnmatch_lines(
        ["snippets/latin.py:2: not UTF-8 (byte 0xe9 at column 11); save the file as UTF-8"])


def test_a_page_with_windows_line_endings_is_read_like_any_other(site: MakeSite) -> None:
    page = example("print(6 * 7)", "42").replace("\n", "\r\n").encode()
    site({"page.md": page}).runpytest().assert_outcomes(passed=1)


def test_snippet_files_are_never_collected_as_tests(site: MakeSite) -> None:
    snippets = {"test_looks_like_a_test.py": "def test_x():\n    raise AssertionError\n"}
    pytester = site({"page.md": example("x = 1")}, snippets)
    for args in [(), ("snippets",), ("snippets/test_looks_like_a_test.py",)]:
        result = pytester.runpytest("--collect-only", "-q", *args)
        assert "test_looks_like_a_test" not in result.stdout.str()
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_broken_mkdocs_yml_is_reported_by_the_pages(site: MakeSite) -> None:
    pytester = site({"page.md": example("x = 1")})
    (pytester.path / "mkdocs.yml").write_text("site_name: x\nmarkdown_extensions:\n  - no.such.ext\n")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["mkdocs.yml: markdown_extensions: Failed to load extension 'no.such.ext'*"])


def test_a_tab_in_the_code_is_refused_as_the_site_shows_spaces(site: MakeSite) -> None:
    snippets = {"tab.py": 'x = 1\nprint("x\tliteral tab")\n'}
    result = site({"page.md": example('--8<-- "snippets/tab.py"', "x       literal tab")},
                  snippets).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["snippets/tab.py:2: a tab character in the code of the block at "
                                 "docs/page.md:1: the site shows it as spaces*"])


def test_every_page_mkdocs_builds_is_checked(site: MakeSite) -> None:
    pages = {"other.markdown": example("print(1)", "WRONG"),
             "build/guide.md": example("print(2)", "2"),
             ".hidden/notes.md": example("print(3)", "WRONG"),  # MkDocs leaves it out
             "page.md": example("x = 1")}
    pytester = site(pages)
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n"
                     "testpaths = docs\nnorecursedirs = build\n")
    result = pytester.runpytest()
    assert outcomes(result) == {"passed": 1, "failed": 2}
    result.stdout.fnmatch_lines([
        "docs/build/guide.md: a page of the site that pytest did not collect (norecursedirs, or "
        "a conftest, left it out): its examples must be checked too"])
    result.stdout.fnmatch_lines(["docs/other.markdown:1: printed output differs*"])


def test_an_include_error_names_the_include_not_prose_that_mentions_it(site: MakeSite) -> None:
    page = ("# Page\n\nRun `python snippets/first.py:setup` to see it.\n\n"
            '~~~python\n--8<-- "snippets/first.py:setup"\n~~~\n')
    result = site({"page.md": page}, {"first.py": "x = 1\n"}).runpytest()
    result.stdout.fnmatch_lines(["docs/page.md:6: Snippet section 'setup' could not be located"])


def test_a_snippet_line_holding_scissors_keeps_its_origin(site: MakeSite) -> None:
    snippets = {"s.py": 'marks = ["8<-",\n         "-->8"]\nprint(marks)\n'}
    page = "# Page\n\n" + example('--8<-- "snippets/s.py"', "['8<-', '-->8']")
    site({"page.md": page}, snippets).runpytest().assert_outcomes(passed=1)


def test_continues_takes_no_value(site: MakeSite) -> None:
    page = example("x = 1") + example("print(x)", "1", info='{.python continues="false"}')
    result = site({"page.md": page}).runpytest()
    result.stdout.fnmatch_lines(["docs/page.md:5: continues takes no value: write {.python continues}"])


@pytest.mark.parametrize("output, message", [
    ("\n4", "docs/page.md:5: the output block starts with a blank line, which the site does not "
            "show (its highlighter drops it): an example cannot be checked against it"),
    ("\x1b[31m4\x1b[0m", "docs/page.md:5: the output block holds the control character '\\x1b', "
                         "which the site does not show as printed (a terminal's colour codes, say)"),
])
def test_an_output_block_the_site_shows_differently_is_refused(site: MakeSite, output: str,
                                                               message: str) -> None:
    page = f"~~~python\nprint(4)\n~~~\n~~~output\n{output}\n~~~\n"
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([message])


def test_an_example_printing_a_blank_first_line_fails_as_no_block_can_show_it(site: MakeSite) -> None:
    result = site({"page.md": example("print()\nprint(4)", "4")}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:1: it prints a blank first line, which an output "
                                 "block cannot show*"])


def test_an_escaped_include_line_is_compared_as_the_site_shows_it_without_its_semicolon(
        site: MakeSite) -> None:
    page = example("print(';--8<-- \"x.py\"')", ';--8<-- "x.py"')
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/page.md:1: printed output differs*", '---8<-- "x.py"',
                                 '+;--8<-- "x.py"'])


def test_a_time_limit_past_ten_minutes_is_refused(site: MakeSite) -> None:
    result = site({"page.md": example("x = 1", info='{.python timeout="601"}')}).runpytest()
    result.stdout.fnmatch_lines(["docs/page.md:1: timeout must be a number of seconds from 0 to "
                                 "600*"])


def test_past_the_total_time_limit_the_examples_left_fail(site: MakeSite) -> None:
    page = (example("import time\ntime.sleep(30)", info='{.python timeout="40"}')
            + example("print(1)", "1"))
    result = site({"page.md": page}, ini={"docscheck_total_timeout": "2"}).runpytest()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["docs/page.md:1: not judged: the examples of this session ran "
                                 "past their total time limit of 2 s (docscheck_total_timeout), so "
                                 "what still ran was stopped; find the slow examples with --durations, "
                                 "or raise the limit",
                                 "docs/page.md:6: not judged*"])


@pytest.mark.parametrize("head", [
    "---\ntitle: A page\nnote: |\n  ~~~python\n  print('not shown')\n  ~~~\n---\n",
    "Title: A page\n    ~~~python\n    print('not shown')\n    ~~~\n",
])
def test_front_matter_is_left_out_as_mkdocs_leaves_it_out_and_lines_keep_their_numbers(site: MakeSite,
                                                                                       head: str) -> None:
    page = head + "\n# Page\n\n" + example("print(2)", "3")
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    line = head.count("\n") + 4
    result.stdout.fnmatch_lines([f"docs/page.md:{line}: printed output differs from the output "
                                 f"block at docs/page.md:{line + 3}"])


def test_fences_the_site_pairs_differently_are_explained_not_reported_as_a_checker_bug(
        site: MakeSite) -> None:
    page = '~~~{.python title="x"\nprint(2)\n~~~\n\nText.\n\n' + example("print(3)", "3")
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "docs/page.md:1: this ```{.python title=\"x\" block is not rendered as code by the site, "
        "so it is not run: the brace after the fence marker is never closed",
        "docs/page.md:3: the site begins a code block on this line, which the page means as the "
        "end of another*fix the fence above",
        "docs/page.md:7: this ```python block is not rendered as code by the site, so it is not "
        "run: the site shows this line inside a code block that begins at docs/page.md:3"])
    assert "please report" not in result.stdout.str()


def test_a_snippet_linked_from_outside_the_repository_is_refused(
        site: MakeSite, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.py"
    outside.write_text("print('from outside')\n")
    pytester = site({"page.md": example('--8<-- "snippets/linked.py"', "from outside")})
    (pytester.path / "snippets").mkdir(exist_ok=True)
    (pytester.path / "snippets" / "linked.py").symlink_to(outside)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f'docs/page.md:2: the include "snippets/linked.py" resolves to '
                                 f"{outside.resolve()}, outside the repository (through a symbolic "
                                 "link): a page shows only files of the repository"])


@pytest.mark.parametrize("snippet, message", [
    ("# -*- coding: latin-1 -*-\nprint('café')\n",
     "snippets/s.py:1: declares the encoding 'latin-1': Python would read the file as iso8859-1, "
     "but the site shows it as UTF-8, so the page and the file would differ; remove the "
     "declaration (files are UTF-8)"),
    ("#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nprint('café')\n",
     "snippets/s.py:2: declares the encoding 'cp1252'*"),
    ("# coding: klingon\nprint('café')\n",
     "snippets/s.py:1: declares the encoding 'klingon', which Python does not know (it would "
     "refuse to run the file); remove the declaration: files are UTF-8"),
])
def test_an_encoding_declaration_other_than_utf8_is_refused(site: MakeSite, snippet: str,
                                                            message: str) -> None:
    result = site({"page.md": example('--8<-- "snippets/s.py"', "café")}, {"s.py": snippet}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([message])


def test_an_encoding_declaration_of_a_snippet_included_below_other_code_is_refused(site: MakeSite) -> None:
    """The snippet is a file of its own (``python snippets/s.py`` reads its declaration), also
    when the page shows it after other lines; a file that is not Python declares nothing."""
    pages = {"a.md": example('x = 1\n--8<-- "snippets/s.py"', "café"),
             "b.md": example('x = 1\n--8<-- "snippets/s.txt"', "café")}
    latin = "# coding: latin-1\nprint('café')\n"
    result = site(pages, {"s.py": latin, "s.txt": latin}).runpytest()
    result.assert_outcomes(failed=1, passed=1)
    result.stdout.fnmatch_lines(["snippets/s.py:1: declares the encoding 'latin-1'*"])


@pytest.mark.parametrize("url", ["https://example.com/a.py", "HTTP://example.com/a.py"])
def test_an_include_of_a_url_is_refused(site: MakeSite, url: str) -> None:
    """The site does not download it (pymdownx.snippets' url_download is off): the page would
    show nothing in its place."""
    result = site({"page.md": example(f'--8<-- "{url}"\nprint(1)', "1")}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f'docs/page.md:2: the include "{url}" is a URL, which '
                                 "the site does not download: the page would show nothing in its place; "
                                 "include a file of the repository"])


@pytest.mark.parametrize("code", ["# -*- coding: utf-8 -*-\nprint('café')",
                                  "print('café')\n# coding: latin-1"])
def test_a_utf8_declaration_or_a_later_comment_is_accepted(site: MakeSite, code: str) -> None:
    site({"page.md": example(code, "café")}).runpytest().assert_outcomes(passed=1)


def test_an_encoding_declaration_in_a_block_written_in_the_page_is_refused(site: MakeSite) -> None:
    result = site({"page.md": example("# coding: latin-1\nprint('café')", "café")}).runpytest()
    result.stdout.fnmatch_lines(["docs/page.md:2: declares the encoding 'latin-1'*"])


@pytest.mark.parametrize("page, message", [
    (example('--8<-- "snippets/hello.py"\nfrom __future__ import annotations', "hello\n4"),
     "docs/page.md:1 (code from snippets/hello.py): syntax error at docs/page.md:3: from "
     "__future__ imports must occur at the beginning of the file"),
    (example("x = 1") + example("from __future__ import annotations\nprint(x)", "1",
                                info="{.python continues}"),
     "docs/page.md:5: syntax error at docs/page.md:6: from __future__ imports must occur at the "
     "beginning of the file (this block continues the code above it)"),
])
def test_code_that_would_not_compile_as_shown_fails_though_its_parts_would(site: MakeSite, page: str,
                                                                           message: str) -> None:
    result = site({"page.md": page}, PRINTER).runpytest()
    assert outcomes(result)["failed"] == 1
    result.stdout.fnmatch_lines([message + "*"])


@pytest.mark.parametrize("args", [(), ("snippets",), ("snippets/sub/x.py",)])
def test_a_conftest_under_snippets_is_refused_before_anything_imports_it(site: MakeSite,
                                                                         args: tuple[str, ...]) -> None:
    boom = "import pathlib\npathlib.Path('imported').write_text('yes')\n"
    pytester = site({"page.md": example("x = 1")}, {"sub/conftest.py": boom, "sub/x.py": "x = 1\n"})
    result = pytester.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*snippets/sub/conftest.py: a conftest.py under snippets/, which "
                                 "pytest would import*"])
    assert not (pytester.path / "imported").exists()


def test_a_line_the_expander_made_counts_from_the_tagged_line_above_it() -> None:
    origins = [None, Origin("snippets/x.py", 5), None, None, Origin("docs/p.md", 3)]
    page = ExpandedPage("docs/p.md", ["a", "b", "", "c", "d"], origins)
    assert [str(page.origin(i)) for i in range(5)] == [
        "docs/p.md:1", "snippets/x.py:5", "snippets/x.py:6", "snippets/x.py:7", "docs/p.md:3"]


def test_a_page_that_cannot_be_read_fails_as_the_page(site: MakeSite) -> None:
    """Its item stands for the whole page: at its first line, headed "page" in the report."""
    pytester = site({"page.md": example('--8<-- "snippets/missing.py"', "1")})
    [item] = pytester.getitems(pytester.path / "docs" / "page.md")
    assert item.location == ("docs/page.md", 0, "page")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*_ page _*", "docs/page.md:2: Snippet at path 'snippets/missing.py' "
                                 "could not be found"])


def test_an_example_knows_the_lines_of_its_fences_in_the_expanded_page(site: MakeSite) -> None:
    from docscheck import Site

    pytester = site({"page.md": "# Page\n\nText.\n\n" + example("print(1)", "1")
                     + example("x = 2\ny = 3")})
    page = Site.load(pytester.path / "mkdocs.yml").read(pytester.path / "docs" / "page.md")
    lines = page.expanded.lines
    assert [(e.start, e.end) for e in page.examples] == [(4, 6), (11, 14)]
    for e in page.examples:
        assert lines[e.start].startswith("```python") and lines[e.end] == "```"


def test_the_pages_are_read_from_the_docs_dir_mkdocs_yml_names(tmp_path: Path) -> None:
    from docscheck.config import SiteConfig

    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: pages\n")
    assert SiteConfig.load(tmp_path / "mkdocs.yml").docs_dir == (tmp_path / "pages").resolve()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    assert SiteConfig.load(tmp_path / "mkdocs.yml").docs_dir == (tmp_path / "docs").resolve()


def test_a_backtick_in_a_fences_options_is_allowed_after_tildes_only(site: MakeSite) -> None:
    """CommonMark reads no fence where a backtick fence's options hold a backtick (the site
    does); after tildes, it may."""
    page = '~~~python title="`a`"\nprint(2)\n~~~\n~~~output\n2\n~~~\n'
    pytester = site({"page.md": page})  # ~~~ stands for backticks here
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "docs/page.md:1: the site begins a code block on this line, but CommonMark, which the "
        "checker follows, reads no fence there: a backtick fence's options may not hold a "
        "backtick; leave it out, or fence the block with ~~~"])
    (pytester.path / "docs" / "page.md").write_text(page, encoding="utf-8")  # real tildes
    pytester.runpytest().assert_outcomes(passed=1)
