"""Combining marks and the clusters they make with their base character."""

from __future__ import annotations

import re

from tuireader.text._unicode_tables import MARK_CLASS_ASTRAL, MARK_CLASS_BMP

# Two classes: one class (or an alternation) mixing both planes is five times slower per
# character, and astral characters are rare.
_MARK_BMP = re.compile(f"[{MARK_CLASS_BMP}]")
_MARK_ASTRAL = re.compile(f"[{MARK_CLASS_ASTRAL}]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# A character with the combining marks that follow it; a leading mark stands alone.
CLUSTER = re.compile(f".(?:[{MARK_CLASS_BMP}]|[{MARK_CLASS_ASTRAL}])*", re.DOTALL)


def has_mark(text: str) -> bool:
    """Whether ``text`` holds a combining mark (general category Mn, Me or Mc)."""
    if _MARK_BMP.search(text):
        return True
    return _ASTRAL.search(text) is not None and _MARK_ASTRAL.search(text) is not None


def is_mark(char: str) -> bool:
    """Whether the single character ``char`` is a combining mark."""
    return has_mark(char)


def reverse_clusters(text: str) -> str:
    """Reverse ``text`` but keep each combining mark after its base character."""
    if not has_mark(text):
        return text[::-1]
    return "".join(reversed(CLUSTER.findall(text)))
