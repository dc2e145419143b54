"""sanitize_text: nothing that can drive a terminal or spoof the order gets through."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from tuireader.text import sanitize_text


def test_escape_sequences_lose_their_escape_and_c1_controls_go() -> None:
    hostile = "a\x1b[2Jb\x1b]8;;https://evil\x1b\\c\x9b31md\x07e\x00f\x7fg\x85h"
    assert sanitize_text(hostile) == "a[2Jb]8;;https://evil\\c31mdefgh"


def test_tab_and_line_breaks() -> None:
    assert sanitize_text("a\tb\r\nc\rd\u2028e\u2029f\n") == "a b\nc\nd\ne\nf\n"


def test_invisible_junk_is_removed() -> None:
    text = "ex\u00adtra\u200bordinary\ufeff tag\U000e0041\U000e007f\ud800"
    assert sanitize_text(text) == "extraordinary tag"


def test_overrides_become_embeddings_other_controls_stay() -> None:
    text = "\u202egnp.exe\u202c \u202dx\u202c \u2067ب\u2069 \u200f\u200e\u061c\u200d\u200c"
    assert (
        sanitize_text(text)
        == "\u202bgnp.exe\u202c \u202ax\u202c \u2067ب\u2069 \u200f\u200e\u061c\u200d\u200c"
    )


def test_nfc_and_presentation_forms_folded_back() -> None:
    assert sanitize_text("\u0627\u0654") == "\u0623"  # alef + hamza above composes
    assert sanitize_text("e\u0301") == "\u00e9"
    # lam-alef, ALLAH, final alef, initial beh (as copied from a PDF), a Latin ligature
    assert sanitize_text("\ufefb \ufdf2 \ufe8e\ufe91 \ufb01") == "لا الله اب fi"


def test_plain_arabic_and_emoji_pass_unchanged() -> None:
    text = "قال المتحدث (CNN) إن 28-02-2025 بنسبة %12.5 👨\u200d👩\u200d👧 مَرْحَبًا"
    assert sanitize_text(text) == text


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_idempotent_and_no_controls(text: str) -> None:
    once = sanitize_text(text)
    assert sanitize_text(once) == once
    assert all(c == "\n" or unicodedata.category(c) not in ("Cc", "Cs") for c in once)
    assert not set(once) & {"\u00ad", "\u200b", "\ufeff", "\u202d", "\u202e", "\t", "\r"}
    assert unicodedata.is_normalized("NFC", once)
