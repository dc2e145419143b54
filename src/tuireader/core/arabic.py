"""Arabic-aware normalization for matching: search, related articles, boilerplate labels.

``normalize`` folds the spellings of one word to a single form so that the index and the
queries agree. It is a character-level fold (nothing is inserted or reordered; characters are
only removed or replaced), made for matching, never for display:

- NFKC, so presentation forms (U+FB50–FDFF, U+FE70–FEFF) and ligatures such as ﻻ become
  plain letters;
- tashkeel removed: U+0610–061A, U+064B–065F, U+0670, U+06D6–06ED, the Extended-A marks
  U+08CA–08FF, high hamza U+0674, and Hebrew points (U+0591–05C7) for the same reason;
- tatweel U+0640 and invisible format/bidi marks (ALM, ZWSP–RLM, LRE–RLO, LRI–PDI, word
  joiner, BOM, soft hyphen, variation selectors) removed;
- alef forms إ أ آ ٱ ٲ ٳ → ا, ى → ي, ة → ه, ؤ → و, ئ → ي, and the Persian/Urdu letters
  ک → ك, ی → ي, ۀ ۂ ہ ۃ → ه;
- Arabic-Indic (U+0660–0669) and Eastern Arabic-Indic (U+06F0–06F9) digits → ASCII, the
  Arabic decimal and thousands separators and percent sign → ``.`` ``,`` ``%``;
- casefold (Latin, Greek, Cyrillic).

The function is idempotent: ``normalize(normalize(s)) == normalize(s)``.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize"]


def _char_class(spans: list[tuple[int, int]]) -> str:
    return "".join(f"\\u{a:04x}-\\u{b:04x}" if a != b else f"\\u{a:04x}" for a, b in spans)


_REMOVED_SPANS = [
    (0x0610, 0x061A),  # Quranic marks
    (0x064B, 0x065F),  # harakat, shadda, sukun, hamza marks
    (0x0670, 0x0670),  # superscript alef
    (0x0674, 0x0674),  # high hamza (NFKC of U+0675–0678 leaves it behind)
    (0x06D6, 0x06ED),  # Quranic annotation signs
    (0x08CA, 0x08FF),  # Arabic Extended-A marks
    (0x0591, 0x05BD),  # Hebrew cantillation and points
    (0x05BF, 0x05BF),
    (0x05C1, 0x05C2),
    (0x05C4, 0x05C5),
    (0x05C7, 0x05C7),
    (0x0640, 0x0640),  # tatweel
    (0x061C, 0x061C),  # ARABIC LETTER MARK
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x180E, 0x180E),  # Mongolian vowel separator
    (0x200B, 0x200F),  # ZWSP, ZWNJ, ZWJ, LRM, RLM
    (0x202A, 0x202E),  # LRE, RLE, PDF, LRO, RLO
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x2069),  # LRI, RLI, FSI, PDI
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),  # BOM / ZWNBSP
]
_REMOVED = re.compile(f"[{_char_class(_REMOVED_SPANS)}]+")

_FOLDS: tuple[tuple[str, str], ...] = (
    ("إ", "ا"),
    ("أ", "ا"),
    ("آ", "ا"),
    ("ٱ", "ا"),
    ("ٲ", "ا"),
    ("ٳ", "ا"),
    ("ى", "ي"),
    ("ة", "ه"),
    ("ؤ", "و"),
    ("ئ", "ي"),
    ("ک", "ك"),  # U+06A9 keheh
    ("ی", "ي"),  # U+06CC Farsi yeh
    ("ۀ", "ه"),
    ("ۂ", "ه"),
    ("ہ", "ه"),
    ("ۃ", "ه"),
    ("٫", "."),  # Arabic decimal separator
    ("٬", ","),  # Arabic thousands separator
    ("٪", "%"),
)
_DIGIT_FOLDS: tuple[tuple[str, str], ...] = (
    *((chr(0x0660 + d), str(d)) for d in range(10)),  # Arabic-Indic digits
    *((chr(0x06F0 + d), str(d)) for d in range(10)),  # Eastern Arabic-Indic digits
)
_INDIC_DIGIT = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
# Up to this length one search for a digit costs less than twenty "in" tests (words, titles).
_DIGIT_SEARCH_MAX = 256
# Characters that casefold leaves alone: ASCII but A-Z, Latin-1 punctuation but µ, Hebrew,
# Arabic, general punctuation. Casefolding costs more than this check on Arabic text.
_CASELESS = re.compile("[\\x00-\\x40\\x5b-\\xb4\\xb6-\\xbf\\u0590-\\u08ff\\u2000-\\u206f]*")


def normalize(text: str) -> str:
    """Fold ``text`` to the form used for matching (presentation forms, harakat, hamza, case)."""
    if text.isascii():
        return text.casefold()
    text = _REMOVED.sub("", unicodedata.normalize("NFKC", text))
    # str.replace per letter is ~10× faster than str.translate on Arabic text.
    for letter, folded in _FOLDS:
        if letter in text:
            text = text.replace(letter, folded)
    if len(text) > _DIGIT_SEARCH_MAX or _INDIC_DIGIT.search(text):
        for digit, ascii_digit in _DIGIT_FOLDS:
            if digit in text:
                text = text.replace(digit, ascii_digit)
    if _CASELESS.fullmatch(text) is None:
        text = text.casefold()
    return text
