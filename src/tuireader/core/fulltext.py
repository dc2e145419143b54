"""Full articles: fetch an article's page with the polite client, extract it, store it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from charset_normalizer import from_bytes
from lxml import etree

from tuireader.core.document import Document
from tuireader.core.extract import ExtractionError, extract_article
from tuireader.core.fetch import PAGE_ACCEPT, Fetcher
from tuireader.core.models import (
    Article,
    FetchOutcome,
    FetchRequest,
    FetchResult,
)
from tuireader.core.store import Store
from tuireader.core.threads import in_thread
from tuireader.core.urls import is_feed_url

_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FullTextResult:
    """What became of one article's page: a document, or why not, in words."""

    article_id: int
    document: Document | None
    error: str | None
    title: str | None = None  # the page's own, to fill a gap in the feed item
    published: datetime | None = None


def decode_page(body: bytes, content_type: str | None) -> str:
    """The page's text: the declared charset when it decodes, else UTF-8, else detected."""
    declared = _CHARSET.search(content_type or "")
    for charset in ([declared.group(1)] if declared else []) + ["utf-8"]:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    best = from_bytes(body).best()
    return str(best) if best is not None else body.decode("utf-8", errors="replace")


def extract_page(article_id: int, result: FetchResult) -> FullTextResult:
    """Turn a fetched page into a document (CPU work: call it from a thread)."""
    if result.outcome is not FetchOutcome.OK:
        reason = result.error or f"the page could not be fetched ({result.outcome.value})"
        return FullTextResult(article_id, None, reason)
    html = decode_page(result.body, result.headers.get("content-type"))
    try:
        extracted = extract_article(html, url=result.final_url or result.url)
    except ExtractionError as exc:
        return FullTextResult(article_id, None, exc.message)
    except (ValueError, etree.LxmlError):
        # A hostile page must cost its own article, never the refresh of every feed.
        return FullTextResult(article_id, None, "the page could not be read")
    return FullTextResult(
        article_id, extracted.document, None, extracted.title, extracted.published
    )


def save(store: Store, article: Article, outcome: FullTextResult) -> None:
    """Store the document (or the reason) with the article and index its text."""
    if outcome.document is None:
        store.set_full_text(article.id, None, outcome.error)
        return
    store.set_full_text(article.id, outcome.document.to_json(), None)
    store.fill_gaps(article.id, outcome.title, outcome.published)
    store.reindex(article.id, article.title or outcome.title or "", outcome.document.plain_text())


async def fetch_full_texts(
    fetcher: Fetcher, store: Store, articles: Iterable[Article]
) -> list[FullTextResult]:
    """Fetch, extract and store the pages of ``articles`` concurrently (within the fetcher's
    limits); database work and extraction run in a thread."""
    by_link: dict[str, list[Article]] = {}
    results: list[FullTextResult] = []
    for article in articles:
        if article.link and is_feed_url(article.link):
            by_link.setdefault(article.link, []).append(article)
        else:
            outcome = FullTextResult(article.id, None, "the article has no web address")
            await in_thread(save, store, article, outcome)
            results.append(outcome)
    requests = [FetchRequest(link) for link in by_link]
    async for fetched in fetcher.fetch_many(requests, accept=PAGE_ACCEPT):
        for article in by_link[fetched.url]:
            outcome = await in_thread(extract_page, article.id, fetched)
            await in_thread(save, store, article, outcome)
            results.append(outcome)
    return results
