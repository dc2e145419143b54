"""Full articles: fetched during a refresh for summary-only items, on demand, and stored."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from click.testing import CliRunner

from tests.feedserver import FeedServer, Response
from tuireader.cli import main
from tuireader.core.config import Config, FeedConfig, FetchConfig
from tuireader.core.models import FullText
from tuireader.core.reading import ArticleLayout
from tuireader.core.refresh import refresh
from tuireader.core.store import Store

PAGES = Path(__file__).parent.parent / "data" / "pages"


def summary_feed(server: FeedServer, items: list[tuple[str, str, str | None]]) -> bytes:
    """RSS with only a short description per item: (title, path, pubDate or None)."""
    body = "".join(
        f"<item><title>{title}</title><link>{server.url(path)}</link>"
        + (f"<pubDate>{date}</pubDate>" if date else "")
        + "<description>مقدمة قصيرة للخبر [&#8230;]</description></item>"
        for title, path, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>صدى</title>'
        f"<language>ar</language>{body}</channel></rss>"
    ).encode()


def test_refresh_fetches_pages_of_summary_only_items(tmp_path: Path) -> None:
    expected = json.loads((PAGES / "jannah_wordpress.expected.json").read_text("utf-8"))
    with FeedServer() as server:
        server.routes["/page.html"] = Response(
            body=(PAGES / "jannah_wordpress.html").read_bytes(),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        server.routes["/missing.html"] = Response(status=404)
        server.routes["/feed.xml"] = Response(
            body=summary_feed(
                server,
                [
                    ("خبر كامل", "/page.html", None),
                    ("خبر مفقود", "/missing.html", "Sat, 28 Nov 2026 10:00:00 +0000"),
                ],
            )
        )
        config = Config(
            feeds=(FeedConfig(server.url("/feed.xml"), full_text=FullText.AUTO),),
            fetch=FetchConfig(deadline=5, timeout=2),
        )
        report = asyncio.run(refresh(tmp_path / "db.sqlite", config))
        assert report.full_texts == 1
        assert server.hits("/page.html") == 1

    with Store(tmp_path / "db.sqlite") as store:
        rows = {row.title: row for row in store.articles()}
        full = store.article(rows["خبر كامل"].id)
        missing = store.article(rows["خبر مفقود"].id)
        assert full is not None and missing is not None
        assert full.full_text and full.full_text_error is None
        text = "\n".join(line.text for line in ArticleLayout(full, bidi="off").lines(10_000))
        for paragraph in expected["paragraphs"]:
            assert " ".join(paragraph.split()) in " ".join(text.split())
        for boilerplate in expected["boilerplate"]:
            assert boilerplate not in text
        # The feed gave no date: the page's own publication date fills the gap.
        assert expected["published"].startswith(full.published.date().isoformat())
        assert missing.full_text is None
        assert "404" in (missing.full_text_error or "")
        shown = [line.text for line in ArticleLayout(missing, bidi="off").lines(200)]
        assert any("404" in line for line in shown)  # the plain note saying why
        assert any("مقدمة قصيرة" in line for line in shown)  # and the summary

        # Searching finds words that only the full text has.
        word = expected["paragraphs"][-1].split()[-2]
        from tuireader.core.search import search

        assert full.id in [row.id for row in search(store, word, prefix=False)]


def test_fetch_full_on_demand_for_any_article(tmp_path: Path) -> None:
    with FeedServer() as server:
        server.routes["/en.html"] = Response(
            body=(PAGES / "english_news.html").read_bytes(),
            headers={"Content-Type": "text/html"},
        )
        server.routes["/feed.xml"] = Response(
            body=summary_feed(server, [("Tram", "/en.html", "Sat, 28 Nov 2026 10:00:00 +0000")])
        )
        config_file = tmp_path / "config.toml"
        runner = CliRunner()
        base = ["--config", str(config_file), "--data-dir", str(tmp_path)]
        runner.invoke(
            main, [*base, "feeds", "add", server.url("/feed.xml"), "--full-text", "never"]
        )
        assert runner.invoke(main, [*base, "refresh"]).exit_code == 0
        assert server.hits("/en.html") == 0  # never: not fetched during refresh
        listed = json.loads(runner.invoke(main, [*base, "articles", "--json"]).output)
        article_id = str(listed[0]["id"])
        fetched = runner.invoke(main, [*base, "fetch-full", article_id])
        assert fetched.exit_code == 0, fetched.output
        assert "full text stored" in fetched.output
        read = runner.invoke(main, [*base, "read", article_id, "--width", "100"]).output
        assert "swing bridge" in read
        assert runner.invoke(main, [*base, "fetch-full", "999"]).exit_code == 2  # no such article
