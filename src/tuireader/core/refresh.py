"""Refreshing feeds: fetch concurrently, parse in worker processes, store in batches."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from tuireader.core.config import Config
from tuireader.core.fetch import Fetcher, FetchSettings, backoff_delay
from tuireader.core.models import (
    Article,
    Feed,
    FetchOutcome,
    FetchRequest,
    FetchResult,
    FullText,
)
from tuireader.core.store import Store, StoreError, StoreResult, feed_settings, utcnow
from tuireader.core.threads import in_thread
from tuireader.core.workers import FeedPreparer, worker_count

if TYPE_CHECKING:
    from tuireader.core.fulltext import FullTextResult
    from tuireader.core.prepared import PreparedFeed


@dataclass(frozen=True, slots=True)
class FeedReport:
    """How one feed's refresh went, in words."""

    feed_id: int
    url: str
    title: str
    outcome: str  # a FetchOutcome value, or "parse_error"
    new: int = 0
    updated: int = 0
    error: str | None = None
    warning: str | None = None
    full_text_ids: tuple[int, ...] = ()  # new articles whose page should be fetched

    @property
    def failed(self) -> bool:
        return self.error is not None


@dataclass(slots=True)
class RefreshReport:
    """The outcome of a refresh of several feeds."""

    feeds: list[FeedReport] = field(default_factory=list)
    full_texts: int = 0  # full articles fetched and extracted
    skipped: list[FeedReport] = field(default_factory=list)  # gone, or held back by a server

    @property
    def failed(self) -> list[FeedReport]:
        return [f for f in self.feeds if f.failed]

    @property
    def new(self) -> int:
        return sum(f.new for f in self.feeds)

    def summary(self) -> str:
        fetched = len(self.feeds)
        failed = len(self.failed)
        words = f"{fetched} feed{'s' if fetched != 1 else ''} refreshed, {self.new} new"
        words += f", {failed} failed" if failed else ""
        return words + (f", {len(self.skipped)} skipped" if self.skipped else "")


Progress = Callable[[int, int, FeedReport], None]


def fetch_settings(config: Config) -> FetchSettings:
    """The fetcher's settings from the configuration."""
    fetch = config.fetch
    return FetchSettings(
        concurrency=fetch.concurrency,
        per_host=fetch.per_host,
        timeout=fetch.timeout,
        deadline=fetch.deadline,
        max_bytes=fetch.max_size_mb * 1024 * 1024,
    )


def feeds_to_refresh(feeds: Sequence[Feed], now: datetime, *, scheduled: bool) -> list[Feed]:
    """Feeds to fetch now.

    An explicit refresh takes every feed that is not gone and not held back by a server's
    Retry-After; a scheduled one only those whose next fetch time has come.
    """
    chosen = []
    for feed in feeds:
        if feed.gone:
            continue
        due = feed.next_fetch is None or feed.next_fetch <= now
        held_back = feed.retry_after is not None and feed.retry_after > now
        if (scheduled and due) or (not scheduled and not held_back):
            chosen.append(feed)
    return chosen


async def refresh(
    database: Path,
    config: Config,
    *,
    scheduled: bool = False,
    on_progress: Progress | None = None,
) -> RefreshReport:
    """Refresh the configured feeds into ``database`` and report per feed."""
    store = await in_thread(Store, database)
    # What a feed already holds is read through a connection of its own, so a feed's parsing
    # never waits for the writer's transaction (in WAL mode a reader sees the last commit,
    # and the writer compares entries again).
    lookup = await in_thread(Store, database)
    try:
        await in_thread(store.sync_feeds, config.feeds)
        now = utcnow()
        configured = {f.url for f in config.feeds}
        stored = [f for f in await in_thread(store.feeds) if f.config_url in configured]
        feeds = feeds_to_refresh(stored, now, scheduled=scheduled)
        report = await _refresh_feeds(store, lookup, config, feeds, on_progress)
        if not scheduled:  # an explicit refresh accounts for every feed
            chosen = {feed.id for feed in feeds}
            report.skipped = [_skipped(feed) for feed in stored if feed.id not in chosen]
        return report
    finally:
        store.close()
        lookup.close()


def _skipped(feed: Feed) -> FeedReport:
    """Why an explicit refresh left a feed alone, in words."""
    if feed.gone:
        why = "gone (410): no longer polled; remove it, or give it a new URL"
    else:
        until = feed.retry_after.isoformat(timespec="seconds") if feed.retry_after else "later"
        why = f"the server asked for no fetch before {until} (Retry-After)"
    return FeedReport(feed.id, feed.url, feed.title, "skipped", warning=why)


@dataclass(frozen=True, slots=True)
class _Fetched:
    """A fetch result on its way to the store, parsed and prepared when it has a body."""

    feed: Feed
    result: FetchResult
    prepared: PreparedFeed | Exception | None = None  # an exception: the body was unusable


# At most this many feeds per write transaction: fewer commits, but the reader's own writes
# (read, starred) never wait long for the lock.
BATCH_FEEDS = 25


async def _refresh_feeds(
    store: Store,
    lookup: Store,
    config: Config,
    feeds: list[Feed],
    on_progress: Progress | None,
) -> RefreshReport:
    """Fetch concurrently; parse and index in worker processes; write in batches.

    Three stages overlap: downloads on the event loop, parsing in ``core.workers``, and one
    writer that stores whatever is ready in one transaction, so a slow feed never holds up
    the others and commits stay few. Feeds that have come to share a URL (one moved to
    another's address) are fetched once and each gets the result.
    """
    by_url: dict[str, list[Feed]] = {}
    for feed in feeds:
        by_url.setdefault(feed.url, []).append(feed)
    requests = [_request(same) for same in by_url.values()]
    report = RefreshReport()
    ready: asyncio.Queue[_Fetched | None] = asyncio.Queue()
    interval = timedelta(minutes=config.fetch.refresh_interval)
    writer = asyncio.ensure_future(
        _write_ready(store, ready, interval, report, len(feeds), on_progress)
    )
    preparing: list[asyncio.Task[None]] = []
    try:
        async with Fetcher(fetch_settings(config)) as fetcher:
            async with FeedPreparer(worker_count(len(feeds))) as preparer:
                async with contextlib.aclosing(fetcher.fetch_many(requests)) as fetched:
                    async for result in fetched:
                        if writer.done():
                            break  # the writer failed: its error is raised below
                        for feed in by_url[result.url]:
                            if result.outcome is not FetchOutcome.OK:  # nothing to parse
                                ready.put_nowait(_Fetched(feed, result))
                                continue
                            job = _prepare(lookup, preparer, feed, result, ready)
                            preparing.append(asyncio.create_task(job))
                await asyncio.gather(*preparing)
            await ready.put(None)
            await writer
            wanted = await in_thread(_wanting_full_text, store, report)
            if wanted:
                from tuireader.core.fulltext import fetch_full_texts  # lxml, trafilatura

                pages = await fetch_full_texts(fetcher, store, wanted)
                report.full_texts = sum(page.document is not None for page in pages)
    finally:
        # After an error or a cancellation: nothing may go on writing through the store, and
        # what the tasks ended with is collected here (not reported later as "never retrieved").
        tasks = [*preparing, writer]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return report


def _request(feeds: list[Feed]) -> FetchRequest:
    """One request for feeds at one URL, conditional only when they agree on the validators."""
    first = feeds[0]
    validators = {(feed.etag, feed.last_modified) for feed in feeds}
    etag, modified = validators.pop() if len(validators) == 1 else (None, None)
    return FetchRequest(first.url, etag=etag, last_modified=modified)


async def _prepare(
    lookup: Store,
    preparer: FeedPreparer,
    feed: Feed,
    result: FetchResult,
    ready: asyncio.Queue[_Fetched | None],
) -> None:
    """Parse a feed's fetched body and hand it to the writer."""
    url = result.final_url or result.url
    content_type = result.headers.get("content-type")
    known = await in_thread(lookup.known_entries, feed.id)
    settings = feed_settings(feed)
    prepared: PreparedFeed | Exception
    try:
        prepared = await preparer.prepare(result.body, url, content_type, known, settings)
    except Exception as error:  # a bug in a parser costs this feed, not the refresh
        prepared = Exception(f"the feed could not be read (parser error: {error!r:.100})")
    result = replace(result, body=b"")  # the parsed feed is all the writer needs
    await ready.put(_Fetched(feed, result, prepared))


async def _write_ready(
    store: Store,
    ready: asyncio.Queue[_Fetched | None],
    interval: timedelta,
    report: RefreshReport,
    total: int,
    on_progress: Progress | None,
) -> None:
    """Store what is ready, a batch per transaction, until the None that ends the refresh."""
    finished = False
    while not finished:
        batch: list[_Fetched] = []
        item = await ready.get()
        while item is not None:
            batch.append(item)
            if len(batch) >= BATCH_FEEDS or ready.empty():
                break
            item = ready.get_nowait()
        finished = item is None
        if not batch:
            continue
        for outcome in await in_thread(_apply_batch, store, batch, interval):
            report.feeds.append(outcome)
            if on_progress is not None:
                on_progress(len(report.feeds), total, outcome)


def _apply_batch(store: Store, batch: list[_Fetched], interval: timedelta) -> list[FeedReport]:
    """Write a batch in one transaction.

    Should a feed break a constraint (removed meanwhile, say), the batch is rolled back and
    written again feed by feed, so that only that feed fails. Other errors (a full disk)
    abort the batch. No savepoint per feed: each one makes SQLite keep a journal of the
    pages it changes and FTS5 write its pending terms out, a third more work per article.
    The transaction opened here must be the outermost one: ``Store.transaction`` turns
    SQLite's errors into a ``StoreError`` there, and only there.
    """
    try:
        with store.transaction():
            return [_apply(store, item, interval) for item in batch]
    except StoreError as error:
        if not _broke_a_constraint(error):
            raise
    return [_apply_alone(store, item, interval) for item in batch]


def _apply_alone(store: Store, item: _Fetched, interval: timedelta) -> FeedReport:
    """Write one fetch result in a transaction of its own; a broken constraint, in words."""
    try:
        with store.transaction():
            return _apply(store, item, interval)
    except StoreError as error:
        if not _broke_a_constraint(error):
            raise
        feed = item.feed
        words = f"the feed could not be stored: {error.__cause__}"
        return FeedReport(feed.id, feed.url, feed.title, "error", error=words)


def _broke_a_constraint(error: StoreError) -> bool:
    return isinstance(error.__cause__, sqlite3.IntegrityError)


def _wanting_full_text(store: Store, report: RefreshReport) -> list[Article]:
    """The new articles whose page should be fetched."""
    ids = [article_id for feed in report.feeds for article_id in feed.full_text_ids]
    return [article for article in map(store.article, ids) if article is not None]


def _apply(store: Store, item: _Fetched, interval: timedelta) -> FeedReport:
    """Store one fetch result, and schedule the feed's next fetch."""
    feed, result, prepared = item.feed, item.result, item.prepared
    now = utcnow()
    retry = now + backoff_delay(feed.failures + 1)
    report = FeedReport(feed.id, feed.url, feed.title, result.outcome.value, error=result.error)
    if isinstance(prepared, Exception):  # a FeedParseError, in words
        # No validators kept: the next fetch must get the whole body to try again. Nor the
        # new URL: a feed that "moved" to a parking page has not moved.
        store.record_fetch(
            feed.id,
            status=result.status,
            error=str(prepared),
            next_fetch=retry,
            failed=True,
            keep_validators=False,
        )
        return replace(report, outcome="parse_error", error=str(prepared))
    if prepared is not None:
        stored: StoreResult = store.store_prepared(feed, prepared, now=now)
        wanted = {
            FullText.ALWAYS: stored.new_ids,
            FullText.AUTO: stored.new_teasers,
            FullText.NEVER: (),
        }[feed.full_text]
        store.record_fetch(
            feed.id,
            status=result.status,
            error=None,
            next_fetch=now + interval,
            etag=result.etag,
            last_modified=result.last_modified,
            keep_validators=False,
            new_url=result.permanent_url,
        )
        return replace(
            report,
            title=prepared.title or feed.title,
            new=stored.new,
            updated=stored.updated,
            warning=prepared.warning,
            full_text_ids=wanted,
        )
    gone = result.outcome is FetchOutcome.GONE
    failed = result.outcome is not FetchOutcome.NOT_MODIFIED
    next_fetch: datetime | None = {
        FetchOutcome.NOT_MODIFIED: now + interval,
        FetchOutcome.GONE: None,
        FetchOutcome.RETRY_LATER: result.retry_after or retry,
    }.get(result.outcome, retry)
    error = result.error or ("the feed is gone (410): no longer polled" if gone else None)
    store.record_fetch(
        feed.id,
        status=result.status,
        error=error if failed else None,
        next_fetch=next_fetch,
        etag=result.etag,
        last_modified=result.last_modified,
        new_url=None if failed else result.permanent_url,
        gone=gone,
        failed=failed,
        retry_after=result.retry_after,
    )
    return report


async def fetch_full_text_now(database: Path, config: Config, article_id: int) -> FullTextResult:
    """Fetch, extract and store one article's page on demand (whatever its feed's setting)."""
    from tuireader.core.fulltext import FullTextResult, fetch_full_texts

    store = await in_thread(Store, database)
    try:
        article = await in_thread(store.article, article_id)
        if article is None:
            return FullTextResult(article_id, None, f"no such article: {article_id}")
        async with Fetcher(fetch_settings(config)) as fetcher:
            [result] = await fetch_full_texts(fetcher, store, [article])
        return result
    finally:
        store.close()
