"""Greedy line breaking in logical order, by terminal cells."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len

from tuireader.text.clusters import CLUSTER


def word_widths(text: str) -> list[int]:
    """Cell width of each word of ``text.split(" ")``; they do not depend on the line width."""
    return [cell_len(word) for word in text.split(" ")]


def _split_word(word: str, start: int, width: int) -> tuple[list[tuple[int, int]], int, int]:
    """Hard-split a word wider than ``width`` between clusters (a mark stays with its base).

    Returns the full lines, then the start and cell width of the last piece, which stays open.
    A cluster wider than ``width`` (a wide character at width 1) gets a line of its own.
    """
    lines: list[tuple[int, int]] = []
    piece_start, piece_width = start, 0
    for cluster in CLUSTER.finditer(word):
        cells = cell_len(cluster.group())
        if piece_width + cells > width and piece_width > 0:
            lines.append((piece_start, start + cluster.start()))
            piece_start, piece_width = start + cluster.start(), 0
        piece_width += cells
    return lines, piece_start, piece_width


def wrap_ranges(
    text: str, width: int, widths: Sequence[int] | None = None
) -> list[tuple[int, int]]:
    """Break one paragraph into lines of at most ``width`` cells: ``(start, end)`` offsets.

    Breaks are at U+0020 and the space at a break is dropped, so consecutive lines are separated
    by exactly one space, or by nothing where a word wider than ``width`` was hard-split. Such a
    word starts on a new line. Widths are measured on ``text`` as given: pass the text as it will
    be displayed (shaped); ``widths`` may give :func:`word_widths` of it, computed once. The only
    line that may exceed ``width`` holds one cluster that is wider by itself. An empty text gives
    one empty line.
    """
    if width < 1:
        raise ValueError(f"width must be at least 1, not {width}")
    if widths is None:
        widths = word_widths(text)
    lines: list[tuple[int, int]] = []
    line_start, line_width = 0, -1  # -1: nothing on the line yet, not even an empty word
    pos = 0
    for word_len, cells in zip(map(len, text.split(" ")), widths, strict=True):
        needed = line_width + 1 + cells
        if needed > width:
            if line_width >= 0:
                lines.append((line_start, pos - 1))  # drop the space at pos - 1
                line_start, needed = pos, cells
            if needed > width:
                full, line_start, needed = _split_word(text[pos : pos + word_len], pos, width)
                lines.extend(full)
        line_width = needed
        pos += word_len + 1
    lines.append((line_start, len(text)))
    return lines
