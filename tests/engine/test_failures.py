"""Failures that can be read: invisible characters made visible, notes on look-alike lines."""

import pytest

from docscheck.verdict import LEGEND, diff, visible
from tests.engine.helpers import example


@pytest.mark.parametrize("line, shown", [
    ("trailing  ", "trailing··"),
    ("a\tb", "a<TAB>b"),
    ("carriage\r", "carriage<CR>"),
    ("no\u00a0break", "no<U+00A0 NO-BREAK SPACE>break"),
    ("zero\u200bwidth", "zero<U+200B ZERO WIDTH SPACE>width"),
    ("plain text, inner  spaces", "plain text, inner  spaces"),
])
def test_invisible_characters_are_made_visible(line, shown):
    assert visible(line) == (shown, shown != line)


def test_a_diff_of_lines_that_differ_only_invisibly_shows_the_difference_and_a_legend():
    text = diff("a b\nsame", "a\u00a0b\nsame", "shown", "printed")
    assert "-a b" in text and "+a<U+00A0 NO-BREAK SPACE>b" in text and LEGEND in text


def test_a_note_says_when_two_texts_differ_only_in_unicode_normalisation():
    text = diff("caf\u00e9", "cafe\u0301", "shown", "printed")
    assert "differ only in Unicode normalisation" in text


@pytest.mark.parametrize("code, shown, expected", [
    ("print('trailing ')", "trailing", ["+trailing·"]),
    # a printed tab is shown as the spaces a terminal shows; a tab on the page is made visible
    ("print('a\\tb')", "a\tb", ["-a<TAB>b", "+a       b"]),
    ("print('no\\u00a0break')", "no break", ["+no<U+00A0 NO-BREAK SPACE>break"]),
    ("print('cafe\\u0301')", "caf\u00e9", ["*differ only in Unicode normalisation*"]),
])
def test_failures_on_a_page_show_invisible_differences(site, code, shown, expected):
    result = site({"page.md": example(code, shown)}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(expected)


def test_a_difference_far_into_a_long_output_is_shown():
    lines = [f"line {i:03d} " + "x" * 50 for i in range(200)]
    text = diff("\n".join(lines), "\n".join([*lines[:-1], "the last line differs"]),
                "shown", "printed")
    assert "+the last line differs" in text and f"-{lines[-1]}" in text


def test_a_huge_diff_is_cut_with_a_note():
    text = diff("\n".join(map(str, range(1000))), "\n".join(f"x{i}" for i in range(1000)), "a", "b")
    assert "more lines of the diff not shown" in text and len(text.splitlines()) < 260
