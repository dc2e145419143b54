"""The generated tables match the vendored Unicode files and this Python's unicodedata."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tuireader.text import _unicode_tables
from tuireader.text.bidi import bidi_classes, mirror
from tuireader.text.clusters import has_mark, is_mark

ROOT = Path(__file__).parents[3]
DATA = ROOT / "tests" / "data" / "bidi"


def ucd_rows(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            rows.append([field.strip() for field in line.split(";")])
    return rows


def test_mirroring_is_bidi_mirroring_txt() -> None:
    expected = {int(a, 16): int(b, 16) for a, b in ucd_rows("BidiMirroring-15.0.0.txt")}
    assert expected == _unicode_tables.MIRRORING
    assert mirror("(a)[b]{c}<d>«e»") == ")a(]b[}c{>d<»e«"


def test_brackets_are_bidi_brackets_txt() -> None:
    rows = ucd_rows("BidiBrackets-15.0.0.txt")
    expected = {int(a, 16): int(b, 16) for a, b, kind in rows if kind == "o"}
    assert expected == _unicode_tables.OPENING_BRACKETS
    assert len(rows) == 2 * len(expected)


def test_the_generated_module_is_up_to_date() -> None:
    generated = subprocess.run(
        [sys.executable, str(DATA / "make_unicode_tables.py")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", "t.py", "-"],
        input=generated,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = ROOT / "src" / "tuireader" / "text" / "_unicode_tables.py"
    assert formatted == module.read_text(encoding="utf-8")


def test_marks() -> None:
    assert is_mark("\u064e") and is_mark("\u0301") and is_mark("\u20dd") and is_mark("\u0903")
    assert is_mark("\U0001d167") and not is_mark("\U0001d400")
    assert not is_mark("a") and not is_mark("\u0627") and not is_mark("\u200d")
    assert has_mark("abc\u064e") and not has_mark("abc") and not has_mark("")


def test_classes_of_unassigned_code_points_follow_their_block() -> None:
    # U+08B5 is unassigned in Unicode 14 (Arabic Extended-A): AL. U+05FF: R. U+2065: BN.
    assert bidi_classes("\u08b5\u05ff\u2065\U000e0fff\ufdd0\u20c1\U0003fffd") == "ARbbbtL"
