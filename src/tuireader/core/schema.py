"""The database schema and its migrations, versioned with ``PRAGMA user_version``."""

from __future__ import annotations

import sqlite3

# How the search table splits its columns into terms. The columns hold terms that
# core.terms has already made (letters and digits, "." and "," inside numbers, joined by
# spaces), so FTS5's plain ASCII tokenizer finds the same terms as unicode61, with less
# work per insert; non-ASCII characters are always part of a term for it.
SEARCH_TOKENIZER = "ascii tokenchars '.,'"

# Each entry moves the schema from version i to i + 1. Append; never edit a released step.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        config_url TEXT NOT NULL UNIQUE,      -- as written in the config file
        url TEXT NOT NULL,                    -- where it is fetched now (after 301/308)
        title TEXT NOT NULL DEFAULT '',       -- the feed's own title
        title_override TEXT NOT NULL DEFAULT '',
        language TEXT,
        section TEXT,
        direction TEXT NOT NULL DEFAULT 'auto',
        full_text TEXT NOT NULL DEFAULT 'auto',
        etag TEXT,
        last_modified TEXT,
        last_status INTEGER,
        last_error TEXT,
        last_fetch TEXT,
        next_fetch TEXT,
        gone INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        guid TEXT,
        link TEXT,
        title TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        published TEXT NOT NULL,
        updated TEXT,
        summary TEXT NOT NULL DEFAULT '',
        content TEXT NOT NULL DEFAULT '',
        full_text TEXT,
        full_text_error TEXT,
        language TEXT,
        direction TEXT NOT NULL,
        categories TEXT NOT NULL DEFAULT '[]',
        section TEXT NOT NULL,
        section_key TEXT NOT NULL,
        image TEXT,
        content_hash TEXT NOT NULL,
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0,
        first_seen TEXT NOT NULL,
        UNIQUE (feed_id, key)
    );
    CREATE INDEX articles_by_date ON articles (published DESC, id DESC);
    CREATE INDEX articles_by_section ON articles (section_key, published DESC, id DESC);
    CREATE INDEX articles_by_feed ON articles (feed_id, published DESC, id DESC);
    CREATE INDEX articles_unread ON articles (published DESC, id DESC) WHERE read = 0;
    CREATE INDEX articles_starred ON articles (published DESC, id DESC) WHERE starred = 1;
    -- Columns hold normalized, stemmed index terms separated by spaces (core.searchtext).
    -- tokenchars: terms such as 1.8 and 55,000 are one term, as core.terms makes them.
    CREATE VIRTUAL TABLE search USING fts5 (
        title, body, tokenize = "unicode61 remove_diacritics 0 tokenchars '.,'"
    );
    CREATE TRIGGER articles_delete_search AFTER DELETE ON articles BEGIN
        DELETE FROM search WHERE rowid = old.id;
    END;
    """,
    # 2: document frequencies of index terms, for related articles.
    """
    CREATE VIRTUAL TABLE search_vocab USING fts5vocab (search, 'row');
    """,
    # 3: the search table with the ASCII tokenizer (a third less work to index an article).
    f"""
    DROP TRIGGER articles_delete_search;
    DROP TABLE search_vocab;
    CREATE VIRTUAL TABLE search_next USING fts5 (title, body, tokenize = "{SEARCH_TOKENIZER}");
    INSERT INTO search_next (rowid, title, body) SELECT rowid, title, body FROM search;
    DROP TABLE search;
    ALTER TABLE search_next RENAME TO search;
    CREATE VIRTUAL TABLE search_vocab USING fts5vocab (search, 'row');
    CREATE TRIGGER articles_delete_search AFTER DELETE ON articles BEGIN
        DELETE FROM search WHERE rowid = old.id;
    END;
    """,
    # 4: the sections pane's counts read these small indexes instead of every article row
    # with its HTML (20,000 articles: 120 ms to 8 ms).
    """
    CREATE INDEX articles_section_counts ON articles (section_key, section, read);
    CREATE INDEX articles_feed_counts ON articles (feed_id, read, section_key);
    """,
    # 5: when a server's Retry-After lets a feed be fetched again; an explicit refresh waits
    # for that, and only that (a 429 without Retry-After is retried at once). Older rows
    # cannot tell a Retry-After from tuireader's own backoff: none is assumed.
    """
    ALTER TABLE feeds ADD COLUMN retry_after TEXT;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(sqlite3.DatabaseError):
    """The database was written by a newer tuireader."""


def migrate(db: sqlite3.Connection) -> None:
    """Bring the schema up to date, one transaction per step."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"the database has schema version {version}, newer than this tuireader "
            f"understands ({SCHEMA_VERSION}); upgrade tuireader"
        )
    for number in range(version, SCHEMA_VERSION):
        db.execute("BEGIN IMMEDIATE")
        # Another process may have migrated while we waited for the write lock.
        if db.execute("PRAGMA user_version").fetchone()[0] > number:
            db.execute("COMMIT")
            continue
        try:
            for statement in _statements(MIGRATIONS[number]):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number + 1}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def _statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit on its own)."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements
