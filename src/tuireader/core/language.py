"""The reading direction of a feed or article, from its language tag or its text."""

from __future__ import annotations

import unicodedata

from tuireader.core.models import Direction
from tuireader.text import paragraph_direction

# ISO 639 codes of languages written right to left.
RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku-arab", "ps", "sd", "ug", "ur", "yi"}
)


def direction_of_language(language: str | None) -> Direction:
    """RTL or LTR when the tag names a language, AUTO when there is none."""
    if not language:
        return Direction.AUTO
    tag = language.strip().lower().replace("_", "-")
    if tag in RTL_LANGUAGES or tag.split("-")[0] in RTL_LANGUAGES:
        return Direction.RTL
    return Direction.LTR if tag else Direction.AUTO


def resolve_direction(configured: Direction, language: str | None, text: str) -> Direction:
    """The configured direction, else the one the text itself shows, else the language's."""
    if configured is not Direction.AUTO:
        return configured
    # The text wins over the tag: feeds often say "en-us" by default while writing Arabic.
    if any(unicodedata.bidirectional(c) in ("R", "AL", "L") for c in text):
        return Direction(paragraph_direction(text))
    by_language = direction_of_language(language)
    return by_language if by_language is not Direction.AUTO else Direction.LTR
