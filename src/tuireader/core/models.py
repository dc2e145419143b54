"""Plain data passed between the layers: what a feed says, what a fetch returned, what is stored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Direction(StrEnum):
    """Reading direction of a feed, an article or a block of text."""

    AUTO = "auto"
    RTL = "rtl"
    LTR = "ltr"


class FullText(StrEnum):
    """When to fetch the article page instead of trusting the feed's content."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


# --- parsing -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """One item of a feed, every string already sanitized; HTML fields are still HTML."""

    guid: str | None
    link: str | None
    title: str
    author: str = ""
    published: datetime | None = None  # timezone-aware UTC
    updated: datetime | None = None  # timezone-aware UTC
    summary: str = ""  # HTML
    content: str = ""  # HTML
    categories: tuple[str, ...] = ()
    language: str | None = None
    image: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A parsed feed document. ``warning`` says in words what was wrong but survivable."""

    title: str
    link: str | None
    language: str | None
    entries: list[ParsedEntry]
    warning: str | None = None


# --- fetching ----------------------------------------------------------------------------------


class FetchOutcome(StrEnum):
    """How a fetch ended, in the terms the scheduler acts on."""

    OK = "ok"  # a body to parse
    NOT_MODIFIED = "not_modified"  # 304
    GONE = "gone"  # 410: stop polling
    RETRY_LATER = "retry_later"  # 429/503 with or without Retry-After
    ERROR = "error"  # anything else: back off


@dataclass(frozen=True, slots=True)
class FetchRequest:
    """What to fetch, with the validators of the previous successful fetch."""

    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The result of one fetch. ``error`` is a sentence a user can read."""

    url: str  # the URL requested
    outcome: FetchOutcome
    status: int | None = None
    final_url: str | None = None  # after redirects
    permanent_url: str | None = None  # set only when every redirect hop was 301 or 308
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    retry_after: datetime | None = None  # timezone-aware UTC
    error: str | None = None
    elapsed: float = 0.0  # seconds


# --- stored ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Feed:
    """A subscribed feed as stored."""

    id: int
    url: str  # where it is fetched now (after permanent redirects)
    title: str
    section: str | None
    direction: Direction
    full_text: FullText
    etag: str | None
    last_modified: str | None
    last_status: int | None
    last_error: str | None
    next_fetch: datetime | None
    gone: bool
    failures: int
    config_url: str = ""  # as written in the configuration
    retry_after: datetime | None = None  # the server asked for no fetch before this


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """What a list of articles shows: no bodies."""

    id: int
    feed_id: int
    feed_title: str
    title: str
    link: str | None
    section: str
    categories: tuple[str, ...]
    published: datetime
    direction: Direction
    read: bool
    starred: bool


@dataclass(frozen=True, slots=True)
class Article:
    """One stored article with its bodies."""

    id: int
    feed_id: int
    feed_title: str
    feed_url: str
    guid: str | None
    link: str | None
    title: str
    author: str
    published: datetime
    updated: datetime | None
    summary: str
    content: str
    full_text: str | None  # the extracted page, when fetched
    full_text_error: str | None
    language: str | None
    direction: Direction
    categories: tuple[str, ...]
    section: str
    read: bool
    starred: bool
    first_seen: datetime
