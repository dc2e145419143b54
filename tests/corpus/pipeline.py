"""One corpus file through the real path: parse → store (SQLite) → layout, with checks.

Every step is the application's own code. A ``FeedParseError`` (or ``OPMLError``) is a clear
refusal and fine; any other exception is a crash, reported with the step and the place in
our code where it was raised.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

from tests.corpus.agreement import Check, check
from tests.corpus.annotations import expectations, read_annotations
from tests.corpus.archive import CorpusFile, is_opml
from tests.corpus.invariants import forbidden_in_text, line_problems, parsed_feed_problems
from tuireader.core.config import FeedConfig
from tuireader.core.models import ParsedFeed
from tuireader.core.opml import OPMLError, read_opml
from tuireader.core.parse import FeedParseError, parse_feed
from tuireader.core.parsing.encoding import DecodedBody, decode_body
from tuireader.core.reading import ArticleLayout
from tuireader.core.store import ArticleQuery, Store
from tuireader.text import layout_paragraph

# feedparser's own harness serves its files from this address; expected links use it.
HARNESS_ROOT = "http://127.0.0.1:8097/"
# A fixed clock: dates are judged against it, so the run is the same every day.
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
ARTICLE_WIDTH = 60
TITLE_WIDTH = 40
_MESSAGE_LIMIT = 200


@dataclass(slots=True)
class FileReport:
    """What happened to one file. ``outcome``: "parsed", "parse error", "crash"."""

    name: str
    outcome: str = "parsed"
    message: str = ""  # the parse error, or the crash with its step and place
    seconds: float = 0.0
    entries: int = 0  # in the parsed feed
    articles: int = 0  # stored, read back and laid out
    lines: int = 0  # screen lines of those articles
    problems: list[str] = field(default_factory=list)  # invariant violations
    checks: list[Check] = field(default_factory=list)
    opml: str = ""  # for OPML files: "read: N feeds, M refused" or "refused: 'why'"


class Crash(Exception):
    """An unexpected exception, with the step it happened in."""

    def __init__(self, step: str, error: BaseException) -> None:
        super().__init__(f"{step}: {describe_exception(error)}")


def describe_exception(error: BaseException) -> str:
    """``Type: message`` and the innermost frame in our code (or the innermost at all)."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if "tuireader" in frame.filename] or frames
    where = ""
    if ours:
        frame = ours[-1]
        where = f" at {Path(frame.filename).name}:{frame.lineno} ({frame.name})"
    text = f"{type(error).__name__}: {error}"[:_MESSAGE_LIMIT]
    return repr(text)[1:-1] + where  # repr: the message may quote hostile input


def document_url(file: CorpusFile, content_location: str | None) -> str:
    """Where the harness would have served the file; an emulated ``Content-Location`` header
    becomes the base when it is an http(s) URL, as in HTTP."""
    url = HARNESS_ROOT + file.name
    if content_location:
        located = urljoin(url, content_location)
        if located.startswith(("http://", "https://")):
            return located
    return url


def run_file(file: CorpusFile, store: Store, *, with_expectations: bool) -> FileReport:
    """Parse, store and lay out ``file``; never raises for a problem of the file."""
    report = FileReport(file.name)
    started = time.perf_counter()
    try:
        _run(file, store, report, with_expectations)
    except Crash as crash:
        report.outcome = "crash"
        report.message = str(crash)
    report.seconds = time.perf_counter() - started
    return report


def _run(file: CorpusFile, store: Store, report: FileReport, with_expectations: bool) -> None:
    notes = read_annotations(file.data)
    url = document_url(file, notes.content_location)
    parsed: ParsedFeed | None = None
    try:
        parsed = parse_feed(file.data, url=url, content_type=notes.content_type, now=NOW)
    except FeedParseError as error:
        report.outcome = "parse error"
        report.message = error.message
        report.problems += _message_problems(error.message)
    except Exception as error:
        raise Crash("parse", error) from error
    if with_expectations:
        decoded = _decoded(file.data, notes.content_type)
        report.checks = [check(e, parsed, file.data, decoded) for e in expectations(notes.expect)]
    if is_opml(file):
        report.opml = _read_opml(file.data, report)
    if parsed is None:
        return
    report.entries = len(parsed.entries)
    report.problems += parsed_feed_problems(parsed)
    report.problems += line_problems(
        "feed title", layout_paragraph(parsed.title, TITLE_WIDTH), TITLE_WIDTH
    )
    _store_and_lay_out(file, store, parsed, report)


def _decoded(body: bytes, content_type: str | None) -> DecodedBody | None:
    try:
        return decode_body(body, content_type)
    except Exception as error:
        raise Crash("decode", error) from error


def _message_problems(message: str) -> list[str]:
    bad = forbidden_in_text(message, newline=False)
    return [f"error message holds {', '.join(bad)}"] if bad else []


def _read_opml(data: bytes, report: FileReport) -> str:
    try:
        found = read_opml(data)
    except OPMLError as error:
        report.problems += _message_problems(str(error))
        return f"refused: {str(error)[:_MESSAGE_LIMIT]!r}"
    except Exception as error:
        raise Crash("opml", error) from error
    for feed in found.feeds:
        texts = (feed.url, feed.title or "", feed.section or "")
        if not feed.url.startswith(("http://", "https://")):
            report.problems.append(f"OPML feed URL is not http(s): {feed.url[:80]!r}")
        for text in texts:
            bad = forbidden_in_text(text, newline=False)
            if bad:
                report.problems.append(f"OPML feed holds {', '.join(bad)}")
    return f"read: {len(found.feeds)} feeds, {len(found.refused)} refused"


def _store_and_lay_out(
    file: CorpusFile, store: Store, parsed: ParsedFeed, report: FileReport
) -> None:
    # One subscription per file, the previous one pruned with its articles: the store stays
    # small, and files that share a base URL never see each other's articles.
    try:
        store.sync_feeds([FeedConfig(HARNESS_ROOT + file.name)], prune=True)
        feed = store.feeds()[0]
        store.store_feed(feed, parsed, now=NOW)
        rows = store.articles(ArticleQuery(feed_id=feed.id), limit=10_000)
        articles = [store.article(row.id) for row in rows]
    except Exception as error:
        raise Crash("store", error) from error
    if len(rows) > len(parsed.entries):
        report.problems.append(f"{len(rows)} articles stored from {len(parsed.entries)} entries")
    for article in articles:
        if article is None:
            report.problems.append("a listed article cannot be read back")
            continue
        try:
            layout = ArticleLayout(article, bidi="app", shape="on", meta="x")
            lines = [line.text for line in layout.lines(ARTICLE_WIDTH)]
            title_lines = layout_paragraph(article.title, TITLE_WIDTH)
        except Exception as error:
            raise Crash("layout", error) from error
        report.articles += 1
        report.lines += len(lines)
        report.problems += line_problems(f"article {article.id}", lines, ARTICLE_WIDTH)
        report.problems += line_problems(f"title {article.id}", title_lines, TITLE_WIDTH)
