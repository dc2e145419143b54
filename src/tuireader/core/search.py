"""Search: what a user types, normalized like the index, matched with FTS5 and ranked."""

from __future__ import annotations

from tuireader.core.models import ArticleRow
from tuireader.core.store import Store
from tuireader.core.terms import fts_query, tokenize


def search(
    store: Store,
    query: str,
    *,
    section_key: str | None = None,
    limit: int = 100,
    prefix: bool = True,
) -> list[ArticleRow]:
    """Articles matching ``query``, best first (bm25 with the title weighted, then newest).

    With ``prefix`` the last word may be unfinished, as in live search while typing.
    """
    match = fts_query(query, prefix=prefix)
    if match is None:
        return []
    ids = store.search_ids(match, section_key=section_key, limit=limit)
    if not ids and prefix:
        # Nothing yet: the word typed so far may be longer than its stem ("حسابا").
        broad = fts_query(query, prefix=True, broad=True)
        if broad is not None and broad != match:
            ids = store.search_ids(broad, section_key=section_key, limit=limit)
    return store.rows_by_id(ids)


def highlight_terms(query: str) -> list[str]:
    """The normalized words of a query, for highlighting matches in the reader."""
    return [token for token in tokenize(query) if len(token) >= 2]
