"""A one-line text input that shows right-to-left text in visual order.

Textual's ``Input`` writes its value in logical order, which a terminal without bidi shows
backwards. In the app's own bidi mode this input lays its value out with the text engine
instead (reordered, letters joined when shaping is on), with the cursor and the selection
carried through the reordering as styles. Editing is unchanged: the value, the cursor
position and every key work on the logical text.
"""

from __future__ import annotations

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

    def set_modes(self, bidi: str, shape: bool) -> None:
        self.bidi, self.shape = bidi, shape
        self.refresh()

    def render_line(self, y: int) -> Strip:
        value = self.value
        if y != 0 or not self._needs_layout(value):
            return super().render_line(y)
        width = self.scrollable_content_region.width
        text, cursor_cells, direction = self._visual(value)
        strip = Strip(self.app.console.render(text, self.app.console_options.update_width(_WIDE)))
        cells = strip.cell_length
        if cells <= width:
            # A right-to-left value hugs the right edge, as it reads.
            pad = width - cells if direction == "rtl" else 0
            strip = Strip.join([Strip.blank(pad, self.rich_style), strip]) if pad else strip
        else:  # a long value: the part around the cursor
            start = min(max(cursor_cells - width // 2, 0), cells - width)
            strip = strip.crop(start, start + width)
        return strip.extend_cell_length(width + 1).apply_style(self.rich_style)

    def _needs_layout(self, value: str) -> bool:
        """Only in the app's bidi mode, and only for a value with right-to-left letters that
        the layout can take whole (a sanitized single line)."""
        if self.bidi != "app" or self.password or not value:
            return False
        classes = bidi_classes(value)
        has_rtl = "R" in classes or "A" in classes
        return has_rtl and sanitize_text(value) == value and "\n" not in value

    def _visual(self, value: str) -> tuple[Text, int, str]:
        """The value in visual order, styled, with the cell where the cursor is and the
        paragraph's direction. A space after the value holds the cursor at its end."""
        spans = []
        if self.has_focus:
            start, end = sorted(self.selection)
            if start != end:
                spans.append(Span(start, end, "selection"))
            if self._cursor_visible:
                spans.append(Span(self.cursor_position, self.cursor_position + 1, "cursor"))
        layout = ParagraphLayout.for_mode(
            value + " ", bidi="app", shape="on" if self.shape else "off", spans=spans
        )
        [line] = layout.lines(_WIDE, align=False)
        styles = {
            "cursor": self.get_component_rich_style("input--cursor"),
            "selection": self.get_component_rich_style("input--selection"),
        }
        text = Text(no_wrap=True, overflow="ignore", end="")
        cursor_cells = 0
        for segment in line.segments:
            if "cursor" in segment.styles:
                cursor_cells = cell_len(text.plain)
            named = [styles[name] for name in sorted(segment.styles) if name in styles]
            style = Style.combine([Style.null(), *named])
            text.append(segment.text, style)
        return text, cursor_cells, layout.direction
