"""JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/)."""

from __future__ import annotations

import json
from typing import Any

from tuireader.core.parsing.cleaning import is_image_media, text_to_html
from tuireader.core.parsing.raw import RawEntry, RawFeed

VERSION_PREFIX = "https://jsonfeed.org/version/"


class NotJsonFeed(ValueError):
    """The body is not a JSON Feed; the message says why in plain words."""


def parse_json_feed(text: str, url: str) -> RawFeed:
    """Read a JSON Feed document; raises ``NotJsonFeed`` when it is not one."""
    try:
        document = json.loads(text)
    except RecursionError as error:
        raise NotJsonFeed("not a feed: the JSON is nested too deeply") from error
    except ValueError as error:
        raise NotJsonFeed(f"not a feed: invalid JSON ({error})") from error
    if not isinstance(document, dict):
        raise NotJsonFeed("not a feed: JSON, but not a JSON Feed")
    version = _string(document.get("version"))
    items = document.get("items")
    if not version.startswith(VERSION_PREFIX) and not isinstance(items, list):
        raise NotJsonFeed("not a feed: JSON, but not a JSON Feed")
    base = _string(document.get("feed_url")) or url
    feed = RawFeed(
        base=url,
        title=_string(document.get("title")),
        title_is_html=False,
        link=_string(document.get("home_page_url")) or None,
        language=_string(document.get("language")) or None,
    )
    feed_authors = _authors(document)
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            feed.entries.append(_entry(item, base, feed_authors))
    return feed


def _entry(item: dict[str, Any], base: str, feed_authors: list[str]) -> RawEntry:
    content_html = _string(item.get("content_html"))
    content_text = _string(item.get("content_text"))
    summary = _string(item.get("summary"))
    authors = _authors(item) or feed_authors
    tags = item.get("tags")
    entry = RawEntry(
        base=base,
        guid=_string(item.get("id")) or None,
        link=_string(item.get("url")) or _string(item.get("external_url")) or None,
        title=_string(item.get("title")),
        title_is_html=False,
        author=authors[0] if authors else "",
        published=_string(item.get("date_published")) or None,
        updated=_string(item.get("date_modified")) or None,
        summary=text_to_html(summary) if summary else "",
        content=content_html or (text_to_html(content_text) if content_text else ""),
        categories=[_string(tag) for tag in tags] if isinstance(tags, list) else [],
        language=_string(item.get("language")) or None,
    )
    for key in ("image", "banner_image"):
        if _string(item.get(key)):
            entry.images.append(_string(item.get(key)))
    attachments = item.get("attachments")
    for attachment in attachments if isinstance(attachments, list) else []:
        if isinstance(attachment, dict):
            address = _string(attachment.get("url"))
            if address and is_image_media(address, None, _string(attachment.get("mime_type"))):
                entry.images.append(address)
    return entry


def _authors(holder: dict[str, Any]) -> list[str]:
    """Names from "authors" (1.1) or "author" (1.0)."""
    found = holder.get("authors")
    people = found if isinstance(found, list) else [holder.get("author")]
    names = [_string(person.get("name")) for person in people if isinstance(person, dict)]
    return [name for name in names if name]


def _string(value: object) -> str:
    """A JSON value as text: strings as they are, numbers as digits, anything else empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""
