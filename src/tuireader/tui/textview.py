"""From the text engine's visual lines to Rich segments and Textual strips."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tuireader.core.reading import ReadingLine
from tuireader.text import ParagraphLayout, one_line

_WIDE = 100_000  # a width no message reaches: one logical line


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

    def direction(self, text: str, base_dir: str = "auto") -> str:
        return _prepared(text, self.bidi, self.shape_mode, base_dir).direction

    def lines(self, text: str, width: int) -> list[str]:
        """Visual lines of one paragraph, aligned and padded to ``width`` (left in off mode)."""
        return _prepared(text, self.bidi, self.shape_mode, "auto").aligned_lines(max(width, 1))

    def one_line(self, text: str, width: int, base_dir: str = "auto") -> str:
        """``text`` on one line of at most ``width`` cells, cut at its logical end with "…"."""
        return one_line(
            text, max(width, 1), bidi=self.bidi, shape=self.shape_mode, base_dir=base_dir
        )

    def aligned(self, text: str, width: int, style: Style, base_dir: str = "auto") -> list[Segment]:
        """One line of ``text``: right-aligned when it reads right to left (not in off mode).
        ``base_dir`` is the article's direction where the text is part of an article."""
        visual = self.one_line(text, width, base_dir)
        pad = " " * max(width - cell_len(visual), 0)
        rtl = self.bidi != "off" and self.direction(text, base_dir) == "rtl"
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
def _prepared(text: str, bidi: str, shape: str, base_dir: str) -> ParagraphLayout:
    return ParagraphLayout.for_mode(text, bidi=bidi, shape=shape, base_dir=base_dir)  # type: ignore[arg-type]


def reading_strips(
    lines: list[ReadingLine], styles: Callable[[frozenset[str]], Style]
) -> list[Strip]:
    """Rich strips for laid-out reading lines."""
    return [
        Strip([Segment(segment.text, styles(segment.styles)) for segment in line.segments])
        for line in lines
    ]
