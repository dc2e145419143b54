"""Make untrusted text safe to show: no control characters, no invisible junk, no spoofing."""

from __future__ import annotations

import re
import unicodedata

# Every Cc but newline: C0 (tab is turned into a space first), DEL, C1 (ESC, 8-bit CSI...).
_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
# Soft hyphen, zero width space, BOM, tag characters, and lone surrogates (not encodable).
_JUNK = re.compile("[\u00ad\u200b\ufeff\U000e0000-\U000e007f\ud800-\udfff]")
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
# Presentation forms (Alphabetic and Arabic Presentation Forms A and B), e.g. from PDFs.
_PRESENTATION_FORMS = re.compile("[\ufb00-\ufdff\ufe70-\ufefe]+")


# Anything the steps below would change; most strings from feeds have none of it.
_NEEDS_WORK = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u200b\ufeff\U000e0000-\U000e007f\ud800-\udfff"
    "\u2028\u2029\u202d\u202e\ufb00-\ufdff\ufe70-\ufefe]"
)


def _fold(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group())


def sanitize_text(text: str) -> str:
    """Return ``text`` safe for a terminal, with the same meaning.

    Line breaks (CR LF, CR, U+2028, U+2029) become newlines, tabs become spaces; every other
    control character (C0, DEL, C1, ESC included) is removed, as are U+00AD, U+200B, U+FEFF, tag
    characters and lone surrogates. LRO and RLO become LRE and RLE. Presentation forms are folded
    back to letters (NFKC on those characters only), then the whole text is put in NFC.
    Idempotent.
    """
    return text if _plainly_clean(text) else _sanitized(text)


def _plainly_clean(text: str) -> bool:
    """A quick test, true only for text ``sanitize_text`` gives back unchanged: printable
    characters and newlines, in NFKC. It costs a half to two thirds of the scan below, and
    most text from feeds passes it.

    Every character the steps below remove or replace is a control, format, separator or
    surrogate character, none of them printable, or a presentation form, which NFKC text
    holds only where NFKC leaves it alone; and NFKC text is NFC text too.
    """
    return text.replace("\n", "").isprintable() and unicodedata.is_normalized("NFKC", text)


def _sanitized(text: str) -> str:
    """``sanitize_text`` step by step."""
    if _NEEDS_WORK.search(text) is None:  # the common case: only normalization to do
        return (
            text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
        )
    text = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
    text = _JUNK.sub("", _CONTROLS.sub("", text))
    # LRO and RLO would show characters in another order than the logical one (Trojan
    # Source). str.replace, not str.translate: translate costs more than the rest together.
    text = text.replace("\u202d", "\u202a").replace("\u202e", "\u202b")
    text = _PRESENTATION_FORMS.sub(_fold, text)
    return unicodedata.normalize("NFC", text)
