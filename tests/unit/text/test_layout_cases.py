"""Hand-checked layouts: each expected line was worked out from UAX #9 by hand.

Expected strings are visual: the cells from left to right as written to the terminal.
"""

from __future__ import annotations

import pytest

from tuireader.text import layout_paragraph, paragraph_direction

NEWS = "أعلنت شركة Apple يوم 2025-02-28 عن نتائج الربع الأول (Q1) بنسبة 12.5% ارتفاعاً."

CASES = [
    # dates and percentages in Arabic context: EN after AL becomes AN (W2), each group a run
    ("date-after-arabic", "يوم 2025-02-28 عن", 80, "auto", ["نع 28-02-2025 موي"]),
    ("percent-after-arabic", "بنسبة 12.5% ارتفاعا", 80, "auto", ["اعافترا %12.5 ةبسنب"]),
    ("arabic-indic-digits", "في ٢٠٢٥", 80, "auto", ["٢٠٢٥ يف"]),
    # after Hebrew (R, not AL) the date stays one European number
    ("date-after-hebrew", "בשנת 2025-02-28", 80, "auto", ["2025-02-28 תנשב"]),
    # Latin names and acronyms
    ("latin-name", "أعلنت شركة Apple اليوم", 80, "auto", ["مويلا Apple ةكرش تنلعأ"]),
    ("latin-with-number", "هاتف iPhone 15 Pro", 80, "auto", ["iPhone 15 Pro فتاه"]),
    ("latin-first-auto-is-ltr", "CNN: قال المتحدث", 80, "auto", ["CNN: ثدحتملا لاق"]),
    ("latin-first-forced-rtl", "CNN: قال المتحدث", 80, "rtl", ["ثدحتملا لاق :CNN"]),
    ("arabic-in-ltr", "The word سلام means peace", 80, "auto", ["The word مالس means peace"]),
    # brackets and guillemets, mirrored at odd levels (L4)
    ("brackets-mirrored", "قال المتحدث (CNN) إن", 80, "auto", ["نإ (CNN) ثدحتملا لاق"]),
    ("acronym-in-brackets", "الربع الأول (Q1)", 80, "auto", ["(Q1) لوألا عبرلا"]),
    ("guillemets", "قالت «الأمم المتحدة» إن", 80, "auto", ["نإ «ةدحتملا ممألا» تلاق"]),
    ("brackets-in-ltr", "a (ب) c", 80, "auto", ["a (ب) c"]),
    # harakat stay after their letter (L3 tailored)
    ("harakat", "مَرْحَبًا", 80, "auto", ["ابًحَرْمَ"]),
    (
        "hebrew-points",
        "\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd",
        80,
        "auto",
        ["\u05dd\u05d5\u05b9\u05dc\u05e9\u05b8\u05c1"],
    ),
    ("hard-split-keeps-marks", "مَرْحَبًا", 2, "auto", ["رْمَ", "بًحَ", "ا"]),
    # isolates are honoured, never emitted
    (
        "ltr-isolate-in-rtl",
        "قال \u2066Hello, World!\u2069 هنا",
        80,
        "auto",
        ["انه Hello, World! لاق"],
    ),
    (
        "rtl-isolate-in-ltr",
        "He said \u2067مرحبا بكم\u2069 today",
        80,
        "auto",
        ["He said مكب ابحرم today"],
    ),
    ("marks-dropped", "\u200fسلام\u200e", 80, "auto", ["مالس"]),
    # spoofing: RLO is read as RLE, so the file name keeps its logical order
    (
        "spoofed-file-name",
        "اسم الملف \u202egnp.exe\u202c مرفق",
        80,
        "auto",
        ["قفرم gnp.exe فلملا مسا"],
    ),
    ("spoofed-ltr", "Hello \u202eolleh\u202c world", 80, "auto", ["Hello olleh world"]),
    # links, addresses and handles are isolated
    (
        "url",
        "انظر https://example.com/news?id=5 الآن",
        80,
        "auto",
        ["نآلا https://example.com/news?id=5 رظنا"],
    ),
    (
        "email",
        "راسلنا على news@example.com اليوم",
        80,
        "auto",
        ["مويلا news@example.com ىلع انلسار"],
    ),
    ("handle", "تابعونا @aljazeera", 80, "auto", ["@aljazeera انوعبات"]),
    # Hebrew, trailing whitespace (L1), wide characters
    ("hebrew", "שלום עולם", 80, "auto", ["םלוע םולש"]),
    ("trailing-space-l1", "abc ", 80, "rtl", [" abc"]),
    ("wide-width-1", "中文", 1, "auto", ["中", "文"]),
    ("wide-width-2", "中文 ab", 2, "auto", ["中", "文", "ab"]),
    ("wide-width-3", "中中中 a", 3, "auto", ["中", "中", "中", "a"]),
    # a news paragraph wrapped at several widths
    (
        "news-30",
        NEWS,
        30,
        "auto",
        ["موي Apple ةكرش تنلعأ", "عبرلا جئاتن نع 28-02-2025", "%12.5 ةبسنب (Q1) لوألا", ".اًعافترا"],
    ),
    (
        "news-20",
        NEWS,
        20,
        "auto",
        ["موي Apple ةكرش تنلعأ", "جئاتن نع 28-02-2025", "(Q1) لوألا عبرلا", ".اًعافترا %12.5 ةبسنب"],
    ),
    (
        "news-80",
        NEWS,
        80,
        "auto",
        [".اًعافترا %12.5 ةبسنب (Q1) لوألا عبرلا جئاتن نع 28-02-2025 موي Apple ةكرش تنلعأ"],
    ),
]


@pytest.mark.parametrize(
    ("text", "width", "base_dir", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_layout(text: str, width: int, base_dir: str, expected: list[str]) -> None:
    assert layout_paragraph(text, width, base_dir=base_dir) == expected  # type: ignore[arg-type]


def test_lam_alef_with_shaping() -> None:
    # shaped: one ligature cell for lam + alef, contextual forms, then reversed
    assert layout_paragraph("لا", 80, shaping=True) == ["\ufefb"]
    shaped = layout_paragraph("الاجتماع", 80, shaping=True)
    assert shaped == ["\ufec9\ufe8e\ufee4\ufe98\ufe9f\ufefb\ufe8d"]


def test_shaping_comes_before_wrapping() -> None:
    text = "الاجتماع لا يزال مستمرا"  # 23 cells unshaped, 21 shaped
    assert len(layout_paragraph(text, 21, shaping=True)) == 1
    assert len(layout_paragraph(text, 21)) == 2


def test_paragraph_direction() -> None:
    assert paragraph_direction("قال (CNN)") == "rtl"
    assert paragraph_direction("CNN قال") == "ltr"
    assert paragraph_direction("2025 قال") == "rtl"
    assert paragraph_direction("\u2066CNN\u2069 قال") == "rtl"  # isolates are skipped (P2)
    assert paragraph_direction("123 ...") == "ltr"


def test_width_must_be_positive() -> None:
    with pytest.raises(ValueError, match="width"):
        layout_paragraph("abc", 0)


def test_base_dir_is_checked() -> None:
    with pytest.raises(ValueError, match="base_dir"):
        layout_paragraph("abc", 10, base_dir="up")  # type: ignore[arg-type]
