"""What a parser read from a feed, before it is cleaned into a ``ParsedFeed``.

Every parser (lxml fast path, feedparser fallback, JSON Feed) fills these with the strings it
found, unresolved and unsanitized; ``tuireader.core.parsing.finish`` turns them into the
shared models the same way for all of them, which is what keeps the parsers in parity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class RawEntry:
    """One item as found. ``base`` is the URL its relative references resolve against."""

    base: str
    guid: str | None = None
    guid_is_link: bool = False  # RSS guid without isPermaLink="false": may stand for the link
    link: str | None = None
    title: str = ""
    title_is_html: bool | None = None  # None: the format does not say (RSS), so look at it
    author: str = ""
    published: str | None = None
    updated: str | None = None
    published_hint: datetime | None = None  # a parser's own reading, used when ours fails
    updated_hint: datetime | None = None
    summary: str = ""  # HTML
    content: str = ""  # HTML
    categories: list[str] = field(default_factory=list)
    language: str | None = None
    images: list[str] = field(default_factory=list)  # explicit image URLs, best first


@dataclass(slots=True)
class RawFeed:
    """A feed document as found, with the notes a parser made on the way."""

    base: str
    title: str = ""
    title_is_html: bool | None = None
    link: str | None = None
    language: str | None = None
    entries: list[RawEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
