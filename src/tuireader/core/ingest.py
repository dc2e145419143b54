"""A fetched body to what the store writes: entries, their identity, digest and index terms.

Everything here is CPU work with no shared state, so a refresh runs ``prepare_feed`` in
worker processes (``core.workers``) while the main process fetches and writes. Only the
entries
that are new or changed since the last refresh get index terms: a feed that repeats its 49
old items and adds one costs one article's indexing, not fifty.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from tuireader.core.extract import needs_full_text
from tuireader.core.models import FullText, ParsedEntry, ParsedFeed
from tuireader.core.parse import FeedParseError, parse_feed
from tuireader.core.searchtext import index_fields

__all__ = [
    "FeedParseError",
    "PreparedEntry",
    "PreparedFeed",
    "content_hash",
    "entry_key",
    "prepare_entries",
    "prepare_feed",
]


def entry_key(entry: ParsedEntry) -> str:
    """Identity of an entry within its feed: guid, else link, else a hash of title and date."""
    if entry.guid:
        return "g:" + entry.guid
    if entry.link:
        return "l:" + entry.link
    published = entry.published
    moment = None if published is None else published.astimezone(UTC)
    stamp = "None" if moment is None else moment.isoformat(timespec="seconds")
    digest = hashlib.sha256(f"{entry.title}\x00{stamp}".encode()).hexdigest()
    return "h:" + digest[:32]


def content_hash(entry: ParsedEntry) -> str:
    """A digest of what a reader sees of an entry: a new digest means the item was edited."""
    parts = (entry.title, entry.link or "", entry.summary, entry.content, *entry.categories)
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class PreparedEntry:
    """A new or changed entry with what the store needs to write it."""

    position: int  # in ``PreparedFeed.parsed.entries``
    key: str
    digest: str
    index_title: str  # index terms, space-separated (core.searchtext)
    index_body: str
    teaser: bool  # the item's text looks cut short: a feed set to full_text "auto" fetches the page


@dataclass(frozen=True, slots=True)
class PreparedFeed:
    """A parsed feed and its entries that differ from what is stored, in document order."""

    parsed: ParsedFeed
    changed: tuple[PreparedEntry, ...]

    def entry(self, prepared: PreparedEntry) -> ParsedEntry:
        return self.parsed.entries[prepared.position]


def prepare_entries(parsed: ParsedFeed, known: Mapping[str, str]) -> PreparedFeed:
    """The entries of ``parsed`` whose key is not in ``known`` (key → digest) or whose
    digest differs, with their index terms. An entry repeated in the document counts once,
    unless its repetition differs."""
    seen = dict(known)
    changed: list[PreparedEntry] = []
    for position, entry in enumerate(parsed.entries):
        key, digest = entry_key(entry), content_hash(entry)
        if seen.get(key) == digest:
            continue
        seen[key] = digest
        title, body = index_fields(entry.title, entry.content or entry.summary)
        teaser = needs_full_text(summary=entry.summary, content=entry.content, mode=FullText.AUTO)
        changed.append(PreparedEntry(position, key, digest, title, body, teaser))
    return PreparedFeed(parsed, tuple(changed))


def prepare_feed(
    body: bytes,
    url: str,
    content_type: str | None,
    known: Mapping[str, str],
    now: datetime | None = None,
) -> PreparedFeed | FeedParseError:
    """Parse a fetched body and prepare its new and changed entries.

    A body with nothing usable in it gives its ``FeedParseError`` as the result rather
    than raising it: it is an answer about the feed, not a failure of the worker.
    """
    try:
        parsed = parse_feed(body, url=url, content_type=content_type, now=now)
    except FeedParseError as error:
        return error
    return prepare_entries(parsed, known)
