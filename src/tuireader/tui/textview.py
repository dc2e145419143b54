"""From the text engine's visual lines to Rich segments and Textual strips."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tuireader.core.reading import ReadingLine
from tuireader.text import ParagraphLayout

ELLIPSIS = "…"
_WIDE = 100_000  # a width no title reaches: one logical line


class TextPainter:
    """Lays out untrusted text for the screen in the current bidi and shaping modes."""

    def __init__(self, bidi: str, shape: bool) -> None:
        self.bidi = bidi
        self.shape = shape

    @property
    def key(self) -> tuple[str, bool]:
        """Changes whenever the output would; part of every cache key."""
        return self.bidi, self.shape

    @property
    def shape_mode(self) -> str:
        return "on" if self.shape else "off"

    def set_modes(self, bidi: str, shape: bool) -> None:
        self.bidi = bidi
        self.shape = shape

    def direction(self, text: str) -> str:
        return _prepared(text, self.bidi, self.shape_mode).direction

    def lines(self, text: str, width: int) -> list[str]:
        """Visual lines of one paragraph, aligned and padded to ``width``."""
        layout = _prepared(text, self.bidi, self.shape_mode)
        if self.bidi == "off":
            return [line.text for line in layout.lines(max(width, 1), align=False)]
        return layout.aligned_lines(max(width, 1))

    def one_line(self, text: str, width: int) -> str:
        """``text`` on one line of at most ``width`` cells, cut at its logical end with "…"."""
        return _one_line(" ".join(text.split()), max(width, 1), self.bidi, self.shape_mode)

    def aligned(self, text: str, width: int, style: Style) -> list[Segment]:
        """One line of ``text``: right-aligned when it reads right to left (not in off mode)."""
        visual = self.one_line(text, width)
        pad = " " * max(width - cell_len(visual), 0)
        rtl = self.bidi != "off" and self.direction(text) == "rtl"
        return [Segment(pad + visual if rtl else visual + pad, style)]

    def aligned_text(self, text: str, width: int) -> str:
        """:meth:`aligned` as a plain string, for option lists."""
        return self.aligned(text, width, Style())[0].text

    def plain(self, text: str) -> str:
        """A short message as one visual line (for notifications)."""
        return self.one_line(text, _WIDE)

    def message_layout(self, text: str) -> Callable[[int], list[Strip]]:
        def lay_out(width: int) -> list[Strip]:
            return [Strip([Segment(line)]) for line in self.lines(text, width)]

        return lay_out


@lru_cache(maxsize=8192)
def _prepared(text: str, bidi: str, shape: str) -> ParagraphLayout:
    if bidi == "off":
        return ParagraphLayout(text, reorder=False)
    return ParagraphLayout.for_mode(text, bidi=bidi, shape=shape)  # type: ignore[arg-type]


@lru_cache(maxsize=8192)
def _one_line(text: str, width: int, bidi: str, shape: str) -> str:
    if not text:
        return ""
    whole = _prepared(text, bidi, shape).visual_lines(_WIDE)[0]
    if cell_len(whole) <= width:
        return whole
    # The longest logical prefix that fits with its ellipsis: the cut is at the logical end,
    # which is the left edge of a right-to-left title.
    low, high, best = 0, len(text), ELLIPSIS[:width]
    while low < high:
        middle = (low + high + 1) // 2
        prefix = text[:middle].rstrip() + ELLIPSIS
        visual = _prepared(prefix, bidi, shape).visual_lines(_WIDE)[0]
        if cell_len(visual) <= width:
            best, low = visual, middle
        else:
            high = middle - 1
    return best


def reading_strips(
    lines: list[ReadingLine], styles: Callable[[frozenset[str]], Style]
) -> list[Strip]:
    """Rich strips for laid-out reading lines."""
    return [
        Strip([Segment(segment.text, styles(segment.styles)) for segment in line.segments])
        for line in lines
    ]
