"""Greedy logical wrapping by terminal cells."""

from __future__ import annotations

import pytest

from tuireader.text.wrap import wrap_ranges


def lines(text: str, width: int) -> list[str]:
    return [text[start:end] for start, end in wrap_ranges(text, width)]


def test_greedy_at_spaces_and_the_break_space_is_dropped() -> None:
    assert lines("hello world foo", 11) == ["hello world", "foo"]
    assert lines("hello world foo", 5) == ["hello", "world", "foo"]
    assert wrap_ranges("hello world foo", 5) == [(0, 5), (6, 11), (12, 15)]


def test_only_one_space_is_dropped_at_a_break() -> None:
    assert lines("a  b", 1) == ["a", "", "b"]
    assert lines("a  b", 2) == ["a ", "b"]


def test_long_word_is_hard_split_on_a_new_line() -> None:
    assert lines("ab abcdefgh", 3) == ["ab", "abc", "def", "gh"]
    assert lines("abcdefghij k", 3) == ["abc", "def", "ghi", "j k"]


def test_hard_split_never_separates_a_mark_from_its_base() -> None:
    word = "e\u0301e\u0301e\u0301"  # three cells, three combining acute accents
    assert lines(word, 2) == ["e\u0301e\u0301", "e\u0301"]


def test_widths_are_cells() -> None:
    assert lines("中文 ab", 6) == ["中文", "ab"]
    assert lines("中文 ab", 7) == ["中文 ab"]
    # a character wider than the width gets a line of its own instead of looping
    assert lines("中文", 1) == ["中", "文"]


def test_zero_width_characters_cost_nothing() -> None:
    assert lines("مَرْحَبًا ok", 8) == ["مَرْحَبًا ok"]


def test_empty_text_is_one_empty_line() -> None:
    assert wrap_ranges("", 10) == [(0, 0)]


def test_width_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        wrap_ranges("a", 0)
