"""The reading pane: an article laid out by the text engine, one Strip per visual line."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

Layout = Callable[[int], list[Strip]]


class ArticleView(ScrollView, can_focus=True):
    """Shows pre-laid-out lines; lays them out again whenever the width changes.

    The lines are visual (already reordered), so this widget must never wrap them itself.
    """

    BINDINGS = [
        Binding("j,down", "scroll_lines(1)", "Down", show=False),
        Binding("k,up", "scroll_lines(-1)", "Up", show=False),
        Binding("space,pagedown", "scroll_pages(1)", "Page down", show=False),
        Binding("b,pageup", "scroll_pages(-1)", "Page up", show=False),
        Binding("g,home", "scroll_home", "Top", show=False),
        Binding("G,end", "scroll_end", "Bottom", show=False),
    ]
    DEFAULT_CSS = """
    ArticleView { height: 1fr; padding: 0 1; scrollbar-gutter: stable; overflow-x: hidden; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self._layout: Layout | None = None
        self._lines: list[Strip] = []
        self._width = 0

    def show(self, layout: Layout | None) -> None:
        """Show what ``layout(width)`` returns, from the top."""
        self._layout = layout
        self._width = 0
        self._relayout()
        self.scroll_to(y=0, animate=False)

    def relayout(self) -> None:
        """Lay out again at the current width (after a mode change)."""
        self._width = 0
        self._relayout()

    @property
    def text(self) -> str:
        """What is on the pane, as plain text (for tests)."""
        return "\n".join(strip.text.rstrip() for strip in self._lines)

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or (width == self._width and self._lines):
            return
        self._width = width
        self._lines = self._layout(width) if self._layout is not None else []
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def on_resize(self) -> None:
        self._relayout()

    def action_scroll_lines(self, step: int) -> None:
        self.scroll_to(y=self.scroll_y + step, animate=False)

    def action_scroll_pages(self, step: int) -> None:
        page = max(self.scrollable_content_region.height - 1, 1)
        self.scroll_to(y=self.scroll_y + step * page, animate=False)

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if width != self._width:
            # Arranged but not yet told of its size (the first frame of a screen): lay out
            # now rather than paint an empty pane until the Resize event arrives.
            self._relayout()
        if 0 <= index < len(self._lines):
            line = self._lines[index].apply_style(self.rich_style)
            return line.adjust_cell_length(width, self.rich_style)
        return Strip.blank(width, self.rich_style)
