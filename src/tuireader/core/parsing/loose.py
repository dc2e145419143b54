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
    """What feedparser made of a document: the feed, its format name, its XML problem.

    ``crash`` is set when feedparser itself failed (it does on some hostile input).
    """

    feed: RawFeed
    version: str
    problem: XmlProblem | None
    crash: str | None = None


def parse_loose(data: bytes, url: str) -> LooseResult:
    """Parse UTF-8 XML bytes with feedparser; never raises on bad input."""
    try:
        result = _feedparser(data)
    except Exception as error:  # feedparser's own bugs on hostile input (KeyError, ValueError)
        crash = f"the document could not be read ({type(error).__name__})"
        return LooseResult(RawFeed(base=url), "", None, crash)
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
    version = _text(result.get("version"))
    is_atom = version.startswith("atom")
    head = result.get("feed") if isinstance(result.get("feed"), dict) else {}
    title_detail = _detail(head, "title_detail")
    feed = RawFeed(
        base=url,
        title=_text(head.get("title")),
        title_is_html=_is_html(title_detail) if is_atom else None,
        link=_text(head.get("link")) or None,
        language=_text(head.get("language")) or None,
    )
    for item in _dicts(result.get("entries")):
        feed.entries.append(_entry(item, url, is_atom=is_atom, feed_language=feed.language))
    return LooseResult(feed, version, _problem(result))


def _entry(item: Any, url: str, *, is_atom: bool, feed_language: str | None) -> RawEntry:
    title_detail = _detail(item, "title_detail")
    summary_detail = _detail(item, "summary_detail")
    contents = _dicts(item.get("content"))
    details = [title_detail, summary_detail, *contents]
    entry = RawEntry(base=next((_text(d.get("base")) for d in details if d.get("base")), url))
    entry.guid = _text(item.get("id")) or None
    entry.link = _text(item.get("link")) or None
    if not is_atom and item.get("guidislink") and entry.link == entry.guid:
        entry.link, entry.guid_is_link = None, True
    entry.title = _text(item.get("title"))
    entry.title_is_html = _is_html(title_detail) if is_atom else None
    entry.author = _text(_detail(item, "author_detail").get("name")) or _text(item.get("author"))
    # dict.get: feedparser's own get() answers "updated" with "published" when it is missing.
    entry.published = _text(dict.get(item, "published")) or None
    entry.updated = _text(dict.get(item, "updated")) or None
    entry.published_hint = _as_datetime(dict.get(item, "published_parsed"))
    entry.updated_hint = _as_datetime(dict.get(item, "updated_parsed"))
    # Without summary_detail, "summary" is feedparser's copy of the content: not the feed's.
    entry.summary = _body(summary_detail, is_atom) if summary_detail else ""
    entry.content = _body(contents[0], is_atom) if contents else ""
    entry.categories = [
        _text(tag.get("label")) or _text(tag.get("term")) for tag in _dicts(item.get("tags"))
    ]
    own_language = _text(item.get("language"))
    inherited = next((_text(d.get("language")) for d in details if d.get("language")), "")
    entry.language = own_language or (inherited if inherited != feed_language else "") or None
    entry.images = _images(item)
    return entry


def _dicts(value: Any) -> list[Any]:
    """The dictionaries of a feedparser list; hostile input can put strings there."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _detail(holder: Any, key: str) -> Any:
    value = holder.get(key)
    return value if isinstance(value, dict) else {}


def _body(detail: Any, is_atom: bool) -> str:
    value = _text(detail.get("value"))
    if is_atom and detail.get("type") == "text/plain":
        return text_to_html(value)
    return value


def _is_html(detail: Any) -> bool:
    return detail.get("type") in _HTML_TYPES


def _images(item: Any) -> list[str]:
    images = [
        _text(media.get("url"))
        for media in _dicts(item.get("media_content"))
        if is_image_media(_text(media.get("url")), media.get("medium"), media.get("type"))
    ]
    images += [_text(media.get("url")) for media in _dicts(item.get("media_thumbnail"))]
    images += [
        _text(link.get("href"))
        for link in _dicts(item.get("links"))
        if link.get("rel") == "enclosure" and _text(link.get("type")).lower().startswith("image/")
    ]
    return [image for image in images if image]


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
