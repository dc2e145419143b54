"""A fetched body to what the store writes: rows of articles, their identity and index terms.

Everything here is CPU work with no shared state, so a refresh runs ``prepare_feed`` in
worker processes (``core.workers``) while the main process fetches and writes: the values
of each article's row (section, direction, dates, categories) are worked out here too, and
come back as plain tuples, which cost little to send. Only the entries that are new or
changed since the last refresh are prepared: a feed that repeats its 49 old items and adds
one costs one article's work, not fifty.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from json.encoder import encode_basestring as encode_json_string

from tuireader.core.extract import needs_full_text
from tuireader.core.language import language_of_text, resolve_direction
from tuireader.core.models import FullText, ParsedEntry, ParsedFeed
from tuireader.core.parse import parse_feed
from tuireader.core.prepared import FeedParseError, FeedSettings, PreparedEntry, PreparedFeed
from tuireader.core.searchtext import index_fields
from tuireader.core.sections import primary_section
from tuireader.core.store import iso

__all__ = [
    "categories_json",
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
    digest = hashlib.sha256(f"{entry.title}\x00{iso(entry.published)}".encode()).hexdigest()
    return "h:" + digest[:32]


def content_hash(entry: ParsedEntry) -> str:
    """A digest of what a reader sees of an entry: a new digest means the item was edited."""
    parts = (entry.title, entry.link or "", entry.summary, entry.content, *entry.categories)
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


def categories_json(categories: tuple[str, ...]) -> str:
    """``json.dumps(list(categories), ensure_ascii=False)``, without the general encoder."""
    return "[" + ", ".join(map(encode_json_string, categories)) + "]"


# The section depends on the first category only; a feed files most items under a few.
# Long names are not kept (hostile feeds send megabytes in any field).
_SECTION_MEMO_LIMIT = 200
_memo_section = lru_cache(maxsize=4096)(primary_section)


def _section(configured: str | None, first: tuple[str, ...], feed_title: str) -> tuple[str, str]:
    long = len(feed_title) + sum(map(len, first)) + len(configured or "") > _SECTION_MEMO_LIMIT
    return (primary_section if long else _memo_section)(configured, first, feed_title)


def prepare_entries(
    parsed: ParsedFeed, known: Mapping[str, str], feed: FeedSettings
) -> PreparedFeed:
    """The entries of ``parsed`` whose key is not in ``known`` (key → digest) or whose
    digest differs, with their rows and index terms. An entry repeated in the document
    counts once, unless its repetition differs."""
    feed_title = feed.title if feed.title != feed.url else parsed.title or feed.url
    feed_language = parsed.language or _guessed_language(parsed)
    seen = dict(known)
    changed: list[PreparedEntry] = []
    for entry in parsed.entries:
        key, digest = entry_key(entry), content_hash(entry)
        if seen.get(key) == digest:
            continue
        seen[key] = digest
        section, section_key = _section(feed.section, entry.categories[:1], feed_title)
        language = entry.language or feed_language
        direction = resolve_direction(feed.direction, language, entry.title or entry.summary)
        published, updated = iso(entry.published), iso(entry.updated)
        row = (
            entry.guid,
            entry.link,
            entry.title,
            entry.author,
            published or updated,
            updated,
            entry.summary,
            entry.content,
            language,
            direction.value,
            categories_json(entry.categories),
            section,
            section_key,
            entry.image,
            digest,
        )
        title, body = index_fields(entry.title, entry.content or entry.summary)
        teaser = needs_full_text(summary=entry.summary, content=entry.content, mode=FullText.AUTO)
        changed.append(PreparedEntry(key, row, published, title, body, teaser))
    return PreparedFeed(parsed.title, feed_language, parsed.warning, tuple(changed))


_GUESS_FROM_TITLES = 50


def _guessed_language(parsed: ParsedFeed) -> str | None:
    """The language of a feed that names none, from its title and its entries' titles."""
    titles = [parsed.title, *(entry.title for entry in parsed.entries[:_GUESS_FROM_TITLES])]
    return language_of_text(" ".join(titles))


def prepare_feed(
    body: bytes,
    url: str,
    content_type: str | None,
    known: Mapping[str, str],
    feed: FeedSettings,
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
    return prepare_entries(parsed, known, feed)
