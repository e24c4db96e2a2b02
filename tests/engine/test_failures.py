"""Failures that can be read: invisible characters made visible, notes on look-alike lines."""

import pytest

from docscheck.verdict import LEGEND, SHOWN_LIMIT, bounded, diff, split_shown, visible
from tests.engine.helpers import MakeSite, example


@pytest.mark.parametrize("line, shown", [
    ("trailing  ", "trailing··"),
    ("a\tb", "a<TAB>b"),
    ("carriage\r", "carriage<CR>"),
    ("no\u00a0break", "no<U+00A0 NO-BREAK SPACE>break"),
    ("zero\u200bwidth", "zero<U+200B ZERO WIDTH SPACE>width"),
    ("plain text, inner  spaces", "plain text, inner  spaces"),
    ("MAX ", "MAX·"),
    ("line\u2028separator", "line<U+2028 LINE SEPARATOR>separator"),
    ("paragraph\u2029separator", "paragraph<U+2029 PARAGRAPH SEPARATOR>separator"),
    ("bell\x07", "bell<U+0007 UNNAMED>"),
    ("private\ue000use", "private<U+E000 UNNAMED>use"),
    ("unassigned\U000e0080", "unassigned<U+E0080 UNNAMED>"),
])
def test_invisible_characters_are_made_visible(line: str, shown: str) -> None:
    assert visible(line) == (shown, shown != line)


def test_a_diff_of_lines_that_differ_only_invisibly_shows_the_difference_and_a_legend() -> None:
    text = diff("a b\nsame", "a\u00a0b\nsame", "shown", "printed")
    assert "-a b" in text and "+a<U+00A0 NO-BREAK SPACE>b" in text and LEGEND in text


def test_a_note_says_when_two_texts_differ_only_in_unicode_normalisation() -> None:
    text = diff("caf\u00e9", "cafe\u0301", "shown", "printed")
    assert text.split("\n")[-1] == (
        "(the two differ only in Unicode normalisation: the same letters, composed as one "
        "character in one and as a letter plus a combining mark in the other)")


@pytest.mark.parametrize("code, shown, expected", [
    ("print('trailing ')", "trailing", ["+trailing·"]),
    # a printed tab is shown as the spaces a terminal shows (to a multiple of eight columns), a
    # tab on the page as the spaces the site shows (to a multiple of four)
    ("print('a\\tb')", "a\tb", ["-a   b", "+a       b"]),
    ("print('no\\u00a0break')", "no break", ["+no<U+00A0 NO-BREAK SPACE>break"]),
    ("print('cafe\\u0301')", "caf\u00e9", ["*differ only in Unicode normalisation*"]),
])
def test_failures_on_a_page_show_invisible_differences(site: MakeSite, code: str, shown: str,
                                                       expected: list[str]) -> None:
    result = site({"page.md": example(code, shown)}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(expected)


def test_a_difference_far_into_a_long_output_is_shown() -> None:
    lines = [f"line {i:03d} " + "x" * 50 for i in range(200)]
    text = diff("\n".join(lines), "\n".join([*lines[:-1], "the last line differs"]),
                "shown", "printed")
    assert "+the last line differs" in text and f"-{lines[-1]}" in text


def test_a_huge_diff_is_cut_with_a_note() -> None:
    text = diff("\n".join(map(str, range(1000))), "\n".join(f"x{i}" for i in range(1000)), "a", "b")
    assert "more lines of the diff not shown" in text and len(text.splitlines()) < 260


def test_two_long_lines_that_differ_near_their_end_show_where() -> None:
    """Both lines are shown around their first difference, with a marker under it: never two
    lines cut at the same length that look the same."""
    shown = "w" * 700 + " (Triggered internally at /a/TensorBody.h:493.)"
    printed = "w" * 700 + " (Triggered internally at /b/TensorBody.h:493.)"
    text = diff(shown, printed, "shown", "printed").split("\n")
    minus, plus, marker = text[3:6]
    assert minus.endswith("(Triggered internally at /a/TensorBody.h:493.)")
    assert plus.endswith("(Triggered internally at /b/TensorBody.h:493.)")
    assert minus.startswith("-[... ") and len(minus) < 300
    assert marker.startswith("?") and marker.endswith("^ first difference: character 728 of the line")
    assert plus[marker.index("^")] == "b" and minus[marker.index("^")] == "a"


def test_a_changed_line_is_marked_where_it_first_differs() -> None:
    text = diff("tensor([1., 2.])\nsame", "tensor([1., 3.])\nsame", "shown", "printed")
    assert text.split("\n")[3:7] == ["-tensor([1., 2.])", "+tensor([1., 3.])",
                                     "?            ^ first difference: character 13 of the line",
                                     " same"]


def test_a_failure_on_a_page_shows_where_a_long_line_differs(site: MakeSite) -> None:
    printed = "v" * 600 + "end"
    result = site({"page.md": example(f"print({printed!r})", "v" * 600 + "END")}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*-[[]... 520 characters[]] v*vEND",
                                 "*+[[]... 520 characters[]] v*vend",
                                 "*?* ^ first difference: character 601 of the line"])


WARN = ("import warnings\n"
        "warnings.warn('Careful. (Triggered internally at /__w/build/Tensor.h:493.)')")


@pytest.mark.parametrize(("shown", "passes"), [
    # the place in torch's build that raised a C++ warning is shown as an ellipsis
    ("docs/page.md:3: UserWarning: Careful. (Triggered internally at …)\n"
     "  warnings.warn('Careful. (Triggered internally at …)')", True),
    # and only as the ellipsis: a path, any path, fails
    ("docs/page.md:3: UserWarning: Careful. (Triggered internally at /__w/build/Tensor.h:493.)\n"
     "  warnings.warn('Careful. (Triggered internally at /__w/build/Tensor.h:493.)')", False),
    # the rest of the line is checked as usual
    ("docs/page.md:3: UserWarning: Careless. (Triggered internally at …)\n"
     "  warnings.warn('Careful. (Triggered internally at …)')", False),
])
def test_where_torch_raised_a_warning_is_shown_as_an_ellipsis(site: MakeSite, shown: str,
                                                              passes: bool) -> None:
    result = site({"page.md": example(WARN, shown)}).runpytest()
    result.assert_outcomes(**({"passed": 1} if passes else {"failed": 1}))


@pytest.mark.parametrize(("printed", "passes"), [
    ("a (Triggered internally at x:1.)", True),  # a place: file and line
    ("(Triggered internally at home)", False),  # anything else is compared as printed
])
def test_the_ellipsis_stands_for_a_place_in_torch_s_build_and_nothing_else(site: MakeSite, printed: str,
                                                                           passes: bool) -> None:
    page = example(f"print({printed!r})", printed.split(" at ")[0] + " at …)")
    result = site({"page.md": page}).runpytest()
    result.assert_outcomes(**({"passed": 1} if passes else {"failed": 1}))
    if not passes:
        result.stdout.fnmatch_lines(["*+(Triggered internally at home)"])


def test_the_first_difference_is_counted_in_the_line_as_printed() -> None:
    """A tab is shown as <TAB>, but counted as the one character it is."""
    text = diff("a\tb\tc", "a\tb\td", "shown", "printed").split("\n")
    minus, plus, marker = text[3:6]
    assert marker.endswith("^ first difference: character 5 of the line")
    assert minus[marker.index("^")] == "c" and plus[marker.index("^")] == "d"


@pytest.mark.parametrize("text, raises, expected", [
    # the error is the last line that starts with its name and a colon, or is the name alone
    ("1\n2\nValueError: bad\n", "ValueError", ("1\n2\n", "ValueError: bad")),
    ("ValueError: first\nValueError: second", "ValueError", ("ValueError: first\n", "ValueError: second")),
    ("printed\nStopIteration", "StopIteration", ("printed\n", "StopIteration")),
    # a dotted name counts as the exception's name; a longer name that merely ends with it does not
    ("torch.OutOfMemoryError: no", "OutOfMemoryError", ("", "torch.OutOfMemoryError: no")),
    ("MyValueError: x", "ValueError", ("MyValueError: x", "")),
    # the error's own lines after its first one stay with it
    ("a\nRuntimeError: one\n  two", "RuntimeError", ("a\n", "RuntimeError: one\n  two")),
    # no such line: all of it was printed
    ("no error here\n", "KeyError", ("no error here\n", "")),
    ("KeyError happened: no", "KeyError", ("KeyError happened: no", "")),
    # the name is what comes before the first colon
    ("x\nValueError: bad: worse", "ValueError", ("x\n", "ValueError: bad: worse")),
])
def test_an_expected_errors_output_block_splits_at_the_errors_last_line(
        text: str, raises: str, expected: tuple[str, str]) -> None:
    assert split_shown(text, raises) == expected


def _changed(old: str, new: str) -> list[str]:
    """The lines a diff shows for one line of the page and the line printed in its place."""
    lines = diff(f"{old}\nsame", f"{new}\nsame", "shown", "printed").split("\n")
    assert lines[6:] == [" same"]  # nothing else: no legend where nothing is invisible
    return lines[3:6]


@pytest.mark.parametrize("length, at, minus, marker", [
    # lines up to LONG_LINE (500) characters are shown whole
    (300, 250, "-" + "x" * 250 + "A" + "x" * 49, "?" + " " * 250 + "^"),
    (500, 499, "-" + "x" * 499 + "A", "?" + " " * 499 + "^"),
    # longer ones: WINDOW (160) characters around the difference, with what is left out counted
    (501, 10, "-" + "x" * 10 + "A" + "x" * 149 + " [... 341 more characters]", "?" + " " * 10 + "^"),
    (600, 520, "-[... 440 characters] " + "x" * 80 + "A" + "x" * 79, "?" + " " * 101 + "^"),
    (601, 520, "-[... 440 characters] " + "x" * 80 + "A" + "x" * 79 + " [... 1 more characters]",
     "?" + " " * 101 + "^"),
])
def test_a_changed_line_is_shown_whole_or_around_its_difference(length: int, at: int, minus: str,
                                                                 marker: str) -> None:
    old = "x" * at + "A" + "x" * (length - at - 1)
    new = "x" * at + "B" + "x" * (length - at - 1)
    shown = _changed(old, new)
    assert shown[0] == minus and shown[1] == "+" + minus[1:].replace("A", "B")
    assert shown[2] == f"{marker} first difference: character {at + 1} of the line"


@pytest.mark.parametrize("length, shown", [
    (500, " " + "c" * 500),
    (501, " " + "c" * 500 + "[... 1 more characters]"),
])
def test_a_long_unchanged_line_in_a_diff_is_cut_after_500_characters(length: int, shown: str) -> None:
    lines = diff("c" * length + "\nold", "c" * length + "\nnew", "shown", "printed").split("\n")
    assert lines[3] == shown


def test_a_diff_shows_blank_lines_at_the_start_of_an_output() -> None:
    """Two runs that print a blank line and then differ (the chance check's diff): the blank
    line is in the diff as the line it is."""
    assert diff("\n\nA", "\n\nB", "first run", "second run").split("\n")[2:6] == [
        "@@ -1,3 +1,3 @@", " ", " ", "-A"]


@pytest.mark.parametrize("expected, actual, shown", [
    ("a\nb", "a\nc", ["@@ -1,2 +1,2 @@", " a", "-b", "+c", "?^ first difference: character 1 of the line"]),
    ("a\nb\nc", "a\nc", ["@@ -1,3 +1,2 @@", " a", "-b", " c"]),
    ("a\nc", "a\nb\nc", ["@@ -1,2 +1,3 @@", " a", "+b", " c"]),
    # two lines of context on each side of a change
    ("\n".join("123456789"), "\n".join("1234X6789"),
     ["@@ -3,5 +3,5 @@", " 3", " 4", "-5", "+X", "?^ first difference: character 1 of the line", " 6", " 7"]),
])
def test_a_diff_is_the_unified_diff_with_the_changed_lines_marked(expected: str, actual: str,
                                                                  shown: list[str]) -> None:
    assert diff(expected, actual, "shown", "printed").split("\n") == ["--- shown", "+++ printed", *shown]


@pytest.mark.parametrize("printed, note", [(196, False), (197, True)])
def test_a_diff_of_more_than_200_lines_is_cut_after_them(printed: int, note: bool) -> None:
    lines = diff("", "\n".join(map(str, range(printed))), "shown", "printed").split("\n")
    assert (lines[-1] == "[... 1 more lines of the diff not shown]") == note
    assert lines[-1 - note] == "+195"  # the 200th line of the diff


@pytest.mark.parametrize("length, shown", [
    (SHOWN_LIMIT, "x" * SHOWN_LIMIT),
    (SHOWN_LIMIT + 1, "x" * SHOWN_LIMIT + "\n[... 1 more characters not shown]"),
])
def test_an_output_in_a_message_is_cut_after_the_limit(length: int, shown: str) -> None:
    assert bounded("x" * length) == shown


def test_a_verdict_names_its_example_whether_it_passes_or_fails(site: MakeSite) -> None:
    from docscheck import ExampleRun, Site, judge

    pytester = site({"page.md": example("print(1)", "1")})
    [shown] = Site.load(pytester.path / "mkdocs.yml").read(pytester.path / "docs" / "page.md").examples
    passed = judge(shown, ExampleRun("1\n"), ExampleRun("1\n"))
    assert passed.ok and passed.example is shown and passed.actual is None
    failed = judge(shown, ExampleRun("2\n"), ExampleRun("2\n"))
    assert not failed.ok and failed.example is shown and failed.actual == "2\n"
