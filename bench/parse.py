"""Time the feed-parsing candidates on a large Arabic RSS 2.0 feed and a large Atom feed.

Run: PYTHONPATH=src python3 bench/parse.py [--items 1000] [--repeat 3]

The feeds are generated here (WordPress-style RSS with content:encoded, categories,
dc:creator; Atom 1.0 with HTML content), so the run is reproducible without a network.
fastfeedparser is timed only when it is importable (it is not a dependency); to include it
without touching the environment: pip install --no-deps --target /tmp/ffp fastfeedparser, then
PYTHONPATH=src:/tmp/ffp python3 bench/parse.py. The machine is shared: take the best of runs.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import feedparser

from tuireader.core.parse import parse_feed
from tuireader.core.parsing.finish import finish_feed
from tuireader.core.parsing.loose import parse_loose
from tuireader.core.parsing.sniff import prepare_xml
from tuireader.core.parsing.xml_fast import parse_xml

URL = "https://news.example.ma/feed/"
PARAGRAPH = (
    "<p>أعلنت الحكومة اليوم عن خطة جديدة لدعم الفلاحين الصغار في جهة فاس مكناس، "
    "وتشمل الخطة قروضا ميسرة وتكوينا في تقنيات السقي الحديثة. "
    'وقال الوزير إن <a href="https://news.example.ma/tag/agri/">القطاع الفلاحي</a> '
    "يبقى ركيزة الاقتصاد الوطني.</p>\n"
)
CATEGORIES = ("سياسة", "اقتصاد", "المغرب", "فلاحة", "رياضة", "ثقافة")


def wordpress_rss(items: int) -> bytes:
    """A WordPress-style Arabic RSS 2.0 feed of ``items`` items (~6 KB each)."""
    start = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:media="http://search.yahoo.com/mrss/">\n<channel>\n'
        "<title>جريدة المثال</title>\n"
        f'<atom:link href="{URL}" rel="self" type="application/rss+xml" />\n'
        "<link>https://news.example.ma</link>\n<language>ar</language>\n"
    ]
    for number in range(items):
        when = (start - timedelta(minutes=7 * number)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        first, second = CATEGORIES[number % 6], CATEGORIES[(number + 2) % 6]
        parts.append(
            "<item>\n"
            f"<title>خبر رقم {number}: الحكومة تطلق خطة لدعم الفلاحين</title>\n"
            f"<link>https://news.example.ma/2026/11/28/post-{number}/</link>\n"
            "<dc:creator><![CDATA[هيئة التحرير]]></dc:creator>\n"
            f"<pubDate>{when}</pubDate>\n"
            f"<category><![CDATA[{first}]]></category>\n"
            f"<category><![CDATA[{second}]]></category>\n"
            f'<guid isPermaLink="false">https://news.example.ma/?p={number}</guid>\n'
            "<description><![CDATA[أعلنت الحكومة اليوم عن خطة جديدة [&#8230;]]]></description>\n"
            f"<content:encoded><![CDATA[{PARAGRAPH * 12}"
            f'<p><img src="/wp-content/uploads/{number}.jpg" alt="" /></p>]]></content:encoded>\n'
            f'<media:content url="https://news.example.ma/img/{number}.jpg" medium="image" />\n'
            "</item>\n"
        )
    parts.append("</channel>\n</rss>\n")
    return "".join(parts).encode("utf-8")


def atom(items: int) -> bytes:
    """An Atom 1.0 feed of ``items`` entries with escaped HTML content."""
    from html import escape

    start = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)
    body = escape(PARAGRAPH * 12)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">\n'
        "<title>مدونة المثال</title>\n"
        '<link rel="alternate" href="https://blog.example.org/"/>\n'
        "<id>tag:blog.example.org,2026:feed</id>\n<updated>2026-11-28T18:00:00Z</updated>\n"
    ]
    for number in range(items):
        when = (start - timedelta(minutes=7 * number)).isoformat()
        parts.append(
            "<entry>\n"
            f"<id>tag:blog.example.org,2026:{number}</id>\n"
            f"<title>تدوينة رقم {number}</title>\n"
            f'<link rel="alternate" type="text/html" href="/posts/{number}"/>\n'
            f"<published>{when}</published><updated>{when}</updated>\n"
            "<author><name>ليلى</name></author>\n"
            '<category term="travel" label="سفر"/>\n'
            f'<content type="html">{body}</content>\n'
            "</entry>\n"
        )
    parts.append("</feed>\n")
    return "".join(parts).encode("utf-8")


def candidates() -> list[tuple[str, Callable[[bytes], int]]]:
    """(name, function returning the number of entries read) for every candidate."""

    def feedparser_default(body: bytes) -> int:
        return len(feedparser.parse(io.BytesIO(body)).entries)

    def feedparser_lean(body: bytes) -> int:
        result = feedparser.parse(
            io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False
        )
        return len(result.entries)

    def lxml_fast_path_raw(body: bytes) -> int:
        data, _ = prepare_xml(body.decode("utf-8"))
        return len(parse_xml(data, URL).entries)

    def fallback_path_full(body: bytes) -> int:
        data, _ = prepare_xml(body.decode("utf-8"))
        now = datetime.now(UTC)
        return len(finish_feed(parse_loose(data, URL).feed, now).entries)

    def parse_feed_full(body: bytes) -> int:
        return len(parse_feed(body, url=URL, content_type="application/rss+xml").entries)

    found: list[tuple[str, Callable[[bytes], int]]] = [
        ("feedparser (defaults)", feedparser_default),
        ("feedparser (no sanitize/resolve)", feedparser_lean),
        ("lxml fast path, raw fields only", lxml_fast_path_raw),
        ("parse_feed fallback path (feedparser)", fallback_path_full),
        ("parse_feed (chosen: lxml + cleaning)", parse_feed_full),
    ]
    try:
        import fastfeedparser  # type: ignore[import-not-found]
    except ImportError:
        pass
    else:

        def fastfeedparser_parse(body: bytes) -> int:
            return len(fastfeedparser.parse(body).entries)

        found.insert(2, ("fastfeedparser", fastfeedparser_parse))
    return found


def best_time(function: Callable[[bytes], int], body: bytes, repeat: int) -> tuple[float, int]:
    """The fastest of ``repeat`` runs, in seconds, and the entry count of the last run."""
    times = []
    count = 0
    for _ in range(repeat):
        started = time.perf_counter()
        count = function(body)
        times.append(time.perf_counter() - started)
    return min(times), count


def main() -> None:
    """Print one table row per candidate and document."""
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--items", type=int, default=1000)
    arguments.add_argument("--repeat", type=int, default=3)
    options = arguments.parse_args()
    documents = {
        "RSS 2.0 (WordPress, Arabic)": wordpress_rss(options.items),
        "Atom 1.0": atom(options.items),
    }
    print(f"{'document':<28} {'candidate':<40} {'entries':>7} {'seconds':>8} {'items/s':>9}")
    for label, body in documents.items():
        size = f"{label} {len(body) / 1e6:.1f} MB"
        for name, function in candidates():
            seconds, count = best_time(function, body, options.repeat)
            rate = count / seconds if seconds else float("inf")
            print(f"{size:<28} {name:<40} {count:>7} {seconds:>8.3f} {rate:>9.0f}")


if __name__ == "__main__":
    main()
