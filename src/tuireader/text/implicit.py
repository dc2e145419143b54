"""Our resolver of UAX #9 levels for paragraphs without embeddings or overrides.

It implements the implicit rules (W1-W7, N0-N2, I1-I2) on isolating run sequences, and allows
isolates when they are matched and not nested: that covers news text and the isolates put
around links. Every rule works on a string of one-letter class codes (see bidi_classes) with
regular expressions, which is much faster than a loop per character.
"""

from __future__ import annotations

import itertools
import re
from functools import cache

from tuireader.text._unicode_tables import OPENING_BRACKETS
from tuireader.text.bidi_classes import ISOLATE_CODES, first_strong_level

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
        code = "7" if first_strong_level(classes) == 1 else "6"
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
    if not ISOLATE_CODES.search(classes):
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


def resolve_implicit(text: str, classes: str, level: int) -> bytes | None:
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
