"""UAX #9, the Unicode Bidirectional Algorithm, for one paragraph shown on several lines.

Levels are resolved once on the whole paragraph (:func:`resolve_paragraph`); each line is then
reordered on its own (:meth:`BidiParagraph.reorder_line`, rules L1-L4). Nothing here knows about
widths, shaping or styles.

Levels come from one of two resolvers, chosen per paragraph: our own (tuireader.text.implicit)
for paragraphs without embeddings or overrides, which is most text, and python-bidi
(tuireader.text.python_bidi) for the rest. Both pass the whole BidiCharacterTest.txt of
Unicode 15.0 (see tests/unit/text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tuireader.text._unicode_tables import MIRRORING
from tuireader.text.bidi_classes import (
    BaseDir,
    bidi_classes,
    paragraph_direction,
    paragraph_level,
)
from tuireader.text.clusters import reverse_clusters
from tuireader.text.implicit import resolve_implicit
from tuireader.text.python_bidi import BidiDumpError, python_bidi_levels

__all__ = [
    "BIDI_CONTROLS",
    "BaseDir",
    "BidiDumpError",
    "BidiParagraph",
    "bidi_classes",
    "mirror",
    "paragraph_direction",
    "paragraph_level",
    "resolve_paragraph",
    "strip_bidi_controls",
    "visual_piece",
]

_L1_TRAILING = re.compile("[wb1-9]+\\Z")
_L1_BEFORE_SEPARATOR = re.compile("[wb1-9]*[SB]")
_L1_RESET = frozenset("wb123456789SB")
_SAME_LEVEL = re.compile(rb"(.)\1*", re.DOTALL)
_REMOVED_BY_X9 = frozenset("b12345")

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_DROP_CONTROLS: dict[int, int | None] = dict.fromkeys(map(ord, BIDI_CONTROLS))
_MIRROR_AND_DROP: dict[int, int | None] = {**MIRRORING, **_DROP_CONTROLS}
# str.translate is slow on characters missing from its table: look for work first.
_HAS_CONTROL = re.compile("[" + re.escape(BIDI_CONTROLS) + "]")
_HAS_MIRRORED_OR_CONTROL = re.compile(
    "[" + re.escape(BIDI_CONTROLS + "".join(map(chr, MIRRORING))) + "]"
)


@dataclass(frozen=True, slots=True)
class BidiParagraph:
    """A paragraph with its resolved levels; lines are reordered from it without recomputing."""

    text: str
    base_level: int
    classes: str  # original class codes, one per character
    levels: bytes  # resolved levels (before L1), one per character

    def line_levels(self, start: int, end: int) -> bytes:
        """Levels of ``text[start:end]`` shown as one line: rule L1 applied."""
        levels = self.levels[start:end]
        classes = self.classes[start:end]
        if not classes or (
            classes[-1] not in _L1_RESET and "S" not in classes and "B" not in classes
        ):
            return levels
        out = bytearray(levels)
        base = self.base_level
        trailing = _L1_TRAILING.search(classes)
        if trailing:
            out[trailing.start() :] = bytes([base]) * (len(classes) - trailing.start())
        if "S" in classes or "B" in classes:
            for sep in _L1_BEFORE_SEPARATOR.finditer(classes):
                out[sep.start() : sep.end()] = bytes([base]) * (sep.end() - sep.start())
        return bytes(out)

    def visual_runs(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """Runs ``(start, end, level)`` of the line ``[start, end)`` from left to right (L1, L2).

        A run at an odd level is shown reversed.
        """
        levels = self.line_levels(start, end)
        if not levels:
            return []
        low, high = min(levels), max(levels)
        if low == high:
            return [(start, end, low)]
        runs = [
            (start + m.start(), start + m.end(), m.group()[0]) for m in _SAME_LEVEL.finditer(levels)
        ]
        for level in range(high, (low | 1) - 1, -1):
            i = 0
            while i < len(runs):
                if runs[i][2] < level:
                    i += 1
                    continue
                j = i
                while j < len(runs) and runs[j][2] >= level:
                    j += 1
                runs[i:j] = runs[i:j][::-1]
                i = j
        return runs

    def visual_order(self, start: int, end: int) -> list[int]:
        """Indices of the line's characters from left to right (L1, L2; X9-removed skipped)."""
        order: list[int] = []
        for run_start, run_end, level in self.visual_runs(start, end):
            indices = range(run_start, run_end)
            order.extend(reversed(indices) if level & 1 else indices)
        return [i for i in order if self.classes[i] not in _REMOVED_BY_X9]

    def reorder_line(self, start: int, end: int) -> str:
        """The line ``[start, end)`` as cells from left to right (L1-L4), without bidi controls."""
        text = self.text
        return "".join(
            visual_piece(text[run_start:run_end], level)
            for run_start, run_end, level in self.visual_runs(start, end)
        )


def visual_piece(text: str, level: int) -> str:
    """A run of characters at one ``level`` as shown: L3, L4, bidi controls dropped."""
    if level & 1:
        text = reverse_clusters(text)
        return text.translate(_MIRROR_AND_DROP) if _HAS_MIRRORED_OR_CONTROL.search(text) else text
    return text.translate(_DROP_CONTROLS) if _HAS_CONTROL.search(text) else text


def strip_bidi_controls(text: str) -> str:
    """``text`` without ALM, LRM, RLM, embeddings, overrides and isolates."""
    return text.translate(_DROP_CONTROLS) if _HAS_CONTROL.search(text) else text


_NOT_ONLY_LTR = re.compile("[RAN1-9]")


def resolve_paragraph(text: str, base_dir: BaseDir = "auto") -> BidiParagraph:
    """Resolve the embedding levels of one paragraph (UAX #9 P2-I2), honouring every control.

    ``text`` is one paragraph: it should hold no paragraph separator (class B).
    """
    classes = bidi_classes(text)
    level = paragraph_level(classes, base_dir)
    if level == 0 and not _NOT_ONLY_LTR.search(classes):
        levels = bytes(len(text))  # left-to-right only: everything stays at level 0
    else:
        fast = resolve_implicit(text, classes, level)
        levels = fast if fast is not None else python_bidi_levels(text, level)
    return BidiParagraph(text, level, classes, levels)


def mirror(text: str) -> str:
    """``text`` with each character replaced by its Bidi_Mirroring_Glyph, if any (L4)."""
    return text.translate(MIRRORING)
