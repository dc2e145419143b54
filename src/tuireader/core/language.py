"""The reading direction of a feed or article, from its language tag or its text."""

from __future__ import annotations

from tuireader.core.models import Direction
from tuireader.text import paragraph_direction
from tuireader.text.bidi_classes import bidi_classes

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
    """The configured direction, else the one most of the text's letters have, else the
    language tag's, else the text's first letter's."""
    if configured is not Direction.AUTO:
        return configured
    # The text wins over the tag: feeds often say "en-us" by default while writing Arabic.
    # Most letters, not the first: "IMF يتوقع نمو الاقتصاد" is an Arabic headline.
    by_text = text_direction(text)
    if by_text is not None:
        return by_text
    by_language = direction_of_language(language)
    return (
        by_language if by_language is not Direction.AUTO else Direction(paragraph_direction(text))
    )


_DIRECTION_SAMPLE = 2000  # characters: a title or a summary's opening is enough


def text_direction(text: str) -> Direction | None:
    """RTL or LTR by which the text has more of, right-to-left or left-to-right letters;
    None when it has as many of each (or none)."""
    classes = bidi_classes(text[:_DIRECTION_SAMPLE])
    rtl = classes.count("R") + classes.count("A")
    ltr = classes.count("L")
    if rtl == ltr:
        return None
    return Direction.RTL if rtl > ltr else Direction.LTR
