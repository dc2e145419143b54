"""UAX #9, the Unicode Bidirectional Algorithm, for one paragraph shown on several lines.

Levels are resolved once on the whole paragraph (:func:`resolve_paragraph`); each line is then
reordered on its own (:meth:`BidiParagraph.reorder_line`, rules L1-L4). Nothing here knows about
widths, shaping or styles.

Levels come from one of two resolvers, chosen per paragraph:

* our own implementation of the implicit rules (W1-W7, N0-N2, I1-I2) for paragraphs without
  embeddings or overrides, where isolates are allowed if they are matched and not nested. That
  covers news text (and the isolates we put around URLs), and works on a string of one-letter
  class codes with regular expressions, which is much faster than a loop per character.
* python-bidi (the Rust ``unicode-bidi`` crate) for everything else. It has no API for levels, so
  they are read from its debug dump; :class:`BidiDumpError` says loudly when that format changes.

Both pass the whole BidiCharacterTest.txt of Unicode 15.0 (see tests/unit/text).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Literal

from bidi import get_display

from tuireader.text._unicode_tables import MIRRORING, OPENING_BRACKETS
from tuireader.text.clusters import reverse_clusters

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
_ISOLATE_CODES = re.compile("[6-9]")


def _first_strong_level(classes: str) -> int | None:
    """Level given by the first strong character outside isolates (P2, P3), None if none."""
    if not _ISOLATE_CODES.search(classes):
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
    return _first_strong_level(classes) or 0


def paragraph_direction(text: str) -> Literal["rtl", "ltr"]:
    """Direction of ``text`` by its first strong character (UAX #9 P2/P3); "ltr" if none."""
    return "rtl" if _first_strong_level(bidi_classes(text)) == 1 else "ltr"


# --- implicit rules on one isolating run sequence (W1-I2) -----------------------------------

_NSM_RUN = re.compile("m+")
_AFTER_AL = re.compile("A[^LRAE]*E[^LRA]*")  # an AL followed by a European number
_AFTER_L = re.compile("L[^LRE]*E[^LR]*")
_STRONG_LR = re.compile("[LR]")
_W4_EN = re.compile("(?<=E)[sc](?=E)")
_W4_AN = re.compile("(?<=N)c(?=N)")
_W5_ET = re.compile("t+(?=E)|(?<=E)t+")
_W6 = str.maketrans("stc6789", "ooooooo")
_NEUTRALS = re.compile("[BSwo]+")
# The common case of N1 without a callback: one neutral between two letters of one direction.
_ONE_NEUTRAL_IN_R = re.compile("(?<=[RNE])[BSwo](?=[RNE])")
_ONE_NEUTRAL_IN_L = re.compile("(?<=L)[BSwo](?=L)")

_CANONICAL_BRACKET = {0x2329: 0x3008, 0x232A: 0x3009}
_CLOSING_OF = {
    _CANONICAL_BRACKET.get(o, o): _CANONICAL_BRACKET.get(c, c) for o, c in OPENING_BRACKETS.items()
}
_CLOSING = frozenset(_CLOSING_OF.values())
_BRACKET_CHARS = re.compile(
    "[" + "".join(re.escape(chr(cp)) for pair in OPENING_BRACKETS.items() for cp in pair) + "]"
)


@cache
def _implicit_levels_table(level: int) -> bytes:
    """bytes.translate table from final class code to level (I1, I2)."""
    table = bytearray(256)
    odd = level & 1
    table[ord("L")] = level + odd
    table[ord("R")] = level + 1 - odd
    table[ord("E")] = table[ord("N")] = level + 2 - odd
    return bytes(table)


def _resolve_nsm(classes: str, sos: str) -> str:
    """W1: a nonspacing mark takes the class of what precedes it (ON after isolate controls)."""

    def previous(match: re.Match[str]) -> str:
        start = match.start()
        before = classes[start - 1] if start else sos
        return ("o" if before in "6789" else before) * (match.end() - start)

    return _NSM_RUN.sub(previous, classes)


def _resolve_weak(classes: str, sos: str) -> str:
    """W1-W7 on the class string of one isolating run sequence."""
    if "m" in classes:
        classes = _resolve_nsm(classes, sos)
    if "E" in classes and "A" in classes:  # W2
        classes = _AFTER_AL.sub(lambda m: m.group().replace("E", "N"), classes)
    classes = classes.replace("A", "R")  # W3
    if "s" in classes or "c" in classes:  # W4
        classes = _W4_AN.sub("N", _W4_EN.sub("E", classes))
    if "t" in classes:  # W5
        classes = _W5_ET.sub(lambda m: "E" * len(m.group()), classes)
    classes = classes.translate(_W6)  # W6, and isolate controls are neutral from here on
    if "E" in classes:  # W7
        first = _STRONG_LR.search(classes)
        if sos == "L":
            cut = first.start() if first else len(classes)
            classes = classes[:cut].replace("E", "L") + classes[cut:]
        classes = _AFTER_L.sub(lambda m: m.group().replace("E", "L"), classes)
    return classes


def _bracket_pairs(text: str, classes: str) -> list[tuple[int, int]]:
    """BD16: paired brackets of the sequence, sorted by the opening bracket."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[int, int]] = []  # (closing code point, position of the opening)
    for found in _BRACKET_CHARS.finditer(text):
        pos = found.start()
        if classes[pos] != "o":
            continue
        cp = ord(text[pos])
        cp = _CANONICAL_BRACKET.get(cp, cp)
        if cp in _CLOSING_OF:
            if len(stack) == 63:
                break
            stack.append((_CLOSING_OF[cp], pos))
        elif cp in _CLOSING:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == cp:
                    pairs.append((stack[depth][1], pos))
                    del stack[depth:]
                    break
    pairs.sort()
    return pairs


def _has_direction(classes: str, direction: str) -> bool:
    if direction == "L":
        return "L" in classes
    return "R" in classes or "E" in classes or "N" in classes


def _resolve_brackets(text: str, classes: str, original: str, embedding: str) -> str:
    """N0: paired brackets take the embedding direction or, failing that, their context."""
    pairs = _bracket_pairs(text, classes)
    if not pairs:
        return classes
    opposite = "L" if embedding == "R" else "R"
    out = list(classes)
    for opening, closing in pairs:
        inside = "".join(out[opening + 1 : closing])
        if _has_direction(inside, embedding):
            new = embedding
        elif _has_direction(inside, opposite):
            context = embedding  # sos
            for code in reversed(out[:opening]):
                if code in "LREN":
                    context = "L" if code == "L" else "R"
                    break
            new = opposite if context == opposite else embedding
        else:
            continue
        for pos in (opening, closing):
            out[pos] = new
            pos += 1
            while pos < len(out) and original[pos] == "m":
                out[pos] = new
                pos += 1
    return "".join(out)


def _resolve_sequence(text: str, classes: str, level: int) -> bytes:
    """Levels of one isolating run sequence at ``level`` whose sos and eos follow ``level``."""
    direction = "R" if level & 1 else "L"
    original = classes
    classes = _resolve_weak(classes, direction)
    if _BRACKET_CHARS.search(text):
        classes = _resolve_brackets(text, classes, original, direction)

    def fill(match: re.Match[str]) -> str:  # N1, N2; numbers count as R
        start, end = match.span()
        before = direction if start == 0 else ("L" if classes[start - 1] == "L" else "R")
        after = direction if end == len(classes) else ("L" if classes[end] == "L" else "R")
        return (before if before == after else direction) * (end - start)

    classes = _ONE_NEUTRAL_IN_L.sub("L", _ONE_NEUTRAL_IN_R.sub("R", classes))
    classes = _NEUTRALS.sub(fill, classes)
    return classes.encode("ascii").translate(_implicit_levels_table(level))


# --- the whole paragraph ----------------------------------------------------------------------

_EMBEDDINGS = re.compile("[1-5]")
_SIMPLE_ISOLATES = re.compile("[^6-9]*(?:[678][^6-9]*9[^6-9]*)*")


def _isolate_level(code: str, classes: str, level: int) -> int:
    if code == "8":  # FSI: direction of the content (P2/P3)
        code = "7" if _first_strong_level(classes) == 1 else "6"
    if code == "6":
        return level + 2 - (level & 1)  # least greater even
    return level + 1 + (level & 1)  # least greater odd


_ISOLATE_SPAN = re.compile("[678][^6-9]*9")
_BN_RUN = re.compile("b+")


def _resolve_isolates(text: str, classes: str, level: int) -> bytes | None:
    """Levels of a paragraph whose isolates, if any, are matched and not nested (else None).

    The paragraph outside the isolates is one isolating run sequence (each initiator and its
    PDI count there as neutrals); the content of each isolate is another, one level up.
    """
    if not _ISOLATE_CODES.search(classes):
        return _resolve_sequence(text, classes, level)
    if _SIMPLE_ISOLATES.fullmatch(classes) is None:
        return None
    contents = [(m.start() + 1, m.end() - 1) for m in _ISOLATE_SPAN.finditer(classes)]
    outside = [(0, contents[0][0])]
    outside += [(end, start) for (_, end), (start, _) in itertools.pairwise(contents)]
    outside.append((contents[-1][1], len(text)))
    outer = _resolve_sequence(
        "".join(text[start:end] for start, end in outside),
        "".join(classes[start:end] for start, end in outside),
        level,
    )
    levels = bytearray()
    done = 0  # levels of ``outer`` used so far
    for (out_start, out_end), (start, end) in zip(outside, contents, strict=False):
        levels += outer[done : done + out_end - out_start]
        done += out_end - out_start
        if end > start:
            inner_level = _isolate_level(classes[start - 1], classes[start:end], level)
            levels += _resolve_sequence(text[start:end], classes[start:end], inner_level)
    levels += outer[done:]
    return bytes(levels)


def _resolve_fast(text: str, classes: str, level: int) -> bytes | None:
    """Levels by our own rules, or None when the paragraph needs the explicit rules (X1-X8)."""
    if _EMBEDDINGS.search(classes):
        return None
    if "b" not in classes:
        return _resolve_isolates(text, classes, level)
    removed = [m.span() for m in _BN_RUN.finditer(classes)]  # X9
    kept = [(end, start) for (_, end), (start, _) in itertools.pairwise([(0, 0), *removed])]
    kept.append((removed[-1][1], len(text)))
    kept_levels = _resolve_isolates(
        "".join(text[start:end] for start, end in kept),
        "".join(classes[start:end] for start, end in kept),
        level,
    )
    if kept_levels is None:
        return None
    levels = bytearray()
    done = 0
    for (start, end), (bn_start, bn_end) in zip(kept, removed, strict=False):
        levels += kept_levels[done : done + end - start]
        done += end - start
        # characters removed by X9 take the level of what precedes them
        levels += bytes([levels[-1] if levels else level]) * (bn_end - bn_start)
    levels += kept_levels[done:]
    return bytes(levels)


class BidiDumpError(RuntimeError):
    """python-bidi's debug dump no longer has the format we parse (pinned: 0.6.12)."""


_START_BYTE = bytes(0 if (b & 0xC0) == 0x80 else 1 for b in range(256))
_DIGITS = re.compile(r"\d+")
_SURROGATES = re.compile("[\ud800-\udfff]")


def _resolve_with_python_bidi(text: str, level: int) -> bytes:
    """Levels from python-bidi's ``get_display(debug=True)`` dump (one level per UTF-8 byte)."""
    text = _SURROGATES.sub("\ufffd", text)
    dump = get_display(text, base_dir="R" if level else "L", debug=True)
    if not isinstance(dump, str):
        raise BidiDumpError(f"python-bidi returned {type(dump).__name__}, not a debug string")
    start = dump.find("\n    levels: [\n")
    end = dump.find("\n    ],\n", start + 1)
    if start < 0 or end < 0:
        raise BidiDumpError("no 'levels: [' block in python-bidi's debug dump")
    per_byte = _DIGITS.findall(dump, start, end)
    encoded = text.encode("utf-8")
    if len(per_byte) != len(encoded):
        raise BidiDumpError(f"{len(per_byte)} levels in the dump for {len(encoded)} bytes")
    return bytes(int(v) for v in itertools.compress(per_byte, encoded.translate(_START_BYTE)))


# --- per line (L1-L4) -----------------------------------------------------------------------

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
        fast = _resolve_fast(text, classes, level)
        levels = fast if fast is not None else _resolve_with_python_bidi(text, level)
    return BidiParagraph(text, level, classes, levels)


def mirror(text: str) -> str:
    """``text`` with each character replaced by its Bidi_Mirroring_Glyph, if any (L4)."""
    return text.translate(MIRRORING)
