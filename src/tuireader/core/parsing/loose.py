"""The robust path: feedparser, for broken XML and the formats the fast path leaves out.

feedparser is given a file object, never bytes or a string: with a string it would fetch a
URL, and with bytes that name a path it would open that file. HTML sanitizing and relative
URI rewriting are off (the document converter whitelists HTML; links are resolved in
``finish``), which also keeps its output comparable with the fast path's.
"""

from __future__ import annotations

import calendar
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from tuireader.core.parsing.cleaning import is_image_media, text_to_html
from tuireader.core.parsing.raw import RawEntry, RawFeed

_HARMLESS_PROBLEMS = ("CharacterEncodingOverride", "NonXMLContentType")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True, slots=True)
class XmlProblem:
    """Where and why a document is not well-formed."""

    line: int | None
    message: str


@dataclass(frozen=True, slots=True)
class LooseResult:
    """What feedparser made of a document: the feed, its format name, its XML problem."""

    feed: RawFeed
    version: str
    problem: XmlProblem | None


def parse_loose(data: bytes, url: str) -> LooseResult:
    """Parse UTF-8 XML bytes with feedparser; never raises on bad input."""
    try:
        result = _feedparser(data)
    except Exception as error:  # feedparser's own bugs on hostile input (KeyError, ValueError)
        return LooseResult(RawFeed(base=url), "", XmlProblem(None, _crash(error)))
    return _read_result(result, url)


def _feedparser(data: bytes) -> Any:
    return feedparser.parse(
        io.BytesIO(data),
        # No content-location: feedparser would resolve even a guid like "post-77" against it.
        response_headers={"content-type": "application/xml; charset=utf-8"},
        sanitize_html=False,
        resolve_relative_uris=False,
    )


def _read_result(result: Any, url: str) -> LooseResult:
    version = str(result.get("version") or "")
    is_atom = version.startswith("atom")
    head = result.get("feed", {})
    title_detail = head.get("title_detail") or {}
    feed = RawFeed(
        base=url,
        title=head.get("title", ""),
        title_is_html=_is_html(title_detail) if is_atom else None,
        link=head.get("link"),
        language=head.get("language"),
    )
    for item in result.get("entries", []):
        feed.entries.append(_entry(item, url, is_atom=is_atom, feed_language=feed.language))
    return LooseResult(feed, version, _problem(result))


def _entry(item: Any, url: str, *, is_atom: bool, feed_language: str | None) -> RawEntry:
    title_detail = item.get("title_detail") or {}
    summary_detail = item.get("summary_detail") or {}
    contents = item.get("content") or []
    details = [title_detail, summary_detail, *contents]
    entry = RawEntry(base=next((d["base"] for d in details if d.get("base")), url))
    entry.guid = item.get("id")
    entry.link = item.get("link")
    if not is_atom and item.get("guidislink") and entry.link == entry.guid:
        entry.link, entry.guid_is_link = None, True
    entry.title = item.get("title", "")
    entry.title_is_html = _is_html(title_detail) if is_atom else None
    author = item.get("author_detail") or {}
    entry.author = author.get("name") or item.get("author", "")
    # dict.get: feedparser's own get() answers "updated" with "published" when it is missing.
    entry.published = dict.get(item, "published")
    entry.updated = dict.get(item, "updated")
    entry.published_hint = _as_datetime(dict.get(item, "published_parsed"))
    entry.updated_hint = _as_datetime(dict.get(item, "updated_parsed"))
    # Without summary_detail, "summary" is feedparser's copy of the content: not the feed's.
    entry.summary = _body(summary_detail, is_atom) if summary_detail else ""
    entry.content = _body(contents[0], is_atom) if contents else ""
    entry.categories = [tag.get("label") or tag.get("term") or "" for tag in item.get("tags", [])]
    entry.language = item.get("language") or next(
        (d["language"] for d in details if d.get("language")), None
    )
    if entry.language == feed_language and not item.get("language"):
        entry.language = None
    entry.images = _images(item)
    return entry


def _crash(error: Exception) -> str:
    return f"the document could not be read ({type(error).__name__})"


def _dicts(value: Any) -> list[Any]:
    """The dictionaries of a feedparser list; hostile input can put strings there."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _body(detail: Any, is_atom: bool) -> str:
    value = str(detail.get("value", ""))
    if is_atom and detail.get("type") == "text/plain":
        return text_to_html(value)
    return value


def _is_html(detail: Any) -> bool:
    return detail.get("type") in _HTML_TYPES


def _images(item: Any) -> list[str]:
    images = [
        media["url"]
        for media in item.get("media_content", [])
        if media.get("url") and is_image_media(media["url"], media.get("medium"), media.get("type"))
    ]
    images += [media["url"] for media in item.get("media_thumbnail", []) if media.get("url")]
    images += [
        link["href"]
        for link in item.get("links", [])
        if link.get("rel") == "enclosure"
        and link.get("href")
        and str(link.get("type", "")).lower().startswith("image/")
    ]
    return images


def _as_datetime(parsed: Any) -> datetime | None:
    if parsed is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, TypeError, OSError):
        return None


def _problem(result: Any) -> XmlProblem | None:
    if not result.get("bozo"):
        return None
    error = result.get("bozo_exception")
    if error is None or type(error).__name__ in _HARMLESS_PROBLEMS:
        return None
    line = error.getLineNumber() if hasattr(error, "getLineNumber") else None
    message = error.getMessage() if hasattr(error, "getMessage") else str(error)
    return XmlProblem(line if isinstance(line, int) else None, str(message))
