"""Related articles for one stored article: candidates from the index, ranked by core.related."""

from __future__ import annotations

from dataclasses import dataclass, field

from tuireader.core.models import ArticleRow
from tuireader.core.related import RelatedDoc, rank_related, strongest_terms
from tuireader.core.searchtext import html_text
from tuireader.core.sections import section_key
from tuireader.core.store import ArticleQuery, Store
from tuireader.core.terms import fts_any_query

CANDIDATES = 200
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
    of articles changed (an edited article does not count as a change).
    """

    df: dict[str, int] = field(default_factory=dict)
    n_docs: int = -1

    def refresh(self, store: Store) -> TermStats:
        count = store.count()
        if count != self.n_docs:
            self.df = store.document_frequencies()
            self.n_docs = count
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
    df, n_docs = stats.df, stats.n_docs
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
    match = fts_any_query(strongest_terms(target, df, n_docs))
    if match is None:
        return []
    ids = [i for i in store.candidate_ids(match, limit=CANDIDATES + 1) if i != article_id]
    rows = {row.id: row for row in store.rows_by_id(ids)}
    stored = store.index_terms_of(ids)
    candidates = [
        RelatedDoc(
            id=row.id,
            title=row.title,
            text="",
            section=section_key(row.section),  # so that اقتصاد and الاقتصاد are one section
            categories=row.categories,
            published=row.published,
            source=row.feed_title,
            title_terms=stored[row.id][0],
            text_terms=stored[row.id][1],
        )
        for row in rows.values()
        if row.id in stored
    ]
    ranked = rank_related(target, candidates, limit=limit, df=df, n_docs=n_docs)
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
