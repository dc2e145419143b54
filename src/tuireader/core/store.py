"""The SQLite store: feeds, articles, read state and the search index, in one file."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tuireader.core.config import FeedConfig
from tuireader.core.models import (
    Article,
    ArticleRow,
    Direction,
    Feed,
    FullText,
    ParsedFeed,
)
from tuireader.core.prepared import FeedSettings
from tuireader.core.schema import migrate
from tuireader.core.terms import fts_any_query

if TYPE_CHECKING:
    from tuireader.core.prepared import PreparedFeed

# The article columns a refresh writes, in the order of ``core.prepared.PreparedEntry.row``.
ROW_COLUMNS = (
    "guid, link, title, author, published, updated, summary, content, language, direction,"
    " categories, section, section_key, image, content_hash"
)

# Built once: the statement cache is keyed by the SQL text.
_INSERT_ARTICLE = (
    f"INSERT INTO articles ({ROW_COLUMNS}, feed_id, key, first_seen)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class StoreError(Exception):
    """The database cannot be opened or written, in words a user can act on."""


@dataclass(frozen=True, slots=True)
class ArticleQuery:
    """Which articles a list shows. Empty means all."""

    section_key: str | None = None
    feed_id: int | None = None
    unread: bool = False
    starred: bool = False


@dataclass(frozen=True, slots=True)
class SectionCount:
    """A section with its most common spelling and counts."""

    key: str
    name: str
    total: int
    unread: int


@dataclass(frozen=True, slots=True)
class FeedCount:
    """A feed with its section and counts, for the sections pane and `feeds list`."""

    feed: Feed
    section_key: str
    total: int
    unread: int


@dataclass(frozen=True, slots=True)
class StoreResult:
    """What storing one parsed feed changed."""

    new: int
    updated: int
    new_ids: tuple[int, ...] = ()
    new_teasers: tuple[int, ...] = ()  # new articles whose feed text looks cut short


def feed_settings(feed: Feed) -> FeedSettings:
    """What of ``feed``'s configuration its articles' rows depend on (``core.ingest``)."""
    return FeedSettings(feed.url, feed.title, feed.section, feed.direction)


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime | None) -> str | None:
    """A moment as stored: ISO 8601 in UTC, to the second."""
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="seconds")


def _moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


_FEED_COLUMNS = (
    "id, url, COALESCE(NULLIF(title_override, ''), NULLIF(title, ''), url), section, direction,"
    " full_text, etag, last_modified, last_status, last_error, next_fetch, gone, failures,"
    " config_url, retry_after"
)
_FEED_TITLE = "COALESCE(NULLIF(f.title_override, ''), NULLIF(f.title, ''), f.url)"
_ROW_COLUMNS = (
    f"a.id, a.feed_id, {_FEED_TITLE}, a.title, a.link,"
    " a.section, a.categories, a.published, a.direction, a.read, a.starred, a.section_key"
)


class Store:
    """One connection to the database. Use one Store per thread."""

    def __init__(self, path: Path, *, timeout: float = 30.0) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            migrate(self._db)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from exc
        self._lock = threading.RLock()
        self._depth = 0  # transactions open in the thread holding the lock

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction taken up front, so concurrent writers wait instead of failing.

        Nested calls in the same thread join the outer transaction: a refresh writes many
        feeds in one commit, each through the same methods that write one on its own.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self._db
                finally:
                    self._depth -= 1
                return
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(f"the database {self.path} is busy or read-only: {exc}") from exc
            self._depth = 1
            try:
                yield self._db
            except sqlite3.Error as exc:
                self._rollback()
                raise StoreError(f"cannot write to {self.path}: {exc}") from exc
            except BaseException:
                self._rollback()
                raise
            else:
                try:
                    self._db.execute("COMMIT")
                except sqlite3.Error as exc:
                    self._rollback()
                    raise StoreError(f"cannot write to {self.path}: {exc}") from exc
            finally:
                self._depth = 0

    def _rollback(self) -> None:
        # After some errors (a full disk, I/O) SQLite has already rolled back by itself.
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    # --- feeds ---------------------------------------------------------------------------------

    def sync_feeds(self, feeds: Sequence[FeedConfig], *, prune: bool = False) -> None:
        """Add and update the configured feeds. Feeds missing from the configuration keep
        their articles (a config file emptied by mistake must not delete starred articles)
        unless ``prune`` is set; `feeds remove` deletes one on purpose. A feed whose
        section, title or direction changed has its stored articles filed again."""
        with self.transaction() as db:
            wanted = {f.url: f for f in feeds}
            self._adopt_moved_feeds(set(wanted))
            stored = {
                row[0]: row[1:]
                for row in db.execute(
                    "SELECT config_url, id, section, title_override, direction FROM feeds"
                )
            }
            for url, (feed_id, *_) in stored.items():
                if prune and url not in wanted:
                    db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
            changed: list[tuple[int, bool, bool]] = []
            for feed in feeds:
                db.execute(
                    "INSERT INTO feeds (config_url, url, title_override, section, direction,"
                    " full_text) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (config_url) DO UPDATE SET"
                    " title_override = excluded.title_override, section = excluded.section,"
                    " direction = excluded.direction, full_text = excluded.full_text",
                    (
                        feed.url,
                        feed.url,
                        feed.title or "",
                        feed.section,
                        feed.direction.value,
                        feed.full_text.value,
                    ),
                )
                if feed.url in stored:
                    feed_id, section, title, direction = stored[feed.url]
                    new_section = (section, title) != (feed.section, feed.title or "")
                    new_direction = direction != feed.direction.value
                    if new_section or new_direction:
                        changed.append((feed_id, new_section, new_direction))
            for feed_id, new_section, new_direction in changed:
                self._file_again(feed_id, sections=new_section, directions=new_direction)

    def _adopt_moved_feeds(self, configured: set[str]) -> None:
        """A feed that a permanent redirect moved, written in the config at its new URL in
        place of the old one, stays the same feed: its articles and their state are kept."""
        rows = self._db.execute("SELECT id, config_url, url FROM feeds").fetchall()
        known = {config_url for _, config_url, _ in rows}
        for feed_id, config_url, url in rows:
            if config_url not in configured and url in configured and url not in known:
                self._db.execute("UPDATE feeds SET config_url = ? WHERE id = ?", (url, feed_id))
                known.add(url)

    def _file_again(self, feed_id: int, *, sections: bool, directions: bool) -> None:
        """Work out the section and/or direction of a feed's stored articles again from its
        settings, as ``core.ingest`` does for new ones (inside the caller's transaction)."""
        from tuireader.core.language import resolve_direction
        from tuireader.core.sections import primary_section

        feed = next(f for f in self.feeds() if f.id == feed_id)
        updates = []
        for (
            article_id,
            categories,
            language,
            title,
            summary,
            section,
            key,
            direction,
        ) in self._db.execute(
            "SELECT id, categories, language, title, summary, section, section_key,"
            " direction FROM articles WHERE feed_id = ?",
            (feed_id,),
        ):
            if sections:
                first = tuple(json.loads(categories))[:1]
                section, key = primary_section(feed.section, first, feed.title)
            if directions:
                direction = resolve_direction(feed.direction, language, title or summary).value
            updates.append((section, key, direction, article_id))
        self._db.executemany(
            "UPDATE articles SET section = ?, section_key = ?, direction = ? WHERE id = ?",
            updates,
        )

    def delete_feed(self, config_url: str) -> bool:
        """Delete a feed and its articles; return whether it was there."""
        with self.transaction() as db:
            cursor = db.execute("DELETE FROM feeds WHERE config_url = ?", (config_url,))
            return cursor.rowcount > 0

    def feeds(self) -> list[Feed]:
        rows = self._db.execute(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY id").fetchall()
        return [self._feed(row) for row in rows]

    @staticmethod
    def _feed(row: Sequence[object]) -> Feed:
        (fid, url, title, section, direction, full_text, etag, modified, status, error) = row[:10]
        next_fetch, gone, failures, config_url, retry_after = row[10:]
        return Feed(
            id=int(str(fid)),
            url=str(url),
            title=str(title),
            section=None if section is None else str(section),
            direction=Direction(str(direction)),
            full_text=FullText(str(full_text)),
            etag=None if etag is None else str(etag),
            last_modified=None if modified is None else str(modified),
            last_status=None if status is None else int(str(status)),
            last_error=None if error is None else str(error),
            next_fetch=_moment(None if next_fetch is None else str(next_fetch)),
            gone=bool(gone),
            failures=int(str(failures)),
            config_url=str(config_url),
            retry_after=_moment(None if retry_after is None else str(retry_after)),
        )

    def record_fetch(
        self,
        feed_id: int,
        *,
        status: int | None,
        error: str | None,
        next_fetch: datetime | None,
        etag: str | None = None,
        last_modified: str | None = None,
        new_url: str | None = None,
        gone: bool = False,
        failed: bool = False,
        keep_validators: bool = True,
        retry_after: datetime | None = None,
    ) -> None:
        """Remember how a fetch went and when to try again (``retry_after``: the server's
        own word on that)."""
        with self.transaction() as db:
            db.execute(
                "UPDATE feeds SET last_status = ?, last_error = ?, next_fetch = ?, last_fetch = ?,"
                " retry_after = ?,"
                " gone = ?, failures = CASE WHEN ? THEN failures + 1 ELSE 0 END,"
                " etag = CASE WHEN ? THEN COALESCE(?, etag) ELSE ? END,"
                " last_modified = CASE WHEN ? THEN COALESCE(?, last_modified) ELSE ? END,"
                " url = COALESCE(?, url) WHERE id = ?",
                (
                    status,
                    error,
                    iso(next_fetch),
                    iso(utcnow()),
                    iso(retry_after),
                    int(gone),
                    int(failed),
                    int(keep_validators),
                    etag,
                    etag,
                    int(keep_validators),
                    last_modified,
                    last_modified,
                    new_url,
                    feed_id,
                ),
            )

    # --- articles ------------------------------------------------------------------------------

    def known_entries(self, feed_id: int) -> dict[str, str]:
        """The key and content digest of every stored entry of a feed (see ``core.ingest``)."""
        with self._lock:  # a refresh reads this beside its writer thread, on one connection
            rows = self._db.execute(
                "SELECT key, content_hash FROM articles WHERE feed_id = ?", (feed_id,)
            ).fetchall()
        return dict(rows)

    def store_feed(self, feed: Feed, parsed: ParsedFeed, *, now: datetime) -> StoreResult:
        """Insert new entries and update changed ones; read and starred state is kept."""
        from tuireader.core.ingest import prepare_entries  # not needed to start the reader

        with self.transaction():
            known = self.known_entries(feed.id)
            prepared = prepare_entries(parsed, known, feed_settings(feed))
            return self.store_prepared(feed, prepared, now=now)

    def store_prepared(self, feed: Feed, prepared: PreparedFeed, *, now: datetime) -> StoreResult:
        """``store_feed`` for entries already compared with the store and prepared, maybe in
        another process: they are compared again here, since another refresh may have
        stored them meanwhile."""
        updated = 0
        new_ids: list[int] = []
        new_teasers: list[int] = []
        index_rows: dict[int, tuple[str, str]] = {}  # the last version of a repeated entry
        first_seen = iso(now)
        with self.transaction() as db:
            known = {
                key: (article_id, digest)
                for key, article_id, digest in db.execute(
                    "SELECT key, id, content_hash FROM articles WHERE feed_id = ?", (feed.id,)
                )
            }
            if prepared.title:
                db.execute(
                    "UPDATE feeds SET title = ?, language = ? WHERE id = ?",
                    (prepared.title, prepared.language, feed.id),
                )
            for change in prepared.changed:
                key, digest = change.key, change.digest
                row = known.get(key)
                if row is not None and row[1] == digest:
                    continue
                values = change.row
                if row is None:
                    cursor = db.execute(
                        _INSERT_ARTICLE,
                        (
                            *values[:4],
                            values[4] or first_seen,
                            *values[5:],
                            feed.id,
                            key,
                            first_seen,
                        ),
                    )
                    article_id = int(str(cursor.lastrowid))
                    new_ids.append(article_id)
                    if change.teaser:
                        new_teasers.append(article_id)
                else:
                    article_id = row[0]
                    # An edit keeps the original publication slot when the feed drops the date.
                    db.execute(
                        "UPDATE articles SET guid = ?, link = ?, title = ?, author = ?,"
                        " published = COALESCE(?, published), updated = ?, summary = ?,"
                        " content = ?, language = ?, direction = ?, categories = ?, section = ?,"
                        " section_key = ?, image = ?, content_hash = ? WHERE id = ?",
                        (*values[:4], change.own_published, *values[5:], article_id),
                    )
                    db.execute("DELETE FROM search WHERE rowid = ?", (article_id,))
                    updated += 1
                known[key] = (article_id, digest)  # a feed may repeat an entry in one document
                index_rows[article_id] = (change.index_title, change.index_body)
            db.executemany(
                "INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
                [(article_id, *terms) for article_id, terms in index_rows.items()],
            )
        return StoreResult(
            new=len(new_ids),
            updated=updated,
            new_ids=tuple(new_ids),
            new_teasers=tuple(new_teasers),
        )

    def reindex(self, article_id: int, title: str, text: str) -> None:
        """Index ``text`` (plain or HTML) for an article, e.g. after its full text arrived."""
        from tuireader.core.searchtext import index_fields  # not needed to start the reader

        title_terms, body_terms = index_fields(title, text)
        with self.transaction() as db:
            db.execute("DELETE FROM search WHERE rowid = ?", (article_id,))
            db.execute(
                "INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
                (article_id, title_terms, body_terms),
            )

    def _where(self, query: ArticleQuery) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if query.section_key is not None:
            clauses.append("a.section_key = ?")
            params.append(query.section_key)
        if query.feed_id is not None:
            clauses.append("a.feed_id = ?")
            params.append(query.feed_id)
        if query.unread:
            clauses.append("a.read = 0")
        if query.starred:
            clauses.append("a.starred = 1")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def count(self, query: ArticleQuery = ArticleQuery()) -> int:
        where, params = self._where(query)
        row = self._db.execute(f"SELECT count(*) FROM articles a{where}", params).fetchone()
        return int(row[0])

    def articles(
        self, query: ArticleQuery = ArticleQuery(), *, limit: int = 100, offset: int = 0
    ) -> list[ArticleRow]:
        """A page of articles, newest first."""
        where, params = self._where(query)
        rows = self._db.execute(
            f"SELECT {_ROW_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id{where}"
            " ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        ).fetchall()
        names = self.section_names(str(row[11]) for row in rows)
        return [_article_row(row, names) for row in rows]

    def position(self, query: ArticleQuery, article_id: int) -> int | None:
        """Where an article stands in ``articles(query)`` (newest first), None if not there."""
        row = self._db.execute(
            "SELECT published FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            return None
        where, params = self._where(query)
        before = (" AND " if where else " WHERE ") + (
            "(a.published > ? OR (a.published = ? AND a.id > ?))"
        )
        count = self._db.execute(
            f"SELECT count(*) FROM articles a{where}{before}",
            (*params, row[0], row[0], article_id),
        ).fetchone()
        return int(count[0])

    def unread_neighbour(
        self, query: ArticleQuery, article_id: int | None, step: int
    ) -> int | None:
        """The nearest unread article after ``article_id`` in ``articles(query)`` (newest
        first): older with step 1, newer with step -1; from the top when there is none."""
        where, params = self._where(query)
        clauses = [where[len(" WHERE ") :]] if where else []
        clauses.append("a.read = 0")
        row = None
        if article_id is not None:
            row = self._db.execute(
                "SELECT published FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        if row is not None:
            if step > 0:
                clauses.append("(a.published < ? OR (a.published = ? AND a.id < ?))")
            else:
                clauses.append("(a.published > ? OR (a.published = ? AND a.id > ?))")
            params += [row[0], row[0], article_id]
        order = "DESC" if step > 0 else "ASC"
        found = self._db.execute(
            f"SELECT a.id FROM articles a WHERE {' AND '.join(clauses)}"
            f" ORDER BY a.published {order}, a.id {order} LIMIT 1",
            params,
        ).fetchone()
        return None if found is None else int(found[0])

    def rows_by_id(self, ids: Sequence[int]) -> list[ArticleRow]:
        """Rows for ``ids``, in the order given (missing ids skipped)."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self._db.execute(
            f"SELECT {_ROW_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id"
            f" WHERE a.id IN ({marks})",
            list(ids),
        ).fetchall()
        names = self.section_names(str(row[11]) for row in rows)
        by_id = {row.id: row for row in (_article_row(r, names) for r in rows)}
        return [by_id[i] for i in ids if i in by_id]

    def article(self, article_id: int) -> Article | None:
        row = self._db.execute(
            f"SELECT a.id, a.feed_id, {_FEED_TITLE},"
            " f.url, a.guid, a.link, a.title, a.author, a.published, a.updated, a.summary,"
            " a.content, a.full_text, a.full_text_error, a.language, a.direction, a.categories,"
            " a.section, a.read, a.starred, a.first_seen, a.section_key"
            " FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        return Article(
            id=row[0],
            feed_id=row[1],
            feed_title=row[2],
            feed_url=row[3],
            guid=row[4],
            link=row[5],
            title=row[6],
            author=row[7],
            published=datetime.fromisoformat(row[8]),
            updated=_moment(row[9]),
            summary=row[10],
            content=row[11],
            full_text=row[12],
            full_text_error=row[13],
            language=row[14],
            direction=Direction(row[15]),
            categories=tuple(json.loads(row[16])),
            section=self.section_names([row[21]]).get(row[21], row[17]),
            read=bool(row[18]),
            starred=bool(row[19]),
            first_seen=datetime.fromisoformat(row[20]),
        )

    def set_read(self, article_ids: Iterable[int], read: bool = True) -> None:
        with self.transaction() as db:
            db.executemany(
                "UPDATE articles SET read = ? WHERE id = ?", [(int(read), i) for i in article_ids]
            )

    def set_starred(self, article_ids: Iterable[int], starred: bool = True) -> None:
        with self.transaction() as db:
            db.executemany(
                "UPDATE articles SET starred = ? WHERE id = ?",
                [(int(starred), i) for i in article_ids],
            )

    def set_full_text(self, article_id: int, document_json: str | None, error: str | None) -> None:
        """Store an extracted page (or why extraction failed) with the article."""
        with self.transaction() as db:
            db.execute(
                "UPDATE articles SET full_text = COALESCE(?, full_text), full_text_error = ?"
                " WHERE id = ?",
                (document_json, error, article_id),
            )

    def fill_gaps(self, article_id: int, title: str | None, published: datetime | None) -> None:
        """Use a page's own title and date where the feed gave none (the date then was the
        first-seen time)."""
        with self.transaction() as db:
            if title:
                db.execute(
                    "UPDATE articles SET title = ? WHERE id = ? AND trim(title) = ''",
                    (title, article_id),
                )
            if published is not None:
                db.execute(
                    "UPDATE articles SET published = ? WHERE id = ? AND published = first_seen",
                    (iso(published), article_id),
                )

    # --- overviews -----------------------------------------------------------------------------

    def sections(self) -> list[SectionCount]:
        """Sections by size, each shown with its most common spelling."""
        rows = self._db.execute(
            "SELECT section_key, section, count(*), sum(read = 0) FROM articles"
            " GROUP BY section_key, section"
        ).fetchall()
        merged: dict[str, tuple[str, int, int, int]] = {}
        for key, name, total, unread in rows:
            best_name, best_count, all_total, all_unread = merged.get(key, (name, 0, 0, 0))
            if _more_common(name, total, best_name, best_count):
                best_name, best_count = name, total
            merged[key] = (best_name, best_count, all_total + total, all_unread + unread)
        sections = [SectionCount(k, v[0], v[2], v[3]) for k, v in merged.items()]
        return sorted(sections, key=lambda s: (-s.total, s.name))

    def section_names(self, keys: Iterable[str]) -> dict[str, str]:
        """Section key → the spelling ``sections()`` shows (the most common one), for
        ``keys`` only: reading every section's counts would cost a page of rows far more."""
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        rows = self._db.execute(
            "SELECT section_key, section, count(*) FROM articles"
            f" WHERE section_key IN ({','.join('?' * len(wanted))}) GROUP BY section_key, section",
            wanted,
        )
        best: dict[str, tuple[str, int]] = {}
        for key, name, total in rows:
            if key not in best or _more_common(name, total, *best[key]):
                best[key] = (name, total)
        return {key: name for key, (name, _total) in best.items()}

    def feed_counts(self) -> list[FeedCount]:
        """Every feed with counts, and one of its articles' section keys (the greatest) to
        group it under in the sections pane."""
        counts = {
            row[0]: (row[1], row[2], row[3])
            for row in self._db.execute(
                "SELECT feed_id, max(section_key), count(*), sum(read = 0) FROM articles"
                " GROUP BY feed_id"
            )
        }
        result = []
        for feed in self.feeds():
            key, total, unread = counts.get(feed.id, ("", 0, 0))
            result.append(FeedCount(feed, key, total, unread))
        return result

    def totals(self) -> tuple[int, int, int]:
        """(all, unread, starred) article counts."""
        # Three counts, each over an index (the partial ones for unread and starred), not
        # one pass over every article row with its HTML.
        row = self._db.execute(
            "SELECT (SELECT count(*) FROM articles),"
            " (SELECT count(*) FROM articles WHERE read = 0),"
            " (SELECT count(*) FROM articles WHERE starred = 1)"
        ).fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def search_ids(
        self, match: str, *, section_key: str | None = None, limit: int = 200
    ) -> list[int]:
        """Ids matching an FTS5 expression, best first (bm25, title weighted), then newest."""
        sql = (
            "SELECT a.id FROM search s JOIN articles a ON a.id = s.rowid WHERE search MATCH ?"
            + (" AND a.section_key = ?" if section_key else "")
            + " ORDER BY bm25(search, 4.0, 1.0), a.published DESC LIMIT ?"
        )
        params: list[object] = [match, *([section_key] if section_key else []), limit]
        try:
            return [row[0] for row in self._db.execute(sql, params)]
        except sqlite3.OperationalError:
            return []

    def overlap_candidates(
        self, weights: Mapping[str, float], gate: Sequence[str], *, limit: int
    ) -> list[int]:
        """Ids of the ``limit`` articles that contain one of the ``gate`` terms, by the sum of
        the ``weights`` of the index terms they contain (largest first, ties newest first).

        Related articles need this fast: each term is its own FTS5 subquery reading rowids
        only (no positions, no bm25), and a term outside the gate is ANDed with the gate,
        which FTS5 answers by seeking through the common term's postings, not reading them.
        Every term is a quoted FTS5 string: nothing in it is read as syntax.
        """
        if not weights:
            return []
        gated = "(" + (fts_any_query(gate) or '""') + ") AND "
        params: list[object] = []
        for term, weight in weights.items():
            match = fts_any_query([term]) or '""'
            params += [weight, match if term in gate else gated + match]
        part = "SELECT rowid AS id, ? AS weight FROM search WHERE search MATCH ?"
        union = " UNION ALL ".join([part] * len(weights))
        try:
            rows = self._db.execute(
                f"SELECT id FROM ({union}) GROUP BY id ORDER BY sum(weight) DESC, id DESC LIMIT ?",
                [*params, limit],
            )
            return [row[0] for row in rows]
        except sqlite3.OperationalError:
            return []

    def ranking_fields(
        self, ids: Sequence[int]
    ) -> list[tuple[int, str, str, str, tuple[str, ...], datetime]]:
        """(id, title terms, body terms, section key, categories, published) of the indexed
        articles among ``ids``, in no particular order: what ranking related articles reads."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self._db.execute(
            "SELECT a.id, s.title, s.body, a.section_key, a.categories, a.published"
            f" FROM articles a JOIN search s ON s.rowid = a.id WHERE a.id IN ({marks})",
            list(ids),
        )
        return [
            (id_, title, body, key, tuple(json.loads(categories)), datetime.fromisoformat(date))
            for id_, title, body, key, categories, date in rows
        ]

    def data_state(self) -> tuple[int, int]:
        """A value that changes whenever a write to the database is committed: SQLite's
        data_version (commits by other connections) and this connection's change count.
        Only comparable between two calls on the same Store."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        return int(version), self._db.total_changes

    def index_terms_of(self, article_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """The stored (title, body) index terms of articles."""
        if not article_ids:
            return {}
        marks = ",".join("?" * len(article_ids))
        rows = self._db.execute(
            f"SELECT rowid, title, body FROM search WHERE rowid IN ({marks})", list(article_ids)
        )
        return {row[0]: (row[1], row[2]) for row in rows}

    def document_frequencies(self) -> dict[str, int]:
        """In how many articles each index term occurs (one pass over the index vocabulary)."""
        return dict(self._db.execute("SELECT term, doc FROM search_vocab"))

    def integrity_ok(self) -> bool:
        return bool(self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


def _more_common(name: str, count: int, than_name: str, than_count: int) -> bool:
    """Whether a section's spelling ``name`` (used ``count`` times) is the one to show rather
    than ``than_name``: the more common, and of two as common the first in code order."""
    return count > than_count or (count == than_count and name < than_name)


def _article_row(row: Sequence[object], names: dict[str, str]) -> ArticleRow:
    """A row of ``_ROW_COLUMNS``, its section shown as ``names`` spells its key."""
    return ArticleRow(
        id=int(str(row[0])),
        feed_id=int(str(row[1])),
        feed_title=str(row[2]),
        title=str(row[3]),
        link=None if row[4] is None else str(row[4]),
        section=names.get(str(row[11]), str(row[5])),
        categories=tuple(json.loads(str(row[6]))),
        published=datetime.fromisoformat(str(row[7])),
        direction=Direction(str(row[8])),
        read=bool(row[9]),
        starred=bool(row[10]),
    )
