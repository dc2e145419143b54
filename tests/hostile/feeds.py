"""Hostile and broken feed documents, each built from scratch (nothing downloaded)."""

from __future__ import annotations

import gzip
import random
from xml.sax.saxutils import escape

from tests.feedgen import rss, rss_item


def billion_laughs(levels: int = 10) -> bytes:
    """The classic entity expansion bomb, inside an RSS title (10^levels "lol"s)."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels)
    ]
    return (
        '<?xml version="1.0"?><!DOCTYPE rss [' + "".join(entities) + "]>"
        '<rss version="2.0"><channel><title>bomb</title>'
        f"<item><title>&lol{levels - 1};</title><guid>b1</guid></item></channel></rss>"
    ).encode()


def external_entity(path: str) -> bytes:
    """An RSS feed whose title is an external entity naming a local file (XXE)."""
    return (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file://' + path + '">]>'
        '<rss version="2.0"><channel><title>xxe &secret;</title>'
        "<item><title>leak &secret;</title><guid>x1</guid>"
        "<description>&secret;</description></item></channel></rss>"
    ).encode()


def parameter_entity(path: str, dtd_url: str) -> bytes:
    """XXE through a parameter entity and an external DTD (out-of-band exfiltration)."""
    return (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % file SYSTEM "file://' + path + '">'
        f'<!ENTITY % dtd SYSTEM "{dtd_url}">%dtd;]>'
        '<rss version="2.0"><channel><title>oob</title>'
        "<item><title>oob item</title><guid>o1</guid></item></channel></rss>"
    ).encode()


def huge_feed(megabytes: int) -> bytes:
    """A valid RSS feed of about ``megabytes`` MB (few items, each with a long description)."""
    filler = escape("<p>" + "كلام كثير بلا معنى " * 2000 + "</p>")  # about 70 kB per item
    count = megabytes * 1024 * 1024 // len(filler.encode()) + 1
    items = [
        f"<item><title>big {n}</title><guid>big-{n}</guid>"
        f"<description>{filler}</description></item>"
        for n in range(count)
    ]
    return rss(items, title="Huge")


def many_items(count: int) -> bytes:
    """A valid RSS feed with ``count`` small items."""
    return rss([rss_item(n) for n in range(count)], title="Many")


def truncated(cut: float = 0.6) -> bytes:
    body = rss(range(1, 11), title="Truncated")
    return body[: int(len(body) * cut)]


HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>News</title></head>"
    b"<body><h1>Welcome</h1><p>This is a page, not a feed.</p></body></html>"
)


def binary_garbage(size: int = 50_000, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(size)


def invalid_dates() -> bytes:
    dates = [
        "yesterday",
        "Fri, 31 Feb 2026 25:61:00 GMT",
        "9999-99-99",
        "",
        "0",
        "-1",
        "Sun, 29 Nov 3026 10:00:00 GMT",
        "Thu, 01 Jan 1970 00:00:00 +9999",
    ]
    items = [
        f"<item><title>dated {n}</title><guid>d{n}</guid><pubDate>{escape(d)}</pubDate></item>"
        for n, d in enumerate(dates)
    ]
    return rss(items, title="Dates")


def missing_fields() -> bytes:
    items = [
        "<item><link>https://m.example/1</link><guid>m1</guid></item>",  # no title
        "<item><title>no link</title><guid>m2</guid></item>",  # no link
        "<item><title>no guid</title><link>https://m.example/3</link></item>",  # no guid
        "<item><title>only a title</title></item>",
        "<item><description>only a description</description></item>",
        "<item></item>",
    ]
    return rss(items, title="Missing")


def duplicate_guids() -> bytes:
    items = [
        f"<item><title>copy {n}</title><guid>same</guid><link>https://d.example/{n}</link></item>"
        for n in range(5)
    ]
    return rss(items, title="Duplicates")


def unclosed_markup(repeats: int = 40_000) -> bytes:
    """Bodies of unclosed comments, scripts, styles and images: text that a careless pattern
    scans again from every opening (quadratic time: hours for a few hundred kilobytes)."""
    bodies = ["<!-- x ", "<script>x ", "<style>a", "<img x ", "<a "]
    items = [
        f"<item><title>unclosed {n}</title><guid>c{n}</guid>"
        f"<description>{escape(body * repeats)}</description></item>"
        for n, body in enumerate(bodies)
    ]
    return rss(items, title="Unclosed")


def relative_links() -> bytes:
    items = [
        "<item><title>rel 1</title><guid>r1</guid><link>/news/1</link></item>",
        "<item><title>rel 2</title><guid>r2</guid><link>../2?x=1</link></item>",
        "<item><title>rel 3</title><guid>r3</guid><link>//cdn.example/3</link></item>",
    ]
    return rss(items, title="Relative")


def unsafe_links() -> bytes:
    """Item links in schemes no reader should open."""
    links = [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<b>x</b>",
        "vbscript:msgbox",
        "JaVaScRiPt:alert(2)",
        " javascript:alert(3)",
    ]
    items = [
        f"<item><title>unsafe {n}</title><guid>u{n}</guid><link>{escape(link)}</link>"
        f"<description>{escape(f'<a href={chr(34)}{link}{chr(34)}>x</a>')}</description></item>"
        for n, link in enumerate(links)
    ]
    return rss(items, title="Unsafe links")


def gzip_bomb(megabytes: int = 200) -> bytes:
    """A small gzip body that inflates to ``megabytes`` MB of spaces after a feed's start."""
    raw = b'<?xml version="1.0"?><rss version="2.0"><channel><title>'
    raw += b" " * (megabytes * 1024 * 1024)
    return gzip.compress(raw, compresslevel=9)


def truncated_at_character() -> bytes:
    """A UTF-8 feed cut short between two characters, after its sixth item."""
    body = rss(range(1, 11), title="Truncated")
    cut = body.index(b"<item>", body.index(b"<item>") + 1)  # inside the second item
    cut = body.index(b"</item>", cut + len(b"<item>") * 4) + 3
    return body[:cut]


def truncated_inside_character() -> bytes:
    """A UTF-8 feed cut in the middle of a two-byte Arabic letter, as a dropped connection
    leaves it."""
    body = rss(range(1, 11), title="Truncated")
    cut = int(len(body) * 0.6)
    while body[cut] < 0x80 or body[cut] & 0xC0 == 0x80:  # find the first byte of a letter
        cut += 1
    return body[: cut + 1]
