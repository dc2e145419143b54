"""A one-line text input that shows right-to-left text in visual order.

Textual's ``Input`` writes its value in logical order, which a terminal without bidi shows
backwards. In the app's own bidi mode this input lays its value out with the text engine
instead (reordered, letters joined when shaping is on) and keeps, for every character on
screen, the position in the text it stands for: the cursor and the selection are drawn
there, a click lands there, and a long value scrolls to keep the cursor in view. Editing is
unchanged: the value, the cursor position and every key work on the logical text.
"""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widgets import Input

from tuireader.text import ParagraphLayout, Span, sanitize_text
from tuireader.text.bidi_classes import bidi_classes

_WIDE = 100_000  # one line, however long the value


class BidiInput(Input):
    """An ``Input`` drawn in visual order when its value has right-to-left letters."""

    def __init__(self, *args: object, bidi: str = "app", shape: bool = False, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.bidi = bidi
        self.shape = shape
        self._pad = 0  # blank cells left of a right-aligned value, as last drawn
        self._start = 0  # the first cell of a long value in view, as last drawn

    def render_line(self, y: int) -> Strip:
        value = self.value
        if y != 0 or not self._laid_out(value):
            return super().render_line(y)
        width = self.scrollable_content_region.width
        chars, direction = visual_chars(value, self.shape)
        cursor = _cursor_cell(chars, self.cursor_position)
        cells = sum(cell_len(char) for char, _ in chars)
        self._pad = max(width - cells, 0) if direction == "rtl" else 0
        if cells <= width:
            self._start = 0
        elif cursor < self._start:
            self._start = cursor
        elif cursor >= self._start + width:
            self._start = cursor - width + 1
        self._start = min(self._start, max(cells - width, 0))
        text = self._styled(chars, cursor)
        strip = Strip(self.app.console.render(text, self.app.console_options.update_width(_WIDE)))
        strip = strip.crop(self._start, self._start + width)
        if self._pad:
            strip = Strip.join([Strip.blank(self._pad, self.rich_style), strip])
        return strip.extend_cell_length(width + 1).apply_style(self.rich_style)

    def _cell_offset_to_index(self, offset: int) -> int:
        """Where a click at cell ``offset`` of the box lands in the text."""
        value = self.value
        if not self._laid_out(value):
            return super()._cell_offset_to_index(offset)
        chars, direction = visual_chars(value, self.shape)
        x = offset - self._pad + self._start
        if x < 0:  # left of a right-aligned value: its logical end
            return len(value)
        for char, index in chars:
            x -= cell_len(char)
            if x < 0:
                return min(index, len(value))
        return 0 if direction == "rtl" else len(value)  # right of it: where it starts

    def _laid_out(self, value: str) -> bool:
        """Whether the value is drawn here: in the app's bidi mode, for a value with
        right-to-left letters that the layout can take whole (a sanitized single line)."""
        if self.bidi != "app" or self.password or not value:
            return False
        classes = bidi_classes(value)
        has_rtl = "R" in classes or "A" in classes
        return has_rtl and sanitize_text(value) == value and "\n" not in value

    def _styled(self, chars: tuple[tuple[str, int], ...], cursor: int) -> Text:
        start, end = sorted(self.selection)
        selection = self.get_component_rich_style("input--selection")
        cursor_style = self.get_component_rich_style("input--cursor")
        show_cursor = self.has_focus and self._cursor_visible
        text = Text(no_wrap=True, overflow="ignore", end="")
        cell = 0
        for char, index in chars:
            style = Style.null()
            if self.has_focus and start <= index < end:
                style += selection
            if show_cursor and cell == cursor:
                style += cursor_style
            text.append(char, style)
            cell += cell_len(char)
        return text


@lru_cache(maxsize=64)
def visual_chars(value: str, shape: bool) -> tuple[tuple[tuple[str, int], ...], str]:
    """The characters of ``value`` and a space after it (the cursor's place at the end) as
    they are drawn from left to right, each with the position in ``value`` it stands for,
    and the paragraph's direction. A joined lam-alef stands for its lam; a mark, for its
    letter."""
    text = value + " "
    spans = [Span(index, index + 1, str(index)) for index in range(len(text))]
    layout = ParagraphLayout.for_mode(text, bidi="app", shape="on" if shape else "off", spans=spans)
    [line] = layout.lines(_WIDE, align=False)
    chars: list[tuple[str, int]] = []
    for segment in line.segments:
        index = min((int(style) for style in segment.styles), default=len(value))
        chars.extend((char, index) for char in segment.text)
    return tuple(chars), layout.direction


def _cursor_cell(chars: tuple[tuple[str, int], ...], position: int) -> int:
    """The cell the cursor is drawn on: that of the character at ``position``, or of the
    one joined with it (the alef of a lam-alef)."""
    best_index, best_cell, cell = -1, 0, 0
    for char, index in chars:
        if best_index < index <= position:
            best_index, best_cell = index, cell
        cell += cell_len(char)
    return best_cell
