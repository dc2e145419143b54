"""The sections pane: All, Unread, Starred, the sections with unread counts, then the feeds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tuireader.core.store import ArticleQuery, FeedCount, SectionCount, Store
from tuireader.tui.textview import TextPainter
from tuireader.tui.widgets.lists import KeyedOptionList


@dataclass(frozen=True, slots=True)
class Place:
    """Something the sections pane can show: a name and the query behind it."""

    id: str
    name: str
    query: ArticleQuery
    unread: int
    indent: int = 0


@dataclass(frozen=True, slots=True)
class PlaceCounts:
    """What the pane counts: (all, unread, starred), the sections, and the feeds."""

    totals: tuple[int, int, int]
    sections: list[SectionCount]
    feeds: list[FeedCount]


def count_places(store: Store) -> PlaceCounts:
    """The counts behind the pane's entries (three queries over the articles' indexes)."""
    return PlaceCounts(store.totals(), store.sections(), store.feed_counts())


def places(labels: dict[str, str], counts: PlaceCounts) -> list[Place]:
    """The pane's entries, in order."""
    _total, unread, starred = counts.totals
    sections, feeds = counts.sections, counts.feeds
    result = [
        Place("all", labels["all"], ArticleQuery(), unread),
        Place("unread", labels["unread"], ArticleQuery(unread=True), unread),
        Place("starred", labels["starred"], ArticleQuery(starred=True), starred),
    ]
    result += [
        Place(f"section:{s.key}", s.name, ArticleQuery(section_key=s.key), s.unread)
        for s in sections
    ]
    by_section: dict[str, list[FeedCount]] = {}
    for feed in feeds:
        by_section.setdefault(feed.section_key, []).append(feed)
    names = {s.key: s.name for s in sections}
    for key in sorted(by_section, key=lambda k: names.get(k, k)):
        for feed in by_section[key]:
            result.append(
                Place(
                    f"feed:{feed.feed.id}",
                    feed.feed.title,
                    ArticleQuery(feed_id=feed.feed.id),
                    feed.unread,
                    indent=1,
                )
            )
    return result


class FittedLabel(Visual):
    """A one-line option prompt laid out when it is drawn, at the width it is drawn at.

    The pane's width is known only once it has been arranged, which is after its entries are
    made; so labels are not made for a guessed width (the first frame would show them wrong),
    and only the entries scrolled into view are laid out at all.
    """

    def __init__(self, lay_out: Callable[[int], Text]) -> None:
        self._lay_out = lay_out
        self._made: tuple[int, Content] | None = None

    def _content(self, width: int) -> Content:
        if self._made is None or self._made[0] != width:
            self._made = (width, Content.from_rich_text(self._lay_out(width)))
        return self._made[1]

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self._content(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1


class SectionsPane(KeyedOptionList):
    """Where to read: choosing an entry shows its articles."""

    class Chosen(Message):
        """An entry was highlighted (or, with ``focus_list``, opened with Enter)."""

        def __init__(self, place: Place, *, focus_list: bool = False) -> None:
            self.place = place
            self.focus_list = focus_list
            super().__init__()

    def __init__(
        self,
        painter: TextPainter,
        *,
        mirrored: bool = False,
        id: str | None = None,  # noqa: A002 (Textual's name)
    ) -> None:
        super().__init__(id=id)
        self._painter = painter
        self._mirrored = mirrored
        self._places: list[Place] = []
        self._heading = ""

    def show(self, entries: list[Place], feeds_heading: str) -> None:
        """Fill the pane, keeping the highlighted entry when it still exists."""
        current = self.current_place
        self._places = entries
        self._heading = feeds_heading
        self.clear_options()
        options: list[Option | None] = []
        for index, place in enumerate(entries):
            if place.indent and (index == 0 or not entries[index - 1].indent):
                options.append(None)
            label = FittedLabel(partial(self._label, place))
            options.append(Option(label, id=place.id))
        self.add_options(options)
        ids = [p.id for p in entries]
        target = current.id if current is not None and current.id in ids else ids[0]
        self.highlighted = self.get_option_index(target)

    def _label(self, place: Place, width: int) -> Text:
        width = max(width, 12)
        count = str(place.unread) if place.unread else ""
        name_width = max(width - len(count) - 2 - place.indent * 2, 4)
        name = self._painter.one_line(place.name, name_width)
        indent = " " * (place.indent * 2)
        pad = " " * max(width - cell_len(name) - len(indent) - len(count), 1)
        if self._mirrored:  # the count on the left, the name against the right edge
            return Text.assemble((count, "bold"), pad, name, indent, no_wrap=True)
        return Text.assemble(indent, name, pad, (count, "bold"), no_wrap=True)

    @property
    def current_place(self) -> Place | None:
        if self.highlighted is None or not self._places:
            return None
        option = self.get_option_at_index(self.highlighted)
        return next((p for p in self._places if p.id == option.id), None)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        place = self.current_place
        if place is not None:
            self.post_message(self.Chosen(place))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        place = self.current_place
        if place is not None:
            self.post_message(self.Chosen(place, focus_list=True))
