"""From the text engine's visual lines to Rich segments and Textual strips."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tuireader.core.models import Article
from tuireader.text import layout_text, paragraph_direction

ELLIPSIS = "…"


class TextPainter:
    """Lays out untrusted text for the screen in the current bidi and shaping modes."""

    def __init__(self, bidi: str, shape: bool) -> None:
        self.bidi = bidi
        self.shape = shape

    @property
    def key(self) -> tuple[str, bool]:
        """Changes whenever the output would; part of every cache key."""
        return self.bidi, self.shape

    def set_modes(self, bidi: str, shape: bool) -> None:
        self.bidi = bidi
        self.shape = shape

    def lines(self, text: str, width: int) -> list[str]:
        """Visual lines of ``text`` aligned and padded to ``width``."""
        return _layout(text, max(width, 1), self.bidi, self.shape)

    def one_line(self, text: str, width: int) -> str:
        """``text`` on one line of at most ``width`` cells, cut at its logical end with "…"."""
        width = max(width, 1)
        text = " ".join(text.split())
        if not text:
            return ""
        lines = _layout(text, 10_000, self.bidi, self.shape)
        if cell_len(lines[0].strip()) <= width:
            return lines[0].strip()
        low, high = 0, len(text)
        best = ELLIPSIS
        while low < high:  # the longest logical prefix that fits with its ellipsis
            middle = (low + high + 1) // 2
            candidate = _layout(text[:middle].rstrip() + ELLIPSIS, 10_000, self.bidi, self.shape)
            visual = candidate[0].strip()
            if cell_len(visual) <= width:
                best, low = visual, middle
            else:
                high = middle - 1
        return best

    def aligned(self, text: str, width: int, style: Style) -> list[Segment]:
        """One line of ``text`` as segments: right-aligned when it reads right to left."""
        visual = self.one_line(text, width)
        pad = " " * max(width - cell_len(visual), 0)
        rtl = self.bidi != "off" and paragraph_direction(text) == "rtl"
        return [Segment(pad + visual if rtl else visual + pad, style)]

    def title_segments(self, text: str, width: int, style: Style) -> list[Segment]:
        return self.aligned(text, width, style)

    def plain(self, text: str) -> str:
        """A short message as one visual line (for notifications)."""
        return self.one_line(text, 10_000)

    def message_layout(self, text: str) -> Callable[[int], list[Strip]]:
        def lay_out(width: int) -> list[Strip]:
            return [Strip([Segment(line)]) for line in self.lines(text, width)]

        return lay_out

    def article_strips(self, article: Article, width: int) -> list[Strip]:
        from tuireader.tui.article_render import article_strips

        return article_strips(self, article, width)


@lru_cache(maxsize=4096)
def _layout(text: str, width: int, bidi: str, shape: bool) -> list[str]:
    return layout_text(text, width, bidi=bidi, shape="on" if shape else "off")
