"""Greedy line breaking in logical order, by terminal cells."""

from __future__ import annotations

from rich.cells import cell_len

from tuireader.text.clusters import CLUSTER


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


def wrap_ranges(text: str, width: int) -> list[tuple[int, int]]:
    """Break one paragraph into lines of at most ``width`` cells: ``(start, end)`` offsets.

    Breaks are at U+0020 and the space at a break is dropped, so consecutive lines are separated
    by exactly one space, or by nothing where a word wider than ``width`` was hard-split. Such a
    word starts on a new line. Widths are measured on ``text`` as given: pass the text as it will
    be displayed (shaped). The only line that may exceed ``width`` holds one cluster that is wider
    by itself. An empty text gives one empty line.
    """
    if width < 1:
        raise ValueError(f"width must be at least 1, not {width}")
    lines: list[tuple[int, int]] = []
    line_start, line_width = 0, 0
    pos = 0
    for word in text.split(" "):
        cells = cell_len(word)
        if pos == line_start:
            needed = cells
        else:
            needed = line_width + 1 + cells
            if needed > width:
                lines.append((line_start, pos - 1))  # drop the space at pos - 1
                line_start, needed = pos, cells
        if needed <= width:
            line_width = needed
        else:
            full, line_start, line_width = _split_word(word, pos, width)
            lines.extend(full)
        pos += len(word) + 1
    lines.append((line_start, len(text)))
    return lines
