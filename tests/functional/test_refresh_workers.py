"""Parsing in worker processes and writing in batches give what one thread would give."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.feedgen import rss, rss_item
from tests.feedserver import FeedServer, Response, redirect
from tests.terminal import child_env
from tuireader.core import workers
from tuireader.core.config import Config, FeedConfig, FetchConfig
from tuireader.core.ingest import prepare_entries, prepare_feed
from tuireader.core.models import Direction
from tuireader.core.parse import parse_feed
from tuireader.core.prepared import FeedParseError, FeedSettings
from tuireader.core.refresh import RefreshReport, refresh
from tuireader.core.store import Store, StoreError
from tuireader.core.workers import FeedPreparer

FEEDS = 12  # more than POOL_MIN_FEEDS: a process pool where the machine has two cores
URL = "https://news.example/feed.xml"
SETTINGS = FeedSettings(URL, URL, None, Direction.AUTO)


def serve_feeds(server: FeedServer) -> list[str]:
    """Twelve feeds of five items each, one of them an HTML page, one with a hostile title."""
    urls = []
    for number in range(FEEDS):
        items = [rss_item(number * 100 + i) for i in range(5)]
        if number == 3:
            items[0] = rss_item(300, title="عنوان \x1b[31mملون\x1b[0m [b]x[/b]")
        body = rss(items, title=f"مصدر {number}")
        if number == 7:
            body = b"<html><body><p>not a feed</p></body></html>"
        server.routes[f"/feed{number}.xml"] = Response(body=body, headers={"ETag": f'"v{number}"'})
        urls.append(server.url(f"/feed{number}.xml"))
    return urls


def run(database: Path, urls: list[str]) -> RefreshReport:
    config = Config(
        feeds=tuple(FeedConfig(u) for u in urls), fetch=FetchConfig(deadline=10.0, timeout=5.0)
    )
    return asyncio.run(refresh(database, config))


def stored(database: Path) -> list[tuple[object, ...]]:
    """Everything a refresh wrote about articles and their index, in a stable order."""
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT f.config_url, a.key, a.title, a.section, a.content_hash, s.title, s.body"
            " FROM articles a JOIN feeds f ON f.id = a.feed_id JOIN search s ON s.rowid = a.id"
            " ORDER BY f.config_url, a.key"
        ).fetchall()


def test_processes_and_one_thread_store_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FeedServer() as server:
        urls = serve_feeds(server)
        pooled = run(tmp_path / "pooled.db", urls)
        monkeypatch.setattr(workers, "POOL_MIN_FEEDS", FEEDS + 1)
        threaded = run(tmp_path / "threaded.db", urls)
    for report in (pooled, threaded):
        assert report.new == (FEEDS - 1) * 5
        [failed] = report.failed
        assert failed.outcome == "parse_error" and "HTML" in (failed.error or "")
    rows = stored(tmp_path / "pooled.db")
    assert len(rows) == (FEEDS - 1) * 5
    assert rows == stored(tmp_path / "threaded.db")
    titles = [str(row[2]) for row in rows]
    assert "عنوان [31mملون[0m [b]x[/b]" in titles  # ESC removed, brackets kept as text


def test_a_second_refresh_finds_nothing_new_and_a_changed_item(tmp_path: Path) -> None:
    with FeedServer() as server:
        urls = serve_feeds(server)
        run(tmp_path / "db.sqlite", urls)
        edited = [rss_item(i, title="عنوان معدل") if i == 2 else rss_item(i) for i in range(5)]
        server.routes["/feed0.xml"] = Response(body=rss(edited, title="مصدر 0"))
        again = run(tmp_path / "db.sqlite", urls)
    assert again.new == 0
    assert sum(feed.updated for feed in again.feeds) == 1
    with Store(tmp_path / "db.sqlite") as store:
        [hit] = store.search_ids('"معدل"', limit=10)
        assert store.rows_by_id([hit])[0].title == "عنوان معدل"


async def test_a_worker_process_prepares_what_this_process_would() -> None:
    body = rss([rss_item(i) for i in range(4)] + [rss_item(1)])  # item 1 twice
    url = "https://news.example/feed.xml"
    async with FeedPreparer(1) as preparer:
        remote = await preparer.prepare(body, url, None, {}, SETTINGS)
        error = await preparer.prepare(
            b"<html><body>no</body></html>", url, "text/html", {}, SETTINGS
        )
    local = prepare_feed(body, url, None, {}, SETTINGS)
    assert not isinstance(remote, FeedParseError) and not isinstance(local, FeedParseError)
    assert remote.changed == local.changed
    assert len(remote.changed) == 4  # the repeated item counts once
    assert (remote.title, remote.warning) == (local.title, local.warning)
    assert isinstance(error, FeedParseError) and "HTML" in str(error)


def test_only_new_and_changed_entries_are_prepared() -> None:
    parsed = parse_feed(rss(range(1, 6)), url="https://news.example/feed.xml")
    first = prepare_entries(parsed, {}, SETTINGS)
    known = {change.key: change.digest for change in first.changed}
    assert prepare_entries(parsed, known, SETTINGS).changed == ()
    del known[first.changed[0].key]
    known[first.changed[1].key] = "an older digest"
    again = prepare_entries(parsed, known, SETTINGS)
    assert [c.key for c in again.changed] == [c.key for c in first.changed[:2]]


def test_writes_of_a_batch_commit_together_or_not_at_all(tmp_path: Path) -> None:
    parsed = parse_feed(rss(range(1, 4)), url="https://news.example/feed.xml")
    with Store(tmp_path / "db.sqlite") as store:
        store.sync_feeds([FeedConfig("https://news.example/feed.xml")])
        [feed] = store.feeds()
        with pytest.raises(StoreError), store.transaction():
            store.store_feed(feed, parsed, now=parsed.entries[0].published)  # type: ignore[arg-type]
            with store.transaction() as db:  # joins the outer one
                db.execute("INSERT INTO nowhere VALUES (1)")
        assert store.count() == 0
        with store.transaction():
            store.store_feed(feed, parsed, now=parsed.entries[0].published)  # type: ignore[arg-type]
            store.record_fetch(feed.id, status=200, error=None, next_fetch=None)
        assert store.count() == 3


NO_DESCRIPTOR_STDERR = """
import asyncio, sys

class Capture:  # what Textual puts in sys.stderr while the reader runs: no file descriptor
    def write(self, text): return len(text)
    def flush(self): pass
    def fileno(self): return -1

from tests.feedgen import rss
from tuireader.core.prepared import FeedSettings
from tuireader.core.models import Direction
from tuireader.core.workers import FeedPreparer

SETTINGS = FeedSettings("https://news.example/f.xml", "t", None, Direction.AUTO)

async def main():
    sys.stderr = Capture()
    async with FeedPreparer(1) as preparer:
        result = await preparer.prepare(rss(range(3)), SETTINGS.url, None, {}, SETTINGS)
        print(type(result).__name__, preparer.in_processes)

if __name__ == "__main__":
    asyncio.run(main())
"""


def test_the_pool_starts_when_stderr_has_no_descriptor(tmp_path: Path) -> None:
    script = tmp_path / "start.py"
    script.write_text(NO_DESCRIPTOR_STDERR, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=child_env(), timeout=120
    )
    assert done.stdout.split() == ["PreparedFeed", "True"], done.stdout + done.stderr


PARSERS_STAY_IN_WORKERS = """
import asyncio, sys
from pathlib import Path
from tuireader.core.config import Config, FeedConfig, FetchConfig
from tuireader.core.models import FullText
from tuireader.core.refresh import refresh

if __name__ == "__main__":
    # No full text: fetching article pages loads the page extractor, lxml included.
    feeds = tuple(FeedConfig(u, full_text=FullText.NEVER) for u in sys.argv[2:])
    config = Config(feeds=feeds, fetch=FetchConfig(timeout=5.0))
    report = asyncio.run(refresh(Path(sys.argv[1]), config))
    print(report.new, sorted(m for m in ("tuireader.core.ingest", "lxml") if m in sys.modules))
"""


def test_a_refresh_parsing_in_workers_never_loads_the_parsers_here(tmp_path: Path) -> None:
    if workers.worker_count(FEEDS) == 0:
        pytest.skip("one core: parsing runs in a thread")
    script = tmp_path / "refresh.py"
    script.write_text(PARSERS_STAY_IN_WORKERS, encoding="utf-8")
    with FeedServer() as server:
        urls = serve_feeds(server)
        done = subprocess.run(
            [sys.executable, str(script), str(tmp_path / "db.sqlite"), *urls],
            capture_output=True,
            text=True,
            env=child_env(),
            timeout=120,
        )
    assert done.stdout.split() == [str((FEEDS - 1) * 5), "[]"], done.stdout + done.stderr


async def test_a_worker_killed_while_idle_leaves_the_rest_to_threads() -> None:
    url = "https://news.example/feed.xml"
    async with FeedPreparer(1) as preparer:
        first = await preparer.prepare(rss(range(1, 4)), url, None, {}, SETTINGS)
        assert preparer.in_processes and not isinstance(first, Exception)
        pool = preparer._starting.result()  # type: ignore[union-attr]
        for process in list(pool._processes.values()):
            process.kill()
            process.join(timeout=10)
        second = await preparer.prepare(rss(range(4, 9)), url, None, {}, SETTINGS)
    assert not isinstance(second, Exception) and len(second.changed) == 5
    assert not preparer.in_processes


LEAVING_MID_PARSE = """
import asyncio, time

from tests.feedgen import rss, rss_item
from tuireader.core.prepared import FeedSettings
from tuireader.core.models import Direction
from tuireader.core.workers import FeedPreparer

async def main():
    url = "https://news.example/feed.xml"
    settings = FeedSettings(url, url, None, Direction.AUTO)
    big = rss([rss_item(n) for n in range(30_000)])  # seconds of parsing, megabytes to send
    try:
        async with FeedPreparer(1) as preparer:
            await preparer.prepare(rss(range(2)), url, None, {}, settings)  # the pool runs
            jobs = [
                asyncio.create_task(preparer.prepare(big, url, None, {}, settings)) for _ in "ab"
            ]
            await asyncio.sleep(0.5)  # one parses, the other is on its way down the pipe
            raise KeyError("the refresh failed")
    except KeyError:
        print("left", flush=True)
    for job in jobs:
        job.cancel()
    await asyncio.gather(*jobs, return_exceptions=True)

if __name__ == "__main__":
    asyncio.run(main())
"""


def test_leaving_after_an_error_stops_long_parses_at_once(tmp_path: Path) -> None:
    script = tmp_path / "leave.py"
    script.write_text(LEAVING_MID_PARSE, encoding="utf-8")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=child_env(), timeout=60
    )
    assert done.stdout.split() == ["left"], done.stdout + done.stderr
    assert done.returncode == 0, done.stderr
    # Start-up and the first feed take a second or two; the two big parses would take many.
    assert time.monotonic() - started < 8.0


async def test_a_waiting_prepare_ends_cleanly_when_the_refresh_ends_first() -> None:
    url = "https://news.example/feed.xml"
    with pytest.raises(KeyError):
        async with FeedPreparer(1) as preparer:
            waiting = [
                asyncio.create_task(preparer.prepare(rss(range(3)), url, None, {}, SETTINGS))
            ]
            await asyncio.sleep(0)  # the pool is starting
            raise KeyError("cancelled")
    [outcome] = await asyncio.gather(*waiting, return_exceptions=True)
    assert not isinstance(outcome, AttributeError), outcome


def test_one_feed_that_cannot_be_stored_does_not_cost_the_others(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite"
    with Store(database):  # the schema, then a rule that refuses one title
        pass
    with sqlite3.connect(database) as db:
        db.execute(
            "CREATE TRIGGER poison BEFORE INSERT ON articles WHEN NEW.title = 'poison'"
            " BEGIN SELECT RAISE(ABORT, 'refused by a rule'); END"
        )
    with FeedServer() as server:
        urls = serve_feeds(server)
        items = [rss_item(9000 + n) for n in range(3)] + [rss_item(9999, title="poison")]
        server.routes["/feed0.xml"] = Response(body=rss(items, title="مصدر 0"))
        report = run(database, urls)
    failed = {feed.url: feed.error for feed in report.failed}
    assert set(failed) == {urls[0], urls[7]}  # the refused feed, and the HTML page
    assert "refused by a rule" in (failed[urls[0]] or "")
    assert report.new == (FEEDS - 2) * 5
    with Store(database) as store:
        assert store.count() == (FEEDS - 2) * 5  # nothing of the refused feed
        assert store.integrity_ok()


def test_feeds_that_came_to_share_a_url_are_both_refreshed(tmp_path: Path) -> None:
    with FeedServer() as server:
        server.routes["/new.xml"] = Response(body=rss(range(1, 4)))
        server.routes["/old.xml"] = redirect(server.url("/new.xml"), status=301)
        urls = [server.url("/old.xml"), server.url("/new.xml")]
        run(tmp_path / "db.sqlite", urls)  # the old feed moves to the new address
        server.routes["/new.xml"] = Response(body=rss(range(1, 6)))
        again = run(tmp_path / "db.sqlite", urls)
    assert sorted(feed.new for feed in again.feeds) == [2, 2]
    assert len({feed.feed_id for feed in again.feeds}) == 2
