"""Arabic shaping: arabic-reshaper's result, harakat kept, no ALLAH ligature, offsets kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tuireader.text.shaping import fast_reshape, reshape, shape_arabic, shaped_source_map

ARABIC_ALPHABET = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأؤإئةىـ"  # letters, hamza forms, tatweel
    "پچژگکیۀ"  # Persian
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0610"  # harakat
    "\u200c\u200d ab1٢.،()"
)
arabic_texts = st.text(alphabet=st.sampled_from(ARABIC_ALPHABET), max_size=40)
without_zwj = st.text(alphabet=st.sampled_from(ARABIC_ALPHABET.replace("\u200d", "")), max_size=40)


def test_lam_alef_is_one_cell_and_harakat_are_kept() -> None:
    assert reshape("الاجتماع") == "\ufe8d\ufefb\ufe9f\ufe98\ufee4\ufe8e\ufec9"
    assert cell_len("الاجتماع") == 8 and cell_len(reshape("الاجتماع")) == 7
    # fatha between lam and alef follows the ligature
    assert reshape("لَا") == "\ufefb\u064e"
    assert reshape("مَرْحَبًا") == "\ufee3\u064e\ufeae\u0652\ufea3\u064e\ufe92\u064b\ufe8e"


def test_no_allah_ligature_and_joiners_dropped() -> None:
    assert "\ufdf2" not in reshape("الله أكبر")
    assert reshape("الله") == "\ufe8d\ufedf\ufee0\ufeea"
    assert "\u200d" not in reshape("سل\u200dم") and "\u200c" not in reshape("می\u200cخواهم")
    # ZWNJ keeps the letters apart: Farsi yeh stays final (U+FBFD), kha initial
    assert reshape("می\u200cخواهم").startswith("\ufee3\ufbfd\ufea7")


@settings(max_examples=500, deadline=None)
@given(without_zwj)
def test_fast_reshape_is_arabic_reshaper(text: str) -> None:
    assert fast_reshape(text) == reshape(text)


def test_zwj_joins_and_disappears() -> None:
    assert fast_reshape("ب\u200d") == "\ufe91"  # initial beh, as arabic-reshaper gives
    assert fast_reshape("سل\u200dم") == reshape("سل\u200dم") == "\ufeb3\ufee0\ufee2"
    # arabic-reshaper moves the fatha after teh here, and raises IndexError on ZWJ + lam-alef
    assert fast_reshape("ب\u200d\u064eت") == "\ufe91\u064e\ufe96"
    assert fast_reshape("\u200dلآ") == "\ufef6"


@settings(max_examples=500, deadline=None)
@given(arabic_texts)
def test_word_by_word_shaping_is_whole_text_shaping(text: str) -> None:
    shaped = shape_arabic(text)
    assert shaped == fast_reshape(text)
    source = shaped_source_map(text)
    if source is None:
        assert len(shaped) == len(text)
        return
    assert len(source) == len(shaped) + 1 and source[-1] == len(text)
    assert source == sorted(source)
    for char, index in zip(shaped, source, strict=False):
        if char in "ab1٢.،() " or "\u064b" <= char <= "\u0670":
            assert text[index] == char  # unshaped characters and harakat map to themselves


def test_bad_configuration_file_in_the_environment_is_ignored(tmp_path: Path) -> None:
    ini = tmp_path / "reshaper.ini"
    ini.write_text("[ArabicReshaper]\ndelete_harakat = yes\nsupport_ligatures = no\n")
    code = "from tuireader.text.shaping import reshape; print(ascii(reshape('لَا')))"
    for value in ("/nonexistent/file.ini", str(ini)):
        env = {**os.environ, "PYTHON_ARABIC_RESHAPER_CONFIGURATION_FILE": value}
        env["PYTHONPATH"] = str(Path(__file__).parents[3] / "src")
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == ascii("\ufefb\u064e")
