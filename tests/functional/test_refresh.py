"""Refreshing real feeds from a real local server into a real SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from tests.feedgen import rss
from tests.feedserver import FeedServer, Response, redirect
from tuireader.core.config import Config, FeedConfig, FetchConfig
from tuireader.core.refresh import refresh
from tuireader.core.store import ArticleQuery, Store


def run(database: Path, *urls: str, **options: object) -> object:
    config = Config(
        feeds=tuple(FeedConfig(u) for u in urls), fetch=FetchConfig(deadline=5.0, timeout=2.0)
    )
    return asyncio.run(refresh(database, config, **options))  # type: ignore[arg-type]


def test_one_bad_feed_never_stops_the_others(server: FeedServer, tmp_path: Path) -> None:
    server.routes["/good.xml"] = Response(body=rss(range(1, 11)), headers={"ETag": '"v1"'})
    server.routes["/broken.xml"] = Response(status=500, body=b"oops")
    server.routes["/html"] = Response(
        body=b"<html><head><title>Hi</title></head><body><p>not a feed</p></body></html>",
        headers={"Content-Type": "text/html"},
    )
    db = tmp_path / "db.sqlite"
    report = run(db, server.url("/good.xml"), server.url("/broken.xml"), server.url("/html"))
    by_url = {f.url: f for f in report.feeds}  # type: ignore[attr-defined]
    good = by_url[server.url("/good.xml")]
    assert (good.outcome, good.new, good.error) == ("ok", 10, None)
    assert "500" in (by_url[server.url("/broken.xml")].error or "")
    assert by_url[server.url("/html")].outcome == "parse_error"
    assert "HTML" in (by_url[server.url("/html")].error or "")
    with Store(db) as store:
        assert store.count() == 10
        feeds = {f.url: f for f in store.feeds()}
        assert feeds[server.url("/broken.xml")].failures == 1
        assert feeds[server.url("/good.xml")].title == "أخبار الاختبار"
        assert feeds[server.url("/good.xml")].etag == '"v1"'


def test_a_feed_removed_during_the_refresh_fails_alone(server: FeedServer, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    urls = [server.url(f"/feed{n}.xml") for n in range(6)]
    removed = urls[3]
    for n in range(len(urls)):
        server.routes[f"/feed{n}.xml"] = Response(body=rss(range(n * 10, n * 10 + 5)), delay=0.2)

    def remove_then_answer(request):  # type: ignore[no-untyped-def]
        # As `tuireader feeds remove` would from another process, after the refresh began.
        with sqlite3.connect(db) as other:
            other.execute("DELETE FROM feeds WHERE config_url = ?", (removed,))
        return Response(body=rss(range(100, 105)), delay=0.2)

    server.routes["/feed3.xml"] = remove_then_answer
    report = run(db, *urls)
    by_url = {f.url: f for f in report.feeds}  # type: ignore[attr-defined]
    assert by_url[removed].error == "the feed could not be stored: FOREIGN KEY constraint failed"
    assert [by_url[url].new for url in urls if url != removed] == [5] * 5
    with Store(db) as store:
        assert store.count() == 25
        assert removed not in {feed.url for feed in store.feeds()}


def test_conditional_get_gives_not_modified(server: FeedServer, tmp_path: Path) -> None:
    def answer(request):  # type: ignore[no-untyped-def]
        if request.headers.get("if-none-match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(body=rss(range(1, 4)), headers={"ETag": '"v1"'})

    server.routes["/feed.xml"] = answer
    db = tmp_path / "db.sqlite"
    run(db, server.url("/feed.xml"))
    second = run(db, server.url("/feed.xml"))
    assert [f.outcome for f in second.feeds] == ["not_modified"]  # type: ignore[attr-defined]
    assert server.requests("/feed.xml")[-1].headers["if-none-match"] == '"v1"'
    with Store(db) as store:
        assert store.count() == 3


def test_new_items_are_added_and_state_kept(server: FeedServer, tmp_path: Path) -> None:
    server.routes["/feed.xml"] = Response(body=rss(range(1, 4)))
    db = tmp_path / "db.sqlite"
    run(db, server.url("/feed.xml"))
    with Store(db) as store:
        first = store.articles()[0]
        store.set_starred([first.id])
        store.set_read([first.id])
    server.routes["/feed.xml"] = Response(body=rss(range(1, 6)))
    report = run(db, server.url("/feed.xml"))
    assert report.feeds[0].new == 2  # type: ignore[attr-defined]
    with Store(db) as store:
        kept = store.rows_by_id([first.id])[0]
        assert kept.starred and kept.read
        assert store.count(ArticleQuery(unread=True)) == 4


def test_permanent_redirect_moves_the_feed(server: FeedServer, tmp_path: Path) -> None:
    server.routes["/new.xml"] = Response(body=rss(range(1, 3)))
    server.routes["/old.xml"] = redirect(server.url("/new.xml"), status=301)
    db = tmp_path / "db.sqlite"
    run(db, server.url("/old.xml"))
    with Store(db) as store:
        assert store.feeds()[0].url == server.url("/new.xml")
        store.set_starred([store.articles()[0].id])
    run(db, server.url("/old.xml"))
    assert server.hits("/old.xml") == 1  # the second refresh went straight to the new URL
    with Store(db) as store:
        assert store.count() == 2
        assert store.count(ArticleQuery(starred=True)) == 1


def test_writing_a_moved_feeds_new_url_in_the_config_keeps_it_one_feed(
    server: FeedServer, tmp_path: Path
) -> None:
    server.routes["/new.xml"] = Response(body=rss(range(1, 4)))
    server.routes["/old.xml"] = redirect(server.url("/new.xml"), status=301)
    db = tmp_path / "db.sqlite"
    run(db, server.url("/old.xml"))
    with Store(db) as store:
        store.set_starred([store.articles()[0].id])
        store.set_read([store.articles()[1].id])
    report = run(db, server.url("/new.xml"))  # the config now says where it moved
    assert [(f.outcome, f.new) for f in report.feeds] == [("ok", 0)]  # type: ignore[attr-defined]
    with Store(db) as store:
        assert [(f.config_url, f.url) for f in store.feeds()] == [
            (server.url("/new.xml"), server.url("/new.xml"))
        ]
        assert store.count() == 3
        assert store.count(ArticleQuery(starred=True)) == 1
        assert store.count(ArticleQuery(unread=True)) == 2


def test_a_permanent_redirect_to_a_page_that_is_no_feed_is_not_a_move(
    server: FeedServer, tmp_path: Path
) -> None:
    server.routes["/parking.html"] = Response(
        body=b"<html><body><p>This domain is for sale</p></body></html>",
        headers={"Content-Type": "text/html"},
    )
    server.routes["/feed.xml"] = redirect(server.url("/parking.html"), status=301)
    db = tmp_path / "db.sqlite"
    report = run(db, server.url("/feed.xml"))
    assert report.feeds[0].outcome == "parse_error"  # type: ignore[attr-defined]
    server.routes["/feed.xml"] = Response(body=rss(range(1, 3)))  # the site is back
    again = run(db, server.url("/feed.xml"))
    assert [(f.outcome, f.new) for f in again.feeds] == [("ok", 2)]  # type: ignore[attr-defined]
    with Store(db) as store:
        assert store.feeds()[0].url == server.url("/feed.xml")


def test_gone_feeds_stop_being_polled(server: FeedServer, tmp_path: Path) -> None:
    server.routes["/gone.xml"] = Response(status=410)
    db = tmp_path / "db.sqlite"
    first = run(db, server.url("/gone.xml"))
    assert first.feeds[0].outcome == "gone"  # type: ignore[attr-defined]
    second = run(db, server.url("/gone.xml"))
    assert second.feeds == []  # type: ignore[attr-defined]
    [skipped] = second.skipped  # type: ignore[attr-defined]
    assert (skipped.outcome, skipped.url) == ("skipped", server.url("/gone.xml"))
    assert "gone (410)" in (skipped.warning or "")
    assert second.summary() == "0 feeds refreshed, 0 new, 1 skipped"  # type: ignore[attr-defined]
    assert server.hits("/gone.xml") == 1


def test_retry_after_holds_the_feed_back(server: FeedServer, tmp_path: Path) -> None:
    server.routes["/busy.xml"] = Response(status=429, headers={"Retry-After": "120"})
    db = tmp_path / "db.sqlite"
    before = datetime.now(UTC)
    first = run(db, server.url("/busy.xml"))
    assert first.feeds[0].outcome == "retry_later"  # type: ignore[attr-defined]
    with Store(db) as store:
        next_fetch = store.feeds()[0].next_fetch
        assert next_fetch is not None
        assert 100 <= (next_fetch - before).total_seconds() <= 140
    second = run(db, server.url("/busy.xml"))
    assert second.feeds == []  # type: ignore[attr-defined]
    [skipped] = second.skipped  # type: ignore[attr-defined]
    assert "Retry-After" in (skipped.warning or "")
    assert server.hits("/busy.xml") == 1


def test_a_busy_server_without_retry_after_is_asked_again_by_an_explicit_refresh(
    server: FeedServer, tmp_path: Path
) -> None:
    server.routes["/busy.xml"] = Response(status=503)
    db = tmp_path / "db.sqlite"
    first = run(db, server.url("/busy.xml"))
    assert first.feeds[0].outcome == "retry_later"  # type: ignore[attr-defined]
    with Store(db) as store:
        [feed] = store.feeds()
        assert feed.retry_after is None
        assert feed.next_fetch is not None and feed.next_fetch > datetime.now(UTC)  # backoff
    assert run(db, server.url("/busy.xml"), scheduled=True).feeds == []  # type: ignore[attr-defined]
    server.routes["/busy.xml"] = Response(body=rss(range(1, 3)))
    second = run(db, server.url("/busy.xml"))
    assert [(f.outcome, f.new) for f in second.feeds] == [("ok", 2)]  # type: ignore[attr-defined]
    assert server.hits("/busy.xml") == 2


def test_scheduled_refresh_only_takes_due_feeds(server: FeedServer, tmp_path: Path) -> None:
    server.routes["/feed.xml"] = Response(body=rss(range(1, 3)))
    db = tmp_path / "db.sqlite"
    run(db, server.url("/feed.xml"))
    scheduled = run(db, server.url("/feed.xml"), scheduled=True)
    assert scheduled.feeds == []  # type: ignore[attr-defined]
    explicit = run(db, server.url("/feed.xml"))
    assert len(explicit.feeds) == 1  # type: ignore[attr-defined]
