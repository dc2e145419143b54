"""Small RSS documents for tests, written out explicitly (no feed library involved)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

BASE_TIME = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def rss_item(n: int, *, title: str | None = None, category: str = "سياسة") -> str:
    """One item; ``n`` makes guid, link, title and date distinct."""
    title = title if title is not None else f"خبر عاجل رقم {n} عن المغرب"
    date = format_datetime(BASE_TIME + timedelta(minutes=n))
    return (
        f"<item><title>{escape(title)}</title>"
        f"<link>https://news.example/{n}</link>"
        f'<guid isPermaLink="false">https://news.example/?p={n}</guid>'
        f"<pubDate>{date}</pubDate>"
        f"<category><![CDATA[{category}]]></category>"
        f"<description>{escape(f'<p>ملخص الخبر {n}، وهو ملخص قصير.</p>')}</description>"
        f"<content:encoded><![CDATA[<p>نص الخبر {n} كاملا مع تفاصيل كثيرة.</p>]]>"
        "</content:encoded></item>"
    )


def rss(items: list[str] | range, *, title: str = "أخبار الاختبار") -> bytes:
    """An RSS 2.0 feed with content:encoded, as WordPress writes it."""
    body = "".join(rss_item(i) if isinstance(i, int) else i for i in items)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{escape(title)}</title><link>https://news.example/</link>"
        f"<language>ar</language>{body}</channel></rss>"
    ).encode()
