"""Turn what a parser found (``RawFeed``) into the shared, sanitized ``ParsedFeed``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

from tuireader.core.models import ParsedEntry, ParsedFeed
from tuireader.core.parsing.cleaning import (
    author_name,
    first_image_in_html,
    html_to_text,
    http_url,
    language_tag,
    plain_text,
    safe_html,
    shorten,
)
from tuireader.core.parsing.dates import accept_date, parse_date
from tuireader.core.parsing.raw import RawEntry, RawFeed

# Length of a title made up from the body of an item that has none.
DERIVED_TITLE_LENGTH = 80


def finish_feed(raw: RawFeed, now: datetime) -> ParsedFeed:
    """Clean every field of ``raw``; entries with nothing to show are left out."""
    language = language_tag(raw.language)
    entries = [
        entry for entry in (finish_entry(item, language, now) for item in raw.entries) if entry
    ]
    return ParsedFeed(
        title=plain_text(raw.title, is_html=raw.title_is_html),
        link=http_url(raw.link, raw.base),
        language=language,
        entries=entries,
        warning="; ".join(raw.warnings) or None,
    )


def finish_entry(raw: RawEntry, feed_language: str | None, now: datetime) -> ParsedEntry | None:
    """One clean entry, or None when the item has no title, link, id or body at all."""
    summary = safe_html(raw.summary)
    content = safe_html(raw.content)
    guid = plain_text(raw.guid, is_html=False) if raw.guid else ""
    link = http_url(raw.link, raw.base)
    if link is None and raw.guid_is_link and raw.guid:
        link = http_url(raw.guid, raw.base) if _is_absolute_http(raw.guid) else None
    title = plain_text(raw.title, is_html=raw.title_is_html)
    if not title:
        title = shorten(
            plain_text(html_to_text(summary or content), is_html=False), DERIVED_TITLE_LENGTH
        )
    if not (title or link or guid or summary or content):
        return None
    updated = parse_date(raw.updated, now) or accept_date(raw.updated_hint, now)
    published = parse_date(raw.published, now) or accept_date(raw.published_hint, now)
    language = language_tag(raw.language)
    return ParsedEntry(
        guid=guid or None,
        link=link,
        title=title,
        author=_author(raw.author),
        published=published or updated,
        updated=updated,
        summary=summary,
        content=content,
        categories=_unique(map(_category, raw.categories)),
        language=language if language != feed_language else None,
        image=_image(raw, content, summary),
    )


# Authors and category names repeat from item to item: each distinct short one is cleaned
# once (a long one is not kept: hostile feeds send megabytes in any field).
_MEMO_LIMIT = 200
_memo_author = lru_cache(maxsize=4096)(author_name)


@lru_cache(maxsize=4096)
def _memo_category(name: str) -> str:
    return plain_text(name, is_html=None)


def _author(raw: str) -> str:
    return _memo_author(raw) if len(raw) <= _MEMO_LIMIT else author_name(raw)


def _category(raw: str) -> str:
    return _memo_category(raw) if len(raw) <= _MEMO_LIMIT else plain_text(raw, is_html=None)


def _image(raw: RawEntry, content: str, summary: str) -> str | None:
    for candidate in raw.images:
        url = http_url(candidate, raw.base)
        if url is not None:
            return url
    return first_image_in_html(content, raw.base) or first_image_in_html(summary, raw.base)


def _is_absolute_http(text: str) -> bool:
    return text.strip().lower().startswith(("http://", "https://"))


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for name in names:
        if name:
            seen.setdefault(name, None)
    return tuple(seen)
