import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tuireader.core.config import FeedConfig
from tuireader.core.ingest import entry_key
from tuireader.core.models import Direction, ParsedEntry, ParsedFeed
from tuireader.core.schema import MIGRATIONS, SCHEMA_VERSION, _statements
from tuireader.core.store import ArticleQuery, Store

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def entry(n: int, **changes: object) -> ParsedEntry:
    values: dict[str, object] = {
        "guid": f"guid-{n}",
        "link": f"https://news.example/{n}",
        "title": f"خبر رقم {n}",
        "published": NOW - timedelta(hours=n),
        "summary": f"<p>ملخص الخبر {n}</p>",
        "categories": ("الاقتصاد",) if n % 2 else ("سياسة", "المغرب"),
    }
    values.update(changes)
    return ParsedEntry(**values)  # type: ignore[arg-type]


def feed_of(*entries: ParsedEntry) -> ParsedFeed:
    return ParsedFeed(title="أخبار اليوم", link=None, language="ar", entries=list(entries))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "data" / "tuireader.db")
    s.sync_feeds([FeedConfig("https://news.example/feed")])
    return s


def test_schema_is_versioned_and_wal(store: Store) -> None:
    db = sqlite3.connect(store.path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.integrity_ok()
    # Writers wait for each other (a refresh beside the reader) instead of failing at once.
    assert store._db.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000


def test_a_version_2_index_is_carried_over_to_the_ascii_tokenizer(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store(path) as store:  # today's schema, then taken back to version 2
        store.sync_feeds([FeedConfig("https://news.example/feed")])
        store.store_feed(store.feeds()[0], feed_of(entry(1), entry(2)), now=NOW)
        rows = store._db.execute("SELECT rowid, title, body FROM search ORDER BY rowid").fetchall()
    db = sqlite3.connect(path, isolation_level=None)
    for statement in [
        "DROP TRIGGER articles_delete_search",
        "DROP TABLE search_vocab",
        "DROP INDEX articles_section_counts",  # step 4
        "DROP INDEX articles_feed_counts",
        "ALTER TABLE feeds DROP COLUMN retry_after",  # step 5
    ]:
        db.execute(statement)
    db.execute("DROP TABLE search")
    for number in range(2):  # version 2's search table, vocabulary and trigger
        for statement in _statements(MIGRATIONS[number]):
            if "search" in statement:
                db.execute(statement)
    db.executemany("INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)", rows)
    db.execute("PRAGMA user_version = 2")
    db.close()
    with Store(path) as store:
        found = store._db.execute("SELECT rowid, title, body FROM search ORDER BY rowid")
        assert found.fetchall() == rows
        schema = store._db.execute("SELECT sql FROM sqlite_master WHERE name = 'search'")
        assert "ascii" in schema.fetchone()[0]
        assert store._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        [first] = store.search_ids(f'"{rows[0][1].split()[0]}"', limit=5)[:1]
        assert first in (rows[0][0], rows[1][0])
        assert store.document_frequencies()
        store.delete_feed("https://news.example/feed")
        assert store._db.execute("SELECT count(*) FROM search").fetchone()[0] == 0


def test_a_version_4_database_assumes_no_retry_after(tmp_path: Path) -> None:
    # Its 429 may have come with a Retry-After or not: the next explicit refresh asks again
    # rather than hold the feed back on tuireader's own backoff.
    path = tmp_path / "old.db"
    later = NOW + timedelta(hours=1)
    with Store(path) as store:
        store.sync_feeds([FeedConfig("https://a.example/feed")])
        [feed] = store.feeds()
        store.record_fetch(feed.id, status=429, error="busy", next_fetch=later, failed=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("ALTER TABLE feeds DROP COLUMN retry_after")
    db.execute("PRAGMA user_version = 4")
    db.close()
    with Store(path) as store:
        [feed] = store.feeds()
        assert (feed.last_status, feed.next_fetch, feed.retry_after) == (429, later, None)


def test_store_dedupes_and_keeps_state_through_edits(store: Store) -> None:
    feed = store.feeds()[0]
    result = store.store_feed(feed, feed_of(entry(1), entry(2), entry(3)), now=NOW)
    assert (result.new, result.updated) == (3, 0)
    assert store.feeds()[0].title == "أخبار اليوم"
    ids = [r.id for r in store.articles()]
    assert len(ids) == 3
    store.set_read([ids[0]])
    store.set_starred([ids[1]])

    again = store.store_feed(feed, feed_of(entry(1), entry(2), entry(3)), now=NOW)
    assert (again.new, again.updated) == (0, 0)

    edited = entry(1, title="خبر رقم 1 (محدث)")
    changed = store.store_feed(feed, feed_of(edited, entry(2), entry(3)), now=NOW)
    assert (changed.new, changed.updated) == (0, 1)
    rows = {r.id: r for r in store.articles()}
    assert rows[ids[0]].read
    assert rows[ids[1]].starred
    assert any(r.title == "خبر رقم 1 (محدث)" for r in rows.values())


def test_identity_falls_back_from_guid_to_link_to_hash() -> None:
    assert entry_key(entry(1)) == "g:guid-1"
    assert entry_key(entry(1, guid=None)) == "l:https://news.example/1"
    no_ids = entry(1, guid=None, link=None)
    assert entry_key(no_ids).startswith("h:")
    assert entry_key(no_ids) == entry_key(entry(1, guid=None, link=None))
    assert entry_key(no_ids) != entry_key(entry(2, guid=None, link=None))


def test_missing_date_becomes_first_seen_and_direction_is_derived(store: Store) -> None:
    feed = store.feeds()[0]
    store.store_feed(
        feed, feed_of(entry(1, published=None), entry(2, title="Morocco wins")), now=NOW
    )
    rows = {r.title: r for r in store.articles()}
    assert rows["خبر رقم 1"].published == NOW
    assert rows["خبر رقم 1"].direction is Direction.RTL
    assert rows["Morocco wins"].direction is Direction.LTR


def test_sections_merge_spelling_variants(store: Store) -> None:
    feed = store.feeds()[0]
    store.store_feed(
        feed,
        feed_of(
            entry(1, categories=("الاقتصاد",)),
            entry(3, categories=("اقتصاد",)),
            entry(5, categories=("الاقتصاد",)),
            entry(2, categories=("سياسة",)),
        ),
        now=NOW,
    )
    sections = store.sections()
    assert [(s.name, s.total, s.unread) for s in sections] == [("الاقتصاد", 3, 3), ("سياسة", 1, 1)]
    economy = store.articles(ArticleQuery(section_key=sections[0].key))
    assert len(economy) == 3


def test_paging_and_filters(store: Store) -> None:
    feed = store.feeds()[0]
    store.store_feed(feed, feed_of(*(entry(n) for n in range(1, 251))), now=NOW)
    assert store.count() == 250
    first = store.articles(limit=100)
    second = store.articles(limit=100, offset=100)
    assert first[0].title == "خبر رقم 1"  # newest first
    assert first[-1].published > second[0].published
    assert len({r.id for r in first} | {r.id for r in second}) == 200
    store.set_read([r.id for r in first])
    assert store.count(ArticleQuery(unread=True)) == 150
    store.set_starred([first[0].id])
    assert [r.id for r in store.articles(ArticleQuery(starred=True))] == [first[0].id]
    assert store.totals() == (250, 150, 1)


def test_config_sync_keeps_state_and_drops_removed_feeds(store: Store) -> None:
    feed = store.feeds()[0]
    store.store_feed(feed, feed_of(entry(1)), now=NOW)
    store.set_starred([store.articles()[0].id])
    store.record_fetch(
        feed.id, status=200, error=None, next_fetch=NOW, new_url="https://new.example/f"
    )
    store.sync_feeds([FeedConfig("https://news.example/feed", section="سياسة")])
    moved = store.feeds()[0]
    assert moved.url == "https://new.example/f"  # a permanent redirect keeps its new home
    assert store.articles()[0].starred
    store.sync_feeds([FeedConfig("https://other.example/feed")])
    assert store.count() == 1  # a feed missing from the config keeps its starred articles
    store.sync_feeds([FeedConfig("https://other.example/feed")], prune=True)
    assert store.count() == 0
    assert [f.url for f in store.feeds()] == ["https://other.example/feed"]
    assert store.delete_feed("https://other.example/feed")
    assert not store.delete_feed("https://other.example/feed")
    assert store.feeds() == []


def test_search_index_is_normalized(store: Store) -> None:
    feed = store.feeds()[0]
    store.store_feed(
        feed,
        feed_of(entry(1, title="الْمَغْرِبُ يستضيف المؤتمر"), entry(2, title="طقس معتدل")),
        now=NOW,
    )
    ids = store.search_ids('"مغرب"')
    assert [store.article(i).title for i in ids] == ["الْمَغْرِبُ يستضيف المؤتمر"]  # type: ignore[union-attr]
    assert store.search_ids('"(unbalanced') == []


def test_full_text_is_stored(store: Store) -> None:
    feed = store.feeds()[0]
    store.store_feed(feed, feed_of(entry(1)), now=NOW)
    article_id = store.articles()[0].id
    store.set_full_text(article_id, '{"v": 1}', None)
    store.set_full_text(article_id, None, "the page has no article text")
    article = store.article(article_id)
    assert article is not None
    assert article.full_text == '{"v": 1}'
    assert article.full_text_error == "the page has no article text"
    assert article.categories == ("الاقتصاد",)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    from tuireader.core.store import StoreError

    with pytest.raises(StoreError, match="newer than this tuireader"):
        Store(path)


def test_the_next_unread_article_is_one_query(store: Store) -> None:
    feed = store.feeds()[0]
    store.store_feed(feed, feed_of(*(entry(n) for n in range(1, 9))), now=NOW)
    rows = store.articles()  # newest first: entry 1 .. entry 8
    store.set_read([rows[i].id for i in (1, 2, 3, 5)])
    query = ArticleQuery()
    assert store.unread_neighbour(query, rows[0].id, 1) == rows[4].id
    assert store.unread_neighbour(query, rows[4].id, 1) == rows[6].id
    assert store.unread_neighbour(query, rows[4].id, -1) == rows[0].id
    assert store.unread_neighbour(query, rows[0].id, -1) is None
    assert store.unread_neighbour(query, None, 1) == rows[0].id
    assert store.position(query, rows[6].id) == 6
    store.set_read([r.id for r in rows])
    assert store.unread_neighbour(query, rows[0].id, 1) is None


def test_the_sections_pane_counts_read_indexes_not_article_rows(store: Store) -> None:
    feed = store.feeds()[0]
    store.store_feed(feed, feed_of(entry(1), entry(2), entry(3)), now=NOW)
    store.set_read([store.articles(limit=1)[0].id])
    assert store.totals() == (3, 2, 0)
    for query in (
        "SELECT section_key, section, count(*), sum(read = 0) FROM articles"
        " GROUP BY section_key, section",
        "SELECT feed_id, max(section_key), count(*), sum(read = 0) FROM articles GROUP BY feed_id",
    ):
        plan = " ".join(row[3] for row in store._db.execute("EXPLAIN QUERY PLAN " + query))
        assert "COVERING INDEX" in plan, plan
    sections = store.sections()
    assert sum(s.total for s in sections) == 3 and sum(s.unread for s in sections) == 2


def test_editing_a_feed_in_the_config_files_its_stored_articles_again(store: Store) -> None:
    url = "https://news.example/feed"
    untagged = entry(3, categories=(), title="IMF: growth at 3.9% for Morocco")
    store.store_feed(store.feeds()[0], feed_of(entry(1), entry(2), untagged), now=NOW)

    def filed() -> dict[str, tuple[str, str]]:
        return {a.title: (a.section, a.direction.value) for a in store.articles()}

    assert filed() == {
        "خبر رقم 1": ("الاقتصاد", "rtl"),
        "خبر رقم 2": ("سياسة", "rtl"),
        untagged.title: ("أخبار اليوم", "ltr"),  # no category: the feed's title
    }
    store.sync_feeds([FeedConfig(url, title="المدار")])
    assert filed()[untagged.title] == ("المدار", "ltr")
    store.sync_feeds([FeedConfig(url, title="المدار", section="منوعات")])
    assert set(filed().values()) == {("منوعات", "rtl"), ("منوعات", "ltr")}
    store.sync_feeds([FeedConfig(url, title="المدار", section="منوعات", direction=Direction.RTL)])
    assert set(filed().values()) == {("منوعات", "rtl")}
    store.sync_feeds([FeedConfig(url)])  # back to the feed's own categories and text
    assert filed()["خبر رقم 2"] == ("سياسة", "rtl")
    assert filed()[untagged.title] == ("أخبار اليوم", "ltr")
    assert [s.name for s in store.sections()].count("منوعات") == 0


def test_rows_show_a_section_by_its_most_common_spelling(store: Store) -> None:
    spellings = ("الاقتصاد", "اقتصاد", "الاقتصاد", "إقتصاد")
    entries = [entry(n * 2 + 1, categories=(name,)) for n, name in enumerate(spellings)]
    store.store_feed(store.feeds()[0], feed_of(*entries), now=NOW)
    assert {row.section for row in store.articles()} == {"الاقتصاد"}
    assert {row.section for row in store.rows_by_id([r.id for r in store.articles()])} == {
        "الاقتصاد"
    }
    first = store.articles()[0]
    article = store.article(first.id)
    assert article is not None and article.section == "الاقتصاد"
    # Another connection's write changes the count: the spelling follows.
    with Store(store.path) as other:
        more = [entry(n, categories=("اقتصاد",)) for n in range(11, 19, 2)]
        other.store_feed(other.feeds()[0], feed_of(*entries, *more), now=NOW)
    assert {row.section for row in store.articles()} == {"اقتصاد"}


def test_an_untagged_feed_gets_the_language_of_its_text(store: Store) -> None:
    untagged = ParsedFeed(
        title="أخبار اليوم", link=None, language=None, entries=[entry(n) for n in range(1, 6)]
    )
    store.store_feed(store.feeds()[0], untagged, now=NOW)
    languages = store._db.execute("SELECT DISTINCT language FROM articles").fetchall()
    assert languages == [("ar",)]
    assert store._db.execute("SELECT language FROM feeds").fetchone() == ("ar",)
