"""The article list: a line-API widget that pages rows from SQLite as they scroll into view."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tuireader.core.models import ArticleRow
from tuireader.core.reading import base_dir_in_article
from tuireader.tui.textview import TextPainter

PAGE = 200
PAGES_KEPT = 64


class RowSource:
    """Rows of a list, fetched a page at a time and cached."""

    def __init__(self, count: int, fetch_page: Callable[[int, int], Sequence[ArticleRow]]) -> None:
        self.count = count
        self._fetch_page = fetch_page
        # Pages in least-recently-used order (Textual's LRUCache never overwrites a key, and
        # a changed row must replace its old self).
        self._pages: OrderedDict[int, list[ArticleRow]] = OrderedDict()

    def row(self, index: int) -> ArticleRow | None:
        if not 0 <= index < self.count:
            return None
        page = index // PAGE
        rows = self._pages.get(page)
        if rows is None:
            rows = self._pages[page] = list(self._fetch_page(page * PAGE, PAGE))
            if len(self._pages) > PAGES_KEPT:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        offset = index - page * PAGE
        return rows[offset] if offset < len(rows) else None

    def replace(self, row: ArticleRow) -> None:
        """Swap in a changed row (read or starred) without a query."""
        for rows in self._pages.values():
            for position, old in enumerate(rows):
                if old.id == row.id:
                    rows[position] = row


@dataclass(frozen=True, slots=True)
class RowLook:
    """Styles of the list's parts, from the component classes."""

    unread: Style
    read: Style
    meta: Style
    cursor: Style
    star: Style


class ArticleList(ScrollView, can_focus=True):
    """Articles, one per line: unread and star marks, the title laid out by the text engine,
    the source and a relative time. Only visible rows are read from the database."""

    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False),
        Binding("k,up", "cursor(-1)", "Up", show=False),
        Binding("g,home", "first", "Top", show=False),
        Binding("G,end", "last", "Bottom", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("enter", "select", "Read", show=False),
    ]
    COMPONENT_CLASSES = {
        "article-list--unread",
        "article-list--read",
        "article-list--meta",
        "article-list--cursor",
        "article-list--star",
    }
    DEFAULT_CSS = """
    ArticleList { height: 1fr; scrollbar-gutter: stable; overflow-x: hidden; }
    ArticleList > .article-list--unread { text-style: bold; }
    ArticleList > .article-list--read { color: $text-muted; }
    ArticleList > .article-list--meta { color: $text-muted; }
    ArticleList > .article-list--cursor { background: $block-cursor-blurred-background; }
    ArticleList:focus > .article-list--cursor { background: $block-cursor-background; }
    ArticleList > .article-list--star { color: $warning; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        """The cursor moved to an article."""

        def __init__(self, row: ArticleRow) -> None:
            self.row = row
            super().__init__()

    class Selected(Message):
        """An article was opened (Enter or click)."""

        def __init__(self, row: ArticleRow) -> None:
            self.row = row
            super().__init__()

    def __init__(
        self,
        painter: TextPainter,
        relative_time: Callable[[datetime], str],
        *,
        mirrored: bool = False,
        id: str | None = None,  # noqa: A002 (Textual's name)
    ) -> None:
        super().__init__(id=id)
        self._mirrored = mirrored
        self._painter = painter
        self._relative_time = relative_time
        self._source = RowSource(0, lambda _o, _l: [])
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(1000)

    # --- data ----------------------------------------------------------------------------------

    def show(self, source: RowSource, *, cursor: int | None = None) -> None:
        """Show a new list of rows, the cursor at ``cursor`` (the top when None)."""
        self._source = source
        self._strips.clear()
        self.virtual_size = Size(self.size.width, source.count)
        if cursor is None:
            self.scroll_to(y=0, animate=False)
        self.cursor = min(cursor or 0, max(source.count - 1, 0))
        self.refresh()

    def row(self, index: int) -> ArticleRow | None:
        """The row at ``index`` (read from the database as needed)."""
        return self._source.row(index)

    @property
    def count(self) -> int:
        return self._source.count

    @property
    def current(self) -> ArticleRow | None:
        return self._source.row(self.cursor)

    def update_row(self, row: ArticleRow) -> None:
        self._source.replace(row)
        self._strips.clear()
        self.refresh()

    def repaint(self) -> None:
        """Lay out every visible row again (after a mode or size change)."""
        self._strips.clear()
        self.refresh()

    # --- actions -------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self._source.count - 1)) if self._source.count else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True)
        self.refresh()
        row = self.current
        if row is not None:
            self.post_message(self.Highlighted(row))

    def action_cursor(self, step: int) -> None:
        self.cursor += step

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self._source.count - 1

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(self.scrollable_content_region.height - 1, 1)

    def action_select(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Selected(row))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and int(self.scroll_offset.y) + offset.y < self._source.count:
            self.cursor = int(self.scroll_offset.y) + offset.y
            self.action_select()

    def on_resize(self) -> None:
        # Painted rows are kept: their key holds the width (Textual sends a start-up screen
        # several resizes to the same size).
        self.virtual_size = Size(self.size.width, self._source.count)

    # --- painting ------------------------------------------------------------------------------

    def _look(self) -> RowLook:
        get = self.get_component_rich_style
        return RowLook(
            unread=get("article-list--unread"),
            read=get("article-list--read"),
            meta=get("article-list--meta"),
            cursor=get("article-list--cursor"),
            star=get("article-list--star"),
        )

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        row = self._source.row(index)
        if row is None:
            return Strip.blank(width, self.rich_style)
        selected = index == self.cursor
        key = (row.id, row.read, row.starred, width, selected, self.has_focus, self._painter.key)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._paint_row(row, width, selected)
            self._strips[key] = strip
        return strip

    def _paint_row(self, row: ArticleRow, width: int, selected: bool) -> Strip:
        look = self._look()
        base = self.rich_style + (look.cursor if selected else Style())
        source_width = 18 if width >= 70 else 0
        time_width = 14 if width >= 45 else 0
        title_width = max(width - 3 - source_width - time_width, 1)
        title_style = base + (look.read if row.read else look.unread)
        marks = [
            Segment("●" if not row.read else " ", base + look.unread),
            Segment("★" if row.starred else " ", base + look.star),
        ]
        columns: list[list[Segment]] = [
            [*marks, Segment(" ", base)],
            self._painter.aligned(
                row.title,
                title_width,
                title_style,
                base_dir_in_article(row.title, row.direction),
            ),
        ]
        if source_width:
            source = self._painter.one_line(row.feed_title, source_width - 2)
            gap = " " * (source_width - cell_len(source))
            # Two spaces between the title and its source, on whichever side the title is.
            text = gap[2:] + source + "  " if self._mirrored else "  " + source + gap[2:]
            columns.append([Segment(text, base + look.meta)])
        if time_width:
            when = self._painter.one_line(self._relative_time(row.published), time_width - 1)
            pad = " " * (time_width - cell_len(when))
            # A space between the border and the time when mirrored (the pad is never empty).
            text = " " + when + pad[1:] if self._mirrored else pad + when
            columns.append([Segment(text, base + look.meta)])
        if self._mirrored:  # marks on the right, time on the left
            columns = [list(reversed(columns[0])), *columns[1:]][::-1]
        return Strip([s for column in columns for s in column]).adjust_cell_length(width, base)
