"""The reader's own relative times say exactly what Babel would, without its date data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuireader.tui.ago import ago, arabic_plural, babel_ago, speaks

WEEK = 7 * 24 * 3600


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_minute_of_a_week_either_way_reads_as_babel_would(language: str) -> None:
    for minutes in range(0, WEEK // 60 + 1, 7):
        for sign in (-1, 1):
            delta = timedelta(minutes=sign * minutes)
            assert ago(delta, language) == babel_ago(delta, language), delta


@pytest.mark.parametrize("language", ["en", "ar"])
@given(seconds=st.floats(min_value=-WEEK, max_value=WEEK, allow_nan=False))
def test_any_moment_within_a_week_reads_as_babel_would(language: str, seconds: float) -> None:
    delta = timedelta(seconds=seconds)
    assert ago(delta, language) == babel_ago(delta, language)


@pytest.mark.parametrize(
    ("count", "category"),
    [(0, "other"), (1, "one"), (2, "two"), (3, "few"), (10, "few"), (11, "many"), (99, "many"),
     (100, "other"), (102, "other"), (103, "few"), (111, "many")],
)  # fmt: skip
def test_arabic_plural_categories(count: int, category: str) -> None:
    assert arabic_plural(count) == category


def test_arabic_phrases_read_naturally() -> None:
    assert ago(timedelta(hours=-1), "ar") == "قبل ساعة واحدة"
    assert ago(timedelta(hours=-2), "ar") == "قبل ساعتين"
    assert ago(timedelta(hours=-3), "ar") == "قبل 3 ساعات"
    assert ago(timedelta(days=-6), "ar") == "قبل 6 أيام"
    assert ago(timedelta(minutes=-30), "en") == "30m ago"
    assert ago(timedelta(minutes=5), "en") == "in 5m"


def test_only_the_interface_languages_are_spoken() -> None:
    assert speaks("en") and speaks("ar")
    assert not speaks("fr")
