"""Feed documents (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1) to ``ParsedFeed``.

Well-formed RSS, RDF and Atom 1.0 go through lxml (9 to 25 times faster than feedparser,
see bench/parse.py); broken or unusual XML goes to feedparser, which recovers what it can;
JSON Feed has its own small reader. Both XML paths hand their findings to the same cleaning
step, so a well-formed feed gives the same result on either. ``parse_feed`` is synchronous,
keeps no shared state and is safe to call from worker threads.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

from tuireader.core.models import ParsedFeed
from tuireader.core.parsing.encoding import DecodedBody, decode_body
from tuireader.core.parsing.finish import finish_feed
from tuireader.core.parsing.jsonfeed import NotJsonFeed, parse_json_feed
from tuireader.core.parsing.loose import XmlProblem, parse_loose
from tuireader.core.parsing.raw import RawFeed
from tuireader.core.parsing.sniff import (
    Kind,
    alternate_feed_link,
    first_element_name,
    kind_of,
    looks_binary,
    prepare_xml,
)
from tuireader.core.parsing.xml_fast import NotForFastPath, XMLSyntaxError, parse_xml
from tuireader.core.prepared import FeedParseError
from tuireader.text.sanitize import sanitize_text

__all__ = ["FeedParseError", "parse_feed"]

_MESSAGE_LIMIT = 160
_POSITION = re.compile(r",? line \d+, column \d+$")
_RESOURCE_LIMIT = re.compile(r"excessive depth|limit|amplification", re.IGNORECASE)


def parse_feed(
    body: bytes, *, url: str, content_type: str | None = None, now: datetime | None = None
) -> ParsedFeed:
    """Parse a fetched feed body; raises ``FeedParseError`` only when nothing usable is in it.

    ``url`` is the feed's address (relative links resolve against it), ``content_type`` the
    HTTP header (its charset is honoured), ``now`` the clock used to reject future dates.
    """
    moment = now or datetime.now(UTC)
    decoded = _decode(body, content_type)
    kind = _feed_kind(decoded.text, url)
    if kind is Kind.JSON:
        raw, problem = _read_json(decoded.text, url), None
    else:
        raw, problem = _read_xml(decoded, url)
    if decoded.note:
        raw.warnings.insert(0, decoded.note)
    return _with_problem(finish_feed(raw, moment), problem)


def _decode(body: bytes, content_type: str | None) -> DecodedBody:
    if not body.strip():
        raise FeedParseError("empty response")
    decoded = None if looks_binary(body) else decode_body(body, content_type)
    if decoded is None:
        raise FeedParseError("not a feed (binary data)")
    if not decoded.text.strip("\ufeff \t\r\n"):
        raise FeedParseError("empty response")
    return decoded


def _feed_kind(text: str, url: str) -> Kind:
    """JSON or XML; anything else is refused in words."""
    kind = kind_of(text)
    if kind is Kind.HTML:
        alternate = alternate_feed_link(text, url)
        message = "not a feed: the server sent an HTML page"
        if alternate:
            message += f"; the page names its feed: {alternate}"
        raise FeedParseError(message, alternate=alternate)
    if kind is Kind.TEXT:
        raise FeedParseError("not a feed: the server sent text that is neither XML nor JSON")
    return kind


def _with_problem(feed: ParsedFeed, problem: XmlProblem | None) -> ParsedFeed:
    """``feed`` with a warning about broken XML, or an error when nothing was recovered."""
    if problem is None:
        return feed
    if not feed.entries:
        raise FeedParseError(f"{_describe(problem)} and no entries could be recovered")
    count = len(feed.entries)
    recovered = "1 entry was" if count == 1 else f"{count} entries were"
    broken = f"the feed is broken ({_describe(problem)}); {recovered} recovered"
    return replace(feed, warning=f"{feed.warning}; {broken}" if feed.warning else broken)


def _read_json(text: str, url: str) -> RawFeed:
    try:
        return parse_json_feed(text, url)
    except NotJsonFeed as error:
        raise FeedParseError(str(error)) from None


def _read_xml(decoded: DecodedBody, url: str) -> tuple[RawFeed, XmlProblem | None]:
    """The feed and, when the XML is broken, what is wrong with it."""
    text = decoded.text
    data, junk = prepare_xml(text, decoded.utf8)
    strict_problem: XmlProblem | None = None
    try:
        raw = parse_xml(data, url)
    except XMLSyntaxError as error:
        strict_problem = XmlProblem(error.lineno, str(error.msg))
        if _RESOURCE_LIMIT.search(strict_problem.message):
            # Absurd nesting or a giant text node: no feed needs it, and feedparser's loose
            # parser would spend seconds on it.
            raise FeedParseError(_too_big(strict_problem)) from None
    except NotForFastPath:
        pass
    else:
        _note_junk(raw, junk)
        return raw, None
    loose = parse_loose(data, url)
    crash = XmlProblem(None, loose.crash) if loose.crash else None
    problem = loose.problem or strict_problem or crash
    if not loose.feed.entries and problem is None and not loose.version:
        name = first_element_name(text) or "?"
        raise FeedParseError(
            f"not a feed: XML, but not RSS, Atom or RDF (the document is <{name}>)"
        )
    _note_junk(loose.feed, junk)
    return loose.feed, problem


def _describe(problem: XmlProblem) -> str:
    where = f" at line {problem.line}" if problem.line else ""
    # libxml2 quotes names from the document ("Entity 'x' not defined"): keep it short and safe.
    message = _POSITION.sub("", " ".join(sanitize_text(problem.message).split()))
    return f"XML error{where}: {message[:_MESSAGE_LIMIT]}"


def _too_big(problem: XmlProblem) -> str:
    if "depth" in problem.message.lower():
        return "not a usable feed: the XML is nested more than 256 levels deep"
    return "not a usable feed: the XML is too large to read safely (a text of over 10 MB)"


def _note_junk(raw: RawFeed, junk: int) -> None:
    if junk:
        raw.warnings.append(
            f"{junk} characters of other text came before the feed and were ignored"
        )
