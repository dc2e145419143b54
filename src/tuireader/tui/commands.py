"""The command palette: sections, feeds and actions, matched on the words as written."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tuireader.core.store import ArticleQuery

if TYPE_CHECKING:
    from tuireader.tui.app import TuiReader

Entry = tuple[str, Callable[[], object], str]  # (name as written, action, help)


class ReaderCommands(Provider):
    """Go to any section or feed, or run an action, by typing part of its name."""

    @property
    def reader(self) -> TuiReader:
        from tuireader.tui.app import TuiReader

        assert isinstance(self.app, TuiReader)
        return self.app

    def entries(self) -> list[Entry]:
        app = self.reader
        store = app.store
        entries: list[Entry] = [
            (app.strings("all"), partial(app.show_query, ArticleQuery()), "view"),
            (app.strings("unread"), partial(app.show_query, ArticleQuery(unread=True)), "view"),
            (app.strings("starred"), partial(app.show_query, ArticleQuery(starred=True)), "view"),
        ]
        for section in store.sections():
            query = ArticleQuery(section_key=section.key)
            entries.append((section.name, partial(app.show_query, query), "section"))
        for feed in store.feeds():
            query = ArticleQuery(feed_id=feed.id)
            entries.append((feed.title, partial(app.show_query, query), "feed"))
        for name, action in (
            ("Refresh all feeds", app.action_refresh),
            ("Search articles", partial(app.run_screen_action, "search")),
            ("Calibrate right-to-left text", app.action_calibrate),
            ("Bidi mode: app (tuireader reorders)", partial(app.set_bidi, "app")),
            ("Bidi mode: terminal (the terminal reorders)", partial(app.set_bidi, "terminal")),
            ("Bidi mode: off", partial(app.set_bidi, "off")),
            ("Show or hide related articles", partial(app.run_screen_action, "toggle_related")),
            ("Keys", app.action_help),
        ):
            entries.append((name, action, "action"))
        return entries

    def display(self, name: str) -> Text:
        # Names from feeds are laid out for the terminal and never parsed as markup; the kind
        # of entry is the hit's help line.
        return Text(self.reader.painter.plain(name))

    async def discover(self) -> Hits:
        for name, action, kind in self.entries():
            yield DiscoveryHit(self.display(name), action, text=name, help=kind)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, kind in self.entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, self.display(name), action, text=name, help=kind)
