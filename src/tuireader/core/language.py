"""The reading direction of a feed or article, from its language tag or its text."""

from __future__ import annotations

import re
from collections import Counter

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
_MARKUP = re.compile(r"<[^>]*>|&[#\w]+;|\bhttps?://\S+")


def text_direction(text: str) -> Direction | None:
    """RTL or LTR by which the text has more of, right-to-left or left-to-right letters;
    None when it has as many of each (or none). Tags, entities and URLs in an HTML summary
    are not letters of the text."""
    sample = text[:_DIRECTION_SAMPLE]
    if "<" in sample or "&" in sample or "://" in sample:
        sample = _MARKUP.sub(" ", sample)
    classes = bidi_classes(sample)
    rtl = classes.count("R") + classes.count("A")
    ltr = classes.count("L")
    if rtl == ltr:
        return None
    return Direction.RTL if rtl > ltr else Direction.LTR


# Letters that only some languages written in Arabic script use.
_PERSIAN_LETTERS = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc]")  # پ چ ژ گ ک ی
_URDU_LETTERS = re.compile("[\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2]")  # ٹ ڈ ڑ ں ھ ہ ے
_ARABIC_ONLY = re.compile("[\u0629\u064a\u0643]")  # ة ي ك: Persian writes ی and ک
_ARABIC_SCRIPT = re.compile("[\u0620-\u064a\u066e-\u06d3]")
_HEBREW = re.compile("[\u05d0-\u05ea]")
_LATIN_WORD = re.compile("[a-zà-ÿ]+")
# Frequent short words of the Latin-script languages feeds are most often written in.
_COMMON_WORDS = {
    language: frozenset(words.split())
    for language, words in {
        "en": "the and of to in is for on with that by from at as",
        "fr": "le la les de des et est une du pour dans sur au aux par qui",
        "es": "el la los las de que y del por una con para se al es",
        "de": "der die das und ist nicht mit von den ein eine im auf für",
    }.items()
}
_MIN_LETTERS = 12
_MIN_COMMON_WORDS = 3


def language_of_text(text: str) -> str | None:
    """A language tag guessed from the text, for feeds that give none: ar, fa, ur or he by
    their letters; en, fr, es or de by their most common words; None when unsure."""
    arabic = len(_ARABIC_SCRIPT.findall(text))
    hebrew = len(_HEBREW.findall(text))
    if max(arabic, hebrew) >= _MIN_LETTERS:
        if hebrew > arabic:
            return "he"
        urdu = len(_URDU_LETTERS.findall(text))
        persian = len(_PERSIAN_LETTERS.findall(text))
        arabic_only = len(_ARABIC_ONLY.findall(text))
        if urdu * 50 >= arabic:
            return "ur"
        if persian > arabic_only:
            return "fa"
        return "ar"
    counts = Counter(
        language
        for word in _LATIN_WORD.findall(text.lower())
        for language, words in _COMMON_WORDS.items()
        if word in words
    )
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < _MIN_COMMON_WORDS:
        return None
    if len(ranked) > 1 and ranked[0][1] < 1.5 * ranked[1][1]:
        return None
    return ranked[0][0]
