"""The main screen: sections, articles with the reading pane, and the related sidebar."""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
import webbrowser
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Label, OptionList
from textual.widgets.option_list import Option

from tuireader.core.models import ArticleRow
from tuireader.core.store import ArticleQuery, Store
from tuireader.tui.app import TuiReader
from tuireader.tui.messages import FeedFailed, RefreshDone, RefreshProgress
from tuireader.tui.widgets.article_list import ArticleList, RowSource
from tuireader.tui.widgets.footer import ReaderFooter
from tuireader.tui.widgets.lists import ResizingOptionList
from tuireader.tui.widgets.reader import ArticleView
from tuireader.tui.widgets.sections import PlaceCounts, SectionsPane, count_places, places

if TYPE_CHECKING:
    from tuireader.core.similar import RelatedEntry

WIDE, MEDIUM = 120, 80
RELATED_DELAY = 0.12  # seconds the cursor must rest before related articles are ranked
PLACES_DELAY = 0.5  # seconds after a change before the sections' counts are redone
FAILURES_TOLD = 3  # feed failures shown one by one in a refresh; more are summed up


def can_open_browser() -> bool:
    """Whether a browser can open without taking over this terminal.

    Over SSH there is no display, and a console browser would fight the reader for the screen,
    so the link is shown instead.
    """
    if os.environ.get("BROWSER"):
        return True
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


PANES = ("sections", "articles", "reader", "related")


def _sidebar_width(related: OptionList) -> int:
    """The cells the related sidebar's entries are laid out in."""
    return max(related.scrollable_content_region.width - 1, 16)


def _cut(text: str, cells: int) -> str:
    """``text`` cut at its logical end to at most ``cells`` cells, "…" marking the cut."""
    if cell_len(text) <= cells:
        return text
    kept, used = [], 1
    for char in text:
        used += cell_len(char)
        if used > cells:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


class MainScreen(Screen[None]):
    """Three panes that fold away as the terminal narrows."""

    # The list has focus from the first frame (focusing it at mount would style and draw the
    # whole screen a second time).
    AUTO_FOCUS = "#articles"
    BINDINGS = [
        # The app's own help key, again here so that the footer lists it first: at 60 columns
        # the last keys do not fit, and this one leads to all the others.
        Binding("question_mark", "app.help", "Help", id="help"),
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, priority=True, id="next-pane"),
        Binding(
            "shift+tab",
            "cycle_pane(-1)",
            "Previous pane",
            show=False,
            priority=True,
            id="previous-pane",
        ),
        Binding("l,right", "move_pane(1)", "Pane right", show=False, id="pane-right"),
        Binding("h,left", "move_pane(-1)", "Pane left", show=False, id="pane-left"),
        Binding("escape", "back", "Back", id="back"),
        Binding("n", "next_unread(1)", "Next unread", show=False, id="next-unread"),
        Binding("p", "next_unread(-1)", "Previous unread", show=False, id="previous-unread"),
        Binding("s", "toggle_star", "Star", id="star"),
        Binding("m", "toggle_read", "Read/unread", show=False, id="toggle-read"),
        Binding("f", "full_text", "Full text", id="full-text"),
        Binding("o", "open_link", "Open", show=False, id="open"),
        Binding("y", "copy_link", "Copy link", show=False, id="copy-link"),
        Binding("t", "toggle_related", "Related", show=False, id="related"),
        Binding("slash", "search", "Search", id="search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.current: ArticleRow | None = None
        self.article_query = ArticleQuery()
        self.show_related = False
        self.narrow_pane = "articles"
        self.failures_told = 0
        self._related_timer: Timer | None = None
        self._places_timer: Timer | None = None
        self._related_shown: tuple[int, list[RelatedEntry]] | None = None
        self._related_width = 0  # the width the sidebar's entries were laid out for

    reader_app = getters.app(TuiReader)

    def compose(self) -> ComposeResult:
        app = self.reader_app
        app.localize(self)  # the footer shows the screen's keys in its first frame
        yield Header(show_clock=False, icon="◆")
        sections = SectionsPane(app.painter, mirrored=app.strings.rtl, id="sections")
        middle = Vertical(
            ArticleList(
                app.painter,
                app.strings.relative_time(app.settings.clock),
                mirrored=app.strings.rtl,
                id="articles",
            ),
            ArticleView(id="reader"),
            id="middle",
        )
        title = Label(app.painter.plain(app.strings("related")), id="related-title", markup=False)
        title.styles.text_align = "right" if app.strings.rtl else "left"
        related = Vertical(
            title,
            ResizingOptionList(id="related"),
            id="related-pane",
        )
        # A right-to-left interface mirrors the panes: sections on the right, related on the left.
        panes = [related, middle, sections] if app.strings.rtl else [sections, middle, related]
        yield Horizontal(*panes, id="panes")
        yield ReaderFooter()
        # The classes the stylesheet lays the panes out by, before the first styling: each
        # change of a screen's classes styles every widget on it again.
        classes = {"-mirrored": app.strings.rtl, **self.layout_classes(app.size.width)}
        self.update_classes(classes, update=False)

    def on_mount(self) -> None:
        self.title = "tuireader"
        self.reader_app.localize(self)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.relayout())
        self.reload_places(self.reader_app.first_counts())
        self.show_query(ArticleQuery())
        self.apply_width(self.size.width)
        # The list is painted first and the article under the cursor in the next frame: laying
        # it out (and importing the HTML parser) would hold back the whole first frame.
        self.call_after_refresh(self.show_first_article)

    def show_first_article(self) -> None:
        """The article under the cursor, unless one is shown already."""
        if self.current is None:
            self.show_article(self.query_one(ArticleList).current)

    # --- data ----------------------------------------------------------------------------------

    def reload_places_soon(self) -> None:
        """Recount unread articles once the reader pauses (counting is a pass over the table)."""
        if self._places_timer is not None:
            self._places_timer.stop()
        self._places_timer = self.set_timer(PLACES_DELAY, self.reload_places, name="places")

    def reload_places(self, counts: PlaceCounts | None = None) -> None:
        """Show the sections and feeds with their counts (counted now unless given)."""
        app = self.reader_app
        strings = app.strings
        labels = {k: strings(k) for k in ("all", "unread", "starred")}
        entries = places(labels, counts if counts is not None else count_places(app.store))
        self.query_one(SectionsPane).show(entries, strings("feeds"))

    def show_query(self, query: ArticleQuery, *, keep_cursor: bool = False) -> None:
        """Show a section's articles; with ``keep_cursor`` the cursor stays on the article it
        was on, wherever new articles pushed it."""
        store = self.reader_app.store
        self.article_query = query
        source = RowSource(
            store.count(query),
            lambda offset, limit: store.articles(query, limit=limit, offset=offset),
        )
        cursor = None
        if keep_cursor and self.current is not None:
            cursor = store.position(query, self.current.id)
        self.query_one(ArticleList).show(source, cursor=cursor)

    def show_article(self, row: ArticleRow | None) -> None:
        self.current = row
        app = self.reader_app
        view = self.query_one(ArticleView)
        if row is None:
            view.show(app.painter.message_layout(app.strings("no_article")))
            self.fill_related(None)
            return
        article = app.store.article(row.id)
        if article is None:
            return
        view.show(app.article_layout(article))
        self.fill_related(row)

    def fill_related(self, row: ArticleRow | None) -> None:
        related = self.query_one("#related", OptionList)
        related.clear_options()
        if self._related_timer is not None:
            self._related_timer.stop()
        if row is not None:
            # Ranking takes tens of milliseconds: wait until the cursor rests (a held j
            # must only move the cursor), then rank in a thread.
            self._related_timer = self.set_timer(
                RELATED_DELAY, partial(self.load_related, row.id), name="related"
            )

    @work(thread=True, exclusive=True, group="related", exit_on_error=False)
    def load_related(self, article_id: int) -> None:
        """Rank related articles off the UI thread; only the newest request is shown."""
        entries = self.reader_app.related(article_id)
        self.app.call_from_thread(self.show_related_entries, article_id, entries)

    def show_related_entries(self, article_id: int, entries: list[RelatedEntry]) -> None:
        if self.current is None or self.current.id != article_id:
            return  # the reader moved on while this was computed
        same = self._related_shown is not None and self._related_shown[0] == article_id
        self._related_shown = (article_id, entries)
        app = self.reader_app
        related = self.query_one("#related", OptionList)
        highlighted = related.highlighted if same else None  # laid out again: keep the place
        related.clear_options()
        width = self._related_width = _sidebar_width(related)
        if not entries:
            note = app.painter.aligned_text(app.strings("no_related"), width)
            related.add_option(Option(Text(note, style="dim"), disabled=True))
            return
        when = app.strings.relative_time(app.settings.clock)
        for entry in entries:
            prompt = Text(app.painter.aligned_text(entry.row.title, width), style="bold")
            # The source gives way to the date when both do not fit.
            marker, age = ("◆ " if entry.same_story else ""), when(entry.row.published)
            room = width - cell_len(marker) - cell_len(age) - 3
            meta = f"{marker}{_cut(entry.row.feed_title, room)} · {age}"
            prompt.append("\n" + app.painter.aligned_text(meta, width), style="dim")
            for also in entry.also:
                line = app.strings("also", source=also.feed_title)
                prompt.append("\n" + app.painter.aligned_text(line, width), style="italic dim")
            related.add_option(Option(prompt, id=str(entry.row.id)))
        if highlighted is not None and highlighted < related.option_count:
            related.highlighted = highlighted

    def open_row(self, row: ArticleRow) -> None:
        """Show an article and mark it read."""
        if not row.read:
            row = self._change_row(row, read=True)
        self.show_article(row)

    # --- events --------------------------------------------------------------------------------

    @on(SectionsPane.Chosen)
    def section_chosen(self, event: SectionsPane.Chosen) -> None:
        if event.place.query != self.article_query:
            self.show_query(event.place.query)
        if event.focus_list:
            self.focus_pane("articles")

    @on(ArticleList.Highlighted)
    def article_highlighted(self, event: ArticleList.Highlighted) -> None:
        if self.current is None or event.row.id != self.current.id:
            self.show_article(event.row)

    @on(ArticleList.Selected)
    def article_selected(self, event: ArticleList.Selected) -> None:
        self.open_row(event.row)
        self.focus_pane("reader")

    @on(OptionList.OptionSelected, "#related")
    def related_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        rows = self.reader_app.store.rows_by_id([int(event.option.id)])
        if rows:
            self.open_row(rows[0])
            self.focus_pane("reader")

    def on_resize(self) -> None:
        self.apply_width(self.size.width)

    def relayout(self) -> None:
        """Lay out every text again (after the bidi mode changed)."""
        self.reload_places()
        self.query_one(ArticleList).repaint()
        self.show_article(self.current)

    def on_refresh_progress(self, message: RefreshProgress) -> None:
        app = self.reader_app
        self.sub_title = app.painter.plain(
            app.strings("refreshing", done=message.done, total=message.total)
        )

    def on_feed_failed(self, message: FeedFailed) -> None:
        feed = message.feed
        # The first few failures each get a notice; the rest are counted when the refresh ends.
        self.failures_told += 1
        if self.failures_told <= FAILURES_TOLD:
            text = self.reader_app.strings("feed_failed", title=feed.title, error=feed.error or "")
            self.reader_app.tell(text, severity="warning", timeout=8)

    def on_refresh_done(self, message: RefreshDone) -> None:
        report = message.report
        app = self.reader_app
        key = "summary_one" if len(report.feeds) == 1 else "summary"
        summary = app.strings(
            key, feeds=len(report.feeds), new=report.new, failed=len(report.failed)
        )
        self.sub_title = app.painter.plain(summary)
        if self.failures_told > FAILURES_TOLD:
            more = app.strings("more_failed", count=self.failures_told - FAILURES_TOLD)
            app.tell(more, severity="warning", timeout=10)
        self.failures_told = 0
        self.reload_places()
        self.show_query(self.article_query, keep_cursor=True)

    # --- layout --------------------------------------------------------------------------------

    def layout_classes(self, width: int) -> dict[str, bool]:
        """The screen's classes for a terminal ``width`` columns wide (see tuireader.tcss)."""
        classes = {
            "-wide": width >= WIDE,
            "-medium": MEDIUM <= width < WIDE,
            "-narrow": width < MEDIUM,
            "-related": self.show_related,
        }
        classes.update({f"-show-{pane}": self.narrow_pane == pane for pane in PANES})
        return classes

    def apply_width(self, width: int) -> None:
        self.update_classes(self.layout_classes(width))  # one restyle, and none if unchanged
        # One pane at a time: the footer's keys close up, so that more of them fit.
        self.query_one(ReaderFooter).compact = width < MEDIUM

    def visible_panes(self) -> list[str]:
        if self.has_class("-narrow"):
            return list(PANES)
        panes = ["sections", "articles", "reader"]
        if self.has_class("-wide") or self.show_related:
            panes.append("related")
        return panes

    def focused_pane(self) -> str:
        node: DOMNode | None = self.focused
        while node is not None:
            if node.id in PANES:
                return node.id
            node = node.parent
        return self.narrow_pane

    def focus_pane(self, pane: str) -> None:
        self.narrow_pane = pane
        self.apply_width(self.size.width)
        self.query_one(f"#{pane}").focus()

    def action_cycle_pane(self, step: int) -> None:
        panes = self.visible_panes()
        current = self.focused_pane()
        index = panes.index(current) if current in panes else 0
        self.focus_pane(panes[(index + step) % len(panes)])

    def action_move_pane(self, step: int) -> None:
        # In a right-to-left interface the panes are mirrored, so "right" goes back.
        if self.reader_app.strings.rtl:
            step = -step
        panes = self.visible_panes()
        current = self.focused_pane()
        index = panes.index(current) if current in panes else 0
        self.focus_pane(panes[max(0, min(index + step, len(panes) - 1))])

    def action_back(self) -> None:
        order = {"reader": "articles", "related": "reader", "articles": "sections"}
        if self.focused_pane() in order:
            self.focus_pane(order[self.focused_pane()])

    def action_toggle_related(self) -> None:
        self.show_related = not self.show_related
        self.apply_width(self.size.width)
        if self.show_related:
            self.focus_pane("related")
            # Shown again at the size it had before, the list may get no Resize or Show.
            self.call_after_refresh(self.relayout_related)

    @on(ResizingOptionList.Resized, "#related")
    def relayout_related(self) -> None:
        """Lay the sidebar's entries out again if its width is not the one they were laid
        out for (it was hidden, or the terminal was resized; a taller list needs nothing)."""
        related = self.query_one("#related", OptionList)
        if related.display and self.query_one("#related-pane").display and not related.size.width:
            self.call_after_refresh(self.relayout_related)  # not laid out yet: after that
            return
        if self._related_shown is not None and _sidebar_width(related) != self._related_width:
            self.show_related_entries(*self._related_shown)

    # --- article actions -----------------------------------------------------------------------

    def action_next_unread(self, step: int) -> None:
        """Open the next unread article below the cursor (step 1) or above it (step -1)."""
        articles = self.query_one(ArticleList)
        store = self.reader_app.store
        here = articles.current
        found = store.unread_neighbour(self.article_query, here.id if here else None, step)
        index = None if found is None else store.position(self.article_query, found)
        row = None if index is None else articles.row(index)
        if row is None:
            self.reader_app.tell(self.reader_app.strings("empty"), timeout=3)
            return
        articles.cursor = index  # type: ignore[assignment]
        self.open_row(row)

    def action_toggle_star(self) -> None:
        if self.current is not None:
            self.current = self._change_row(self.current, starred=not self.current.starred)

    def action_toggle_read(self) -> None:
        if self.current is not None:
            self.current = self._change_row(self.current, read=not self.current.read)

    def _change_row(
        self, row: ArticleRow, *, read: bool | None = None, starred: bool | None = None
    ) -> ArticleRow:
        """Show the change at once and write it in the background (a refresh may hold the
        database's write lock for a moment: the screen never waits for it)."""
        changed = replace(
            row,
            read=row.read if read is None else read,
            starred=row.starred if starred is None else starred,
        )
        self.query_one(ArticleList).update_row(changed)

        def write(store: Store) -> None:
            if read is not None:
                store.set_read([row.id], read)
            if starred is not None:
                store.set_starred([row.id], starred)

        self.reader_app.write(write, then=self.reload_places_soon)
        return changed

    def action_open_link(self) -> None:
        self.open_in_browser()

    @work(thread=True, exclusive=True, group="browser", exit_on_error=False)
    def open_in_browser(self) -> None:
        row = self.current
        strings = self.reader_app.strings
        if row is None or not row.link:
            self.app.call_from_thread(self.reader_app.tell, strings("no_link"))
            return
        opened = False
        if can_open_browser():
            try:
                opened = webbrowser.open(row.link)
            except webbrowser.Error:
                opened = False
        message = strings("opened") if opened else strings("cannot_open", url=row.link)
        self.app.call_from_thread(self.reader_app.tell, message, timeout=10)

    def action_full_text(self) -> None:
        if self.current is not None:
            self.reader_app.tell(self.reader_app.strings("full_text_fetching"), timeout=3)
            self.fetch_full_text(self.current.id)

    @work(exclusive=True, group="full-text", exit_on_error=False)
    async def fetch_full_text(self, article_id: int) -> None:
        """Fetch the current article's page in the background, then show it."""
        app = self.reader_app
        # Imported in a thread: the fetching stack takes a moment to load the first time.
        module = await asyncio.to_thread(importlib.import_module, "tuireader.core.refresh")
        result = await module.fetch_full_text_now(
            app.settings.database, app.settings.config, article_id
        )
        if result.document is None:
            self.reader_app.tell(result.error or "", severity="warning")
        else:
            self.reader_app.tell(app.strings("full_text_done"), timeout=3)
        if self.current is not None and self.current.id == article_id:
            self.show_article(self.current)

    def action_search(self) -> None:
        from tuireader.tui.screens.search import SearchScreen

        def chosen(article_id: int | None) -> None:
            if article_id is None:
                self.reader_app.highlight_terms = ()
            else:
                rows = self.reader_app.store.rows_by_id([article_id])
                if rows:
                    self.open_row(rows[0])
                    self.focus_pane("reader")

        self.app.push_screen(SearchScreen(), chosen)

    def action_copy_link(self) -> None:
        row = self.current
        strings = self.reader_app.strings
        if row is None or not row.link:
            self.reader_app.tell(strings("no_link"))
            return
        self.app.copy_to_clipboard(row.link)
        self.reader_app.tell(strings("link_copied"))
