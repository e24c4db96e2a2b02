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
    ("print('a\\tb')", "a    b", ["-a    b", "+a<TAB>b"]),
    ("print('no\\u00a0break')", "no break", ["+no<U+00A0 NO-BREAK SPACE>break"]),
    ("print('cafe\\u0301')", "caf\u00e9", ["*differ only in Unicode normalisation*"]),
])
def test_failures_on_a_page_show_invisible_differences(site, code, shown, expected):
    result = site({"page.md": example(code, shown)}).runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(expected)
