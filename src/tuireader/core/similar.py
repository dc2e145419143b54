"""Related articles for one stored article: candidates from the index, ranked by core.related.

A lookup reads a few dozen articles, whatever the size of the cache:

1. the target's ``candidate_query``: its strongest terms (within ``QUERY_POSTINGS`` index
   entries, so that common words do not make the query read half the index), each weighing
   its tf·idf in the target times its idf, and the gate: its rarest terms, up to
   ``GATE_POSTINGS`` articles;
2. candidates: the ``CANDIDATES`` articles that contain a gate term, by the sum of the
   weights of the query terms they contain (the target's vector against the candidate's
   binary idf vector). SQLite computes it from rowids alone: one FTS5 subquery per term,
   the common terms ANDed with the gate, which FTS5 answers by seeking. An OR query ranked
   by bm25 decodes the positions of every matching article: at 50,000 articles it cost
   about 30 ms, this about 3, and finds as many articles of the same story;
3. the candidates' stored index terms, section, categories and date in one query, the
   ranking (``core.related.rank_related``), and full rows only for the entries shown.

``TermStats`` keeps the document frequencies between lookups, and counts the articles again
only when the database has been written to since.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field

from tuireader.core.models import ArticleRow
from tuireader.core.related import (
    IdfTable,
    RelatedDoc,
    candidate_query,
    rank_related,
)
from tuireader.core.searchtext import html_text
from tuireader.core.sections import section_key
from tuireader.core.store import ArticleQuery, Store

CANDIDATES = 50
QUERY_POSTINGS = 20_000
GATE_POSTINGS = 1_500
FILL_TO = 5  # the sidebar shows at least this many entries when the section has them


@dataclass(frozen=True, slots=True)
class RelatedEntry:
    """One entry of the sidebar: an article, whether it follows the same story, and the
    reprints of the same report by other sources ("also reported by")."""

    row: ArticleRow
    score: float
    same_story: bool
    also: tuple[ArticleRow, ...] = ()


@dataclass(slots=True)
class TermStats:
    """Document frequencies of the whole index, read once and reused until articles change.

    Reading them costs one pass over the index vocabulary, so keep one TermStats per reader
    session: each lookup calls :meth:`refresh`, which reads them again only when the number
    of articles changed (an edited article does not count as a change). ``idf`` keeps the
    inverse document frequencies computed so far, for the same reason.
    """

    df: dict[str, int] = field(default_factory=dict)
    n_docs: int = -1
    idf: IdfTable = field(default_factory=lambda: IdfTable({}, 0))
    # The connection and its state when n_docs was counted: while they stay, nothing needs
    # counting again (counting 50,000 articles takes a millisecond or two).
    _seen: tuple[weakref.ref[Store], tuple[int, int]] | None = field(
        default=None, init=False, repr=False
    )

    def refresh(self, store: Store) -> TermStats:
        state = _database_state(store)
        if state is not None and self._seen is not None:
            seen_store, seen_state = self._seen
            if seen_store() is store and seen_state == state:
                return self  # nothing was written since the last count
        count = store.count()
        if count != self.n_docs:
            self.df = store.document_frequencies()
            self.n_docs = count
            self.idf = IdfTable(self.df, count)
        self._seen = None if state is None else (weakref.ref(store), state)
        return self


def related_articles(
    store: Store, article_id: int, *, limit: int = 8, stats: TermStats | None = None
) -> list[RelatedEntry]:
    """The articles related to ``article_id``, best first; empty when it has none."""
    article = store.article(article_id)
    terms = store.index_terms_of([article_id]).get(article_id)
    if article is None or terms is None:
        return []
    stats = (stats or TermStats()).refresh(store)
    idf = stats.idf
    target = RelatedDoc(
        id=article.id,
        title=article.title,
        text=html_text(article.content or article.summary),
        section=section_key(article.section),
        categories=article.categories,
        published=article.published,
        source=article.feed_title,
        title_terms=terms[0],
        text_terms=terms[1],
    )
    query = candidate_query(
        target,
        idf,
        postings=QUERY_POSTINGS,
        gate_postings=GATE_POSTINGS,
        gate_least=CANDIDATES,
    )
    if query is None:
        return _more_from_section(store, article_id, article.section, [], limit)
    found = store.overlap_candidates(query.weights, query.gate, limit=CANDIDATES + 1)
    ids = [i for i in found if i != article_id][:CANDIDATES]
    candidates = _candidate_docs(store, ids)
    ranked = rank_related(target, candidates, limit=limit, df=idf)
    wanted = [result.id for result in ranked] + [i for result in ranked for i in result.also]
    rows = {row.id: row for row in store.rows_by_id(wanted)}
    entries = [
        RelatedEntry(
            row=rows[result.id],
            score=result.score,
            same_story=result.same_story,
            also=tuple(rows[i] for i in result.also if i in rows),
        )
        for result in ranked
        if result.id in rows
    ]
    return entries + _more_from_section(store, article_id, article.section, entries, limit)


def _database_state(store: Store) -> tuple[int, int] | None:
    """``Store.data_state``, or None when it cannot be read."""
    try:
        return store.data_state()
    except sqlite3.Error:
        return None


def _candidate_docs(store: Store, ids: Sequence[int]) -> list[RelatedDoc]:
    """What the ranking needs of each candidate: stored index terms, section key,
    categories and date (no text, no feed: those are read for the entries shown only)."""
    return [
        RelatedDoc(
            id=id_,
            title="",
            text="",
            section=key,  # the key, so that اقتصاد and الاقتصاد are one section
            categories=categories,
            published=published,
            title_terms=title_terms,
            text_terms=body_terms,
        )
        for id_, title_terms, body_terms, key, categories, published in store.ranking_fields(ids)
    ]


def _more_from_section(
    store: Store, article_id: int, section: str, entries: list[RelatedEntry], limit: int
) -> list[RelatedEntry]:
    """When few articles share the story's words, the newest of the same section fill the
    sidebar, after the related ones ("you may also like")."""
    wanted = min(limit, FILL_TO) - len(entries)
    if wanted <= 0:
        return []
    shown = {article_id} | {e.row.id for e in entries} | {r.id for e in entries for r in e.also}
    fill: list[RelatedEntry] = []
    query = ArticleQuery(section_key=section_key(section))
    for row in store.articles(query, limit=wanted + len(shown)):
        if row.id not in shown and len(fill) < wanted:
            fill.append(RelatedEntry(row=row, score=0.0, same_story=False))
    return fill
