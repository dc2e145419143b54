"""Bidi classes of characters and the direction of a paragraph (UAX #9 P2, P3).

Classes are written one letter per character (see ``_CODE_OF_CLASS``) so that the rules can be
regular expressions over a class string.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

BaseDir = Literal["auto", "ltr", "rtl"]

# One letter per Bidi_Class, so that rules can be regular expressions over a class string.
_CODE_OF_CLASS = {
    "L": "L",
    "R": "R",
    "AL": "A",
    "EN": "E",
    "ES": "s",
    "ET": "t",
    "AN": "N",
    "CS": "c",
    "NSM": "m",
    "BN": "b",
    "B": "B",
    "S": "S",
    "WS": "w",
    "ON": "o",
    "LRE": "1",
    "RLE": "2",
    "LRO": "3",
    "RLO": "4",
    "PDF": "5",
    "LRI": "6",
    "RLI": "7",
    "FSI": "8",
    "PDI": "9",
}

# Bidi_Class of unassigned code points (DerivedBidiClass.txt @missing lines), so that text from
# a newer Unicode than Python's still lands in the right direction.
_MISSING_R = (
    (0x0590, 0x05FF),
    (0x07C0, 0x085F),
    (0xFB1D, 0xFB4F),
    (0x10800, 0x10CFF),
    (0x10D40, 0x10EBF),
    (0x10F00, 0x10F2F),
    (0x10F70, 0x10FFF),
    (0x1E800, 0x1EC6F),
    (0x1ECC0, 0x1ECFF),
    (0x1ED50, 0x1EDFF),
    (0x1EF00, 0x1EFFF),
)
_MISSING_AL = (
    (0x0600, 0x07BF),
    (0x0860, 0x08FF),
    (0xFB50, 0xFDCF),
    (0xFDF0, 0xFDFF),
    (0xFE70, 0xFEFF),
    (0x10D00, 0x10D3F),
    (0x10EC0, 0x10EFF),
    (0x10F30, 0x10F6F),
    (0x1EC70, 0x1ECBF),
    (0x1ED00, 0x1ED4F),
    (0x1EE00, 0x1EEFF),
)
_MISSING_BN = ((0x2060, 0x206F), (0xFDD0, 0xFDEF), (0xFFF0, 0xFFF8), (0xE0000, 0xE0FFF))


def _bidi_class(cp: int) -> str:
    name = unicodedata.bidirectional(chr(cp))
    if name:
        return name
    for ranges, default in ((_MISSING_R, "R"), (_MISSING_AL, "AL"), (_MISSING_BN, "BN")):
        if any(lo <= cp <= hi for lo, hi in ranges):
            return default
    if (cp & 0xFFFE) == 0xFFFE:  # noncharacters
        return "BN"
    return "ET" if 0x20A0 <= cp <= 0x20CF else "L"


class _ClassCodes(dict[int, str]):
    """A ``str.translate`` table from code point to class code, filled on first use."""

    def __missing__(self, cp: int) -> str:
        code = _CODE_OF_CLASS[_bidi_class(cp)]
        self[cp] = code
        return code


_CLASS_CODES = _ClassCodes()


def bidi_classes(text: str) -> str:
    """Return one class code per character of ``text`` (see ``_CODE_OF_CLASS``)."""
    return text.translate(_CLASS_CODES)


# --- paragraph direction (P2, P3) -----------------------------------------------------------

_FIRST_STRONG = re.compile("[LRA]")
ISOLATE_CODES = re.compile("[6-9]")


def first_strong_level(classes: str) -> int | None:
    """Level given by the first strong character outside isolates (P2, P3), None if none."""
    if not ISOLATE_CODES.search(classes):
        found = _FIRST_STRONG.search(classes)
        return None if found is None else int(found.group() != "L")
    depth = 0
    for code in classes:
        if code in "678":
            depth += 1
        elif code == "9":
            depth = max(depth - 1, 0)
        elif depth == 0 and code in "LRA":
            return int(code != "L")
    return None


def paragraph_level(classes: str, base_dir: BaseDir = "auto") -> int:
    """Paragraph embedding level: 0 or 1, from ``base_dir`` or rules P2/P3 (default LTR)."""
    if base_dir == "ltr":
        return 0
    if base_dir == "rtl":
        return 1
    if base_dir != "auto":
        raise ValueError(f"base_dir must be 'auto', 'ltr' or 'rtl', not {base_dir!r}")
    return first_strong_level(classes) or 0


def paragraph_direction(text: str) -> Literal["rtl", "ltr"]:
    """Direction of ``text`` by its first strong character (UAX #9 P2/P3); "ltr" if none."""
    return "rtl" if first_strong_level(bidi_classes(text)) == 1 else "ltr"
