"""Feed documents (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1) to ``ParsedFeed``.

Well-formed RSS, RDF and Atom 1.0 go through lxml (fast: about 40x feedparser, see
bench/parse.py); broken or unusual XML goes to feedparser, which recovers what it can;
JSON Feed has its own small reader. Both XML paths hand their findings to the same cleaning
step, so a well-formed feed gives the same result on either. ``parse_feed`` is synchronous,
keeps no shared state and is safe to call from worker threads.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tuireader.core.models import ParsedFeed
from tuireader.core.parsing.encoding import decode_body
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
from tuireader.text.sanitize import sanitize_text

__all__ = ["FeedParseError", "parse_feed"]

_MESSAGE_LIMIT = 160


class FeedParseError(Exception):
    """Nothing usable came out of a response. ``alternate``: the feed an HTML page names."""

    def __init__(self, message: str, *, alternate: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.alternate = alternate


def parse_feed(
    body: bytes, *, url: str, content_type: str | None = None, now: datetime | None = None
) -> ParsedFeed:
    """Parse a fetched feed body; raises ``FeedParseError`` only when nothing usable is in it.

    ``url`` is the feed's address (relative links resolve against it), ``content_type`` the
    HTTP header (its charset is honoured), ``now`` the clock used to reject future dates.
    """
    moment = now or datetime.now(UTC)
    if not body.strip():
        raise FeedParseError("empty response")
    if looks_binary(body):
        raise FeedParseError("not a feed (binary data)")
    decoded = decode_body(body, content_type)
    if decoded is None:
        raise FeedParseError("not a feed (binary data)")
    text = decoded.text
    kind = kind_of(text)
    if kind is Kind.HTML:
        alternate = alternate_feed_link(text, url)
        message = "not a feed: the server sent an HTML page"
        if alternate:
            message += f"; the page names its feed: {alternate}"
        raise FeedParseError(message, alternate=alternate)
    if kind is Kind.TEXT:
        raise FeedParseError("not a feed: the server sent text that is neither XML nor JSON")
    raw = _read_json(text, url) if kind is Kind.JSON else _read_xml(text, url)
    if decoded.note:
        raw.warnings.insert(0, decoded.note)
    return finish_feed(raw, moment)


def _read_json(text: str, url: str) -> RawFeed:
    try:
        return parse_json_feed(text, url)
    except NotJsonFeed as error:
        raise FeedParseError(str(error)) from None


def _read_xml(text: str, url: str) -> RawFeed:
    data, junk = prepare_xml(text)
    strict_problem: XmlProblem | None = None
    try:
        raw = parse_xml(data, url)
    except XMLSyntaxError as error:
        strict_problem = XmlProblem(error.lineno, str(error.msg))
    except NotForFastPath:
        pass
    else:
        _note_junk(raw, junk)
        return raw
    loose = parse_loose(data, url)
    raw = loose.feed
    problem = loose.problem or strict_problem
    if not raw.entries:
        if problem is not None:
            raise FeedParseError(f"{_describe(problem)} and no entries could be recovered")
        if not loose.version:
            name = first_element_name(text) or "?"
            raise FeedParseError(
                f"not a feed: XML, but not RSS, Atom or RDF (the document is <{name}>)"
            )
    elif problem is not None:
        count = len(raw.entries)
        recovered = "1 entry was" if count == 1 else f"{count} entries were"
        raw.warnings.append(f"the feed is broken ({_describe(problem)}); {recovered} recovered")
    _note_junk(raw, junk)
    return raw


def _describe(problem: XmlProblem) -> str:
    where = f" at line {problem.line}" if problem.line else ""
    # libxml2 quotes names from the document ("Entity 'x' not defined"): keep it short and safe.
    message = " ".join(sanitize_text(problem.message).split())[:_MESSAGE_LIMIT]
    return f"XML error{where}: {message}"


def _note_junk(raw: RawFeed, junk: int) -> None:
    if junk:
        raw.warnings.append(
            f"{junk} characters of other text came before the feed and were ignored"
        )
