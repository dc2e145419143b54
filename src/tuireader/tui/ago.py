"""How long ago a moment was, in the interface languages, without loading a locale's date data.

The article list shows a relative time on every row of its first frame. Babel's
``format_timedelta`` would first load the whole date data of the locale (12-20 ms, and
``babel.dates`` imports the local time zone); these are the same CLDR narrow patterns for the
languages the interface speaks, with the same unit choice and rounding. A test holds both to
the same output; other languages go to Babel.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

#: Seconds per unit, largest first; the minute is the smallest unit shown.
UNITS = (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60))

# English: one form for every count.
_ENGLISH_SHORT = {"week": "w", "day": "d", "hour": "h", "minute": "m"}

# Arabic: a phrase per plural category (CLDR: zero, one, two, few, many, other), after
# "قبل" (ago) or "خلال" (in). Zero takes the "other" phrase.
_ARABIC_PHRASES = {
    "minute": {
        "one": "دقيقة واحدة",
        "two": "دقيقتين",
        "few": "{0} دقائق",
        "many": "{0} دقيقة",
        "other": "{0} دقيقة",
    },
    "hour": {
        "one": "ساعة واحدة",
        "two": "ساعتين",
        "few": "{0} ساعات",
        "many": "{0} ساعة",
        "other": "{0} ساعة",
    },
    "day": {
        "one": "يوم واحد",
        "two": "يومين",
        "few": "{0} أيام",
        "many": "{0} يومًا",
        "other": "{0} يوم",
    },
    "week": {
        "one": "أسبوع واحد",
        "two": "أسبوعين",
        "few": "{0} أسابيع",
        "many": "{0} أسبوعًا",
        "other": "{0} أسبوع",
    },
}


def arabic_plural(count: int) -> str:
    """The CLDR plural category of a whole number in Arabic."""
    if count in (1, 2):
        return "one" if count == 1 else "two"
    if 3 <= count % 100 <= 10:
        return "few"
    if 11 <= count % 100 <= 99:
        return "many"
    return "other"  # 0, 100-102, 200-202, ...


def _english(unit: str, count: int, past: bool) -> str:
    short = f"{count}{_ENGLISH_SHORT[unit]}"
    return f"{short} ago" if past else f"in {short}"


def _arabic(unit: str, count: int, past: bool) -> str:
    phrase = _ARABIC_PHRASES[unit][arabic_plural(count)].replace("{0}", str(count))
    return ("قبل " if past else "خلال ") + phrase


_PHRASERS: dict[str, Callable[[str, int, bool], str]] = {"en": _english, "ar": _arabic}


def count_in_units(delta: timedelta) -> tuple[str, int]:
    """The unit and rounded count a delta is said in: the largest unit that fits once, else
    minutes (at least one for any delta over nothing)."""
    seconds = abs(delta.total_seconds())
    for unit, size in UNITS[:-1]:
        if seconds / size >= 1:  # as Babel compares, division and all
            return unit, round(seconds / size)
    minutes = seconds / 60
    return "minute", round(max(1.0, minutes) if minutes > 0 else minutes)


def speaks(language: str) -> bool:
    """Whether this module has the phrases of ``language``."""
    return language in _PHRASERS


def ago(delta: timedelta, language: str) -> str:
    """``delta`` (moment minus now) as "3h ago" / "قبل 3 ساعات", or "in 3h" for the future.

    For deltas up to a week; ``language`` must be one that :func:`speaks`.
    """
    unit, count = count_in_units(delta)
    return _PHRASERS[language](unit, count, delta.total_seconds() < 0)


def babel_ago(delta: timedelta, language: str) -> str:
    """The same as Babel says it, for any language it knows (loads its date data)."""
    from babel.dates import format_timedelta

    return format_timedelta(
        delta,
        granularity="minute",
        threshold=1.0,
        add_direction=True,
        format="narrow",
        locale=language,
    )
