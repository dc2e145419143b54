"""Reading direction of articles from the configuration, the text and the language tag."""

from __future__ import annotations

import pytest

from tuireader.core.language import (
    direction_of_language,
    language_of_text,
    resolve_direction,
    text_direction,
)
from tuireader.core.models import Direction

AUTO, RTL, LTR = Direction.AUTO, Direction.RTL, Direction.LTR


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # Arabic headlines that open with a Latin name or acronym are still Arabic.
        ("ar", "IMF يتوقع نمو الاقتصاد المغربي بنسبة 3.9% في 2027", RTL),
        (None, "«OCP» تعلن أرباحا قياسية", RTL),
        # Feeds often keep a CMS's default tag while writing Arabic: the text wins.
        ("en-US", "البنك المركزي يرفع سعر الفائدة", RTL),
        # An English headline quoting an Arabic name stays left to right.
        ("ar", "Morocco's central bank (بنك المغرب) raises rates", LTR),
        ("he", "שלום עולם", RTL),
        # No letters to go by: the tag decides, then left to right.
        ("ar", "2027 — 3.9%", RTL),
        (None, "2027 — 3.9%", LTR),
        # As many letters of each: the tag, else the first letter.
        ("ar", "abc أبج", RTL),
        (None, "أبج abc", RTL),
        # An item without a title goes by its summary, which is HTML: markup is no text.
        (
            "ar",
            '<p><a href="https://www.example.com/articles/2025/summit">قمة مراكش تبحث</a></p>',
            RTL,
        ),
        (None, "<p>Summit in Marrakech&nbsp;opens</p>", LTR),
    ],
)
def test_resolve_direction(language: str | None, text: str, expected: Direction) -> None:
    assert resolve_direction(AUTO, language, text) is expected


def test_configured_direction_wins() -> None:
    assert resolve_direction(LTR, "ar", "البنك المركزي") is LTR
    assert resolve_direction(RTL, "en", "Central bank") is RTL


def test_text_direction_counts_letters_not_digits_or_marks() -> None:
    assert text_direction("") is None
    assert text_direction("12 345 … «»") is None
    assert text_direction("BBC عربي") is RTL  # 3 Latin letters, 4 Arabic


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("ar", RTL), ("ar-MA", RTL), ("fa_IR", RTL), ("en-us", LTR), ("", AUTO), (None, AUTO)],
)
def test_direction_of_language(tag: str | None, expected: Direction) -> None:
    assert direction_of_language(tag) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("البنك المركزي يرفع سعر الفائدة إلى 3 في المائة", "ar"),
        ("IMF يتوقع نمو الاقتصاد المغربي بنسبة 3.9% في 2027", "ar"),
        ("بانک مرکزی نرخ بهره را افزایش داد و گزارش کرد", "fa"),
        ("اسٹیٹ بینک نے شرح سود میں اضافہ کر دیا ہے", "ur"),
        ("הבנק המרכזי העלה את הריבית היום", "he"),
        ("The central bank raised rates for the second time in a year", "en"),
        ("La banque centrale relève ses taux pour la deuxième fois dans l'année", "fr"),
        ("El banco central sube los tipos por segunda vez en el año", "es"),
        ("Die Zentralbank erhöht den Leitzins und die Inflation sinkt nicht", "de"),
        ("Kestrel", None),  # too little to go by
        ("2027 — 3.9%", None),
        ("أخبار", None),
    ],
)
def test_language_of_text(text: str, expected: str | None) -> None:
    assert language_of_text(text) == expected
