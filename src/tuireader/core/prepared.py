"""What parsing a feed hands to the store: plain data, light to import.

A refresh parses in worker processes (``core.workers``, ``core.ingest``) and the main process
unpickles what they return: defining it here, apart from the parsers, means the main process
never loads lxml and the cleaners just to read the results.
"""

from __future__ import annotations

from dataclasses import dataclass

from tuireader.core.models import Direction

__all__ = ["FeedParseError", "FeedSettings", "PreparedEntry", "PreparedFeed"]


class FeedParseError(Exception):
    """Nothing usable came out of a response. ``alternate``: the feed an HTML page names."""

    def __init__(self, message: str, *, alternate: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.alternate = alternate


@dataclass(frozen=True, slots=True)
class FeedSettings:
    """What of a feed's configuration shapes its articles' rows."""

    url: str
    title: str  # as shown: the configured title, else the feed's own, else its URL
    section: str | None
    direction: Direction


@dataclass(frozen=True, slots=True)
class PreparedEntry:
    """A new or changed entry with what the store needs to write it."""

    key: str
    # The values of core.store.ROW_COLUMNS; "published" is None for an item without a date
    # (the store puts the moment it first saw it).
    row: tuple[str | None, ...]
    own_published: str | None  # the item's own date: an edit without one keeps the stored one
    index_title: str  # index terms, space-separated (core.searchtext)
    index_body: str
    teaser: bool  # the item's text looks cut short: a feed set to full_text "auto" fetches the page

    @property
    def digest(self) -> str:
        return str(self.row[-1])


@dataclass(frozen=True, slots=True)
class PreparedFeed:
    """What a parsed feed says of itself, and its entries that differ from what is stored,
    in document order."""

    title: str
    language: str | None
    warning: str | None
    changed: tuple[PreparedEntry, ...]
