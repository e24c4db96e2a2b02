"""Failures that can be read: invisible characters made visible, notes on look-alike lines."""

import pytest

from docscheck.verdict import LEGEND, diff, visible
from tests.engine.helpers import MakeSite, example


@pytest.mark.parametrize("line, shown", [
    ("trailing  ", "trailing··"),
    ("a\tb", "a<TAB>b"),
    ("carriage\r", "carriage<CR>"),
    ("no\u00a0break", "no<U+00A0 NO-BREAK SPACE>break"),
    ("zero\u200bwidth", "zero<U+200B ZERO WIDTH SPACE>width"),
    ("plain text, inner  spaces", "plain text, inner  spaces"),
])
def test_invisible_characters_are_made_visible(line: str, shown: str) -> None:
    assert visible(line) == (shown, shown != line)


def test_a_diff_of_lines_that_differ_only_invisibly_shows_the_difference_and_a_legend() -> None:
    text = diff("a b\nsame", "a\u00a0b\nsame", "shown", "printed")
    assert "-a b" in text and "+a<U+00A0 NO-BREAK SPACE>b" in text and LEGEND in text


def test_a_note_says_when_two_texts_differ_only_in_unicode_normalisation() -> None:
    text = diff("caf\u00e9", "cafe\u0301", "shown", "printed")
    assert "differ only in Unicode normalisation" in text


@pytest.mark.parametrize("code, shown, expected", [
    ("print('trailing ')", "trailing", ["+trailing·"]),
    # a printed tab is shown as the spaces a terminal shows; a tab on the page is made visible
    ("print('a\\tb')", "a\tb", ["-a<TAB>b", "+a       b"]),
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
