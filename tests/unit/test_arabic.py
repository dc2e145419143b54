"""The Arabic normalizer: every folding it promises, on real spellings."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuireader.core.arabic import normalize


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("إسلام", "اسلام"),
        ("أحمد", "احمد"),
        ("آمال", "امال"),
        ("ٱلرحمن", "الرحمن"),
        ("مستشفى", "مستشفي"),
        ("مدرسة", "مدرسه"),
        ("مؤتمر", "موتمر"),
        ("رئيس", "رييس"),
        ("کتاب", "كتاب"),  # Persian keheh
        ("ایران", "ايران"),  # Farsi yeh
        ("نامۀ", "نامه"),  # heh with yeh above
    ],
)
def test_letter_folds(written: str, folded: str) -> None:
    assert normalize(written) == folded


def test_hamza_alef_is_folded_not_erased() -> None:
    # pyarabic's normalize_hamza turns أحمد into ءحمد; the word must keep its first letter.
    assert normalize("أحمد") == "احمد"
    assert normalize("إلى") == "الي"
    assert normalize("سماء") == "سماء"  # hamza on the line stays


def test_tashkeel_stripped_vocalised_equals_plain() -> None:
    assert normalize("الْمَغْرِبُ") == normalize("المغرب") == "المغرب"
    assert normalize("مُحَمَّدٌ") == "محمد"
    assert normalize("الرَّحْمٰنِ") == "الرحمن"  # superscript alef U+0670
    assert normalize("صَلَّى ٱللَّهُ عَلَيْهِ ﷺ") == normalize("صلي الله عليه ﷺ")


@pytest.mark.parametrize(
    "mark",
    ["\u0610", "\u061a", "\u064b", "\u0652", "\u065f", "\u0670", "\u06d6", "\u06ed"],
)
def test_each_tashkeel_range_boundary_is_stripped(mark: str) -> None:
    assert normalize("ك" + mark + "تب") == "كتب"


def test_tatweel_stripped() -> None:
    assert normalize("المـــغـرب") == "المغرب"


@pytest.mark.parametrize(
    "mark",
    list(
        "\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad"
    ),
)
def test_bidi_and_format_marks_gone(mark: str) -> None:
    assert normalize("المغ" + mark + "رب") == "المغرب"


def test_digits_to_ascii() -> None:
    assert normalize("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert normalize("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert normalize("۰۱۲۳") == "0123"
    assert normalize("١٢٫٥٪") == "12.5%"


def test_presentation_forms() -> None:
    assert normalize("ﻻ") == "لا"
    assert normalize("ﷲ") == "الله"
    # "المغرب" typed in isolated/initial/medial/final presentation forms
    assert normalize("ﺍﻟﻤﻐﺮﺏ") == "المغرب"
    assert normalize("ﺃﺣﻤﺪ") == "احمد"


def test_latin_casefold_and_arabic_untouched() -> None:
    assert normalize("NATO Straße") == "nato strasse"
    assert normalize("Élysée") == "élysée"
    assert normalize("كأس العالم FIFA") == "كاس العالم fifa"


def test_decomposed_hamza_composes_then_folds() -> None:
    decomposed = "\u0627\u0654\u062d\u0645\u062f"  # alef + combining hamza above + حمد
    assert normalize(decomposed) == "احمد"


def test_ascii_fast_path_matches_general_path() -> None:
    assert normalize("Hello World 123") == "hello world 123"


_arabic_heavy = st.text(
    alphabet=st.sampled_from(
        [
            *"ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىةٱکیۀ٠٥٩۰۹ـ ",
            *"\u064b\u064e\u0651\u0652\u0670\u200f\u202b\ufefb",
            *"AbZßİ12.",
        ]
    ),
    max_size=40,
)


@given(_arabic_heavy)
def test_idempotent_on_arabic(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(max_size=40))
def test_idempotent_on_any_text(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(_arabic_heavy)
def test_output_has_no_marks_or_foldable_letters(text: str) -> None:
    out = normalize(text)
    assert not set(out) & set("آأإٱىةؤئکیـ\u200f\u202b")
    assert not any(unicodedata.category(c) == "Mn" and "\u0600" <= c <= "\u06ff" for c in out)
