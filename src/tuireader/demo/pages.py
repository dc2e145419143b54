"""Article pages for the demo's full-content feeds, made from the feeds themselves.

The summaries-only source ships real article pages (``site/sada``); the two sources that
carry whole articles in their feeds link to pages that would otherwise not exist, so "full
text" (f) and "open" (o) would meet a 404 on two articles in three. Each such page is the
item's own title and content in a plain news-site frame (navigation, a share bar, a footer)
that the extractor has to see through.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ElementTree
from urllib.parse import urlsplit

_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def article_pages(feed_document: str) -> dict[str, str]:
    """Page path → HTML for every item of an RSS or Atom ``feed_document`` (ours, trusted)."""
    root = ElementTree.fromstring(feed_document)
    if root.tag == f"{_ATOM}feed":
        site = root.findtext(f"{_ATOM}title") or ""
        language = root.get("{http://www.w3.org/XML/1998/namespace}lang", "en")
        items = [_atom_item(entry) for entry in root.iter(f"{_ATOM}entry")]
    else:
        site = root.findtext("channel/title") or ""
        language = (root.findtext("channel/language") or "ar")[:2]
        items = [_rss_item(item) for item in root.iter("item")]
    return {urlsplit(link).path: _page(title, body, site, language) for link, title, body in items}


def _atom_item(entry: ElementTree.Element) -> tuple[str, str, str]:
    links = [e for e in entry.iter(f"{_ATOM}link") if e.get("rel") in (None, "alternate")]
    body = entry.findtext(f"{_ATOM}content") or entry.findtext(f"{_ATOM}summary") or ""
    return links[0].get("href", "") if links else "", entry.findtext(f"{_ATOM}title") or "", body


def _rss_item(item: ElementTree.Element) -> tuple[str, str, str]:
    body = item.findtext(_CONTENT) or item.findtext("description") or ""
    return item.findtext("link") or "", item.findtext("title") or "", body


_FRAME_WORDS = {
    "ar": ("الرئيسية", "العالم", "اقتصاد", "رياضة", "شارك", "اطبع", "من نحن", "اتصل بنا"),
    "en": ("Home", "World", "Business", "Sport", "Share", "Print", "About", "Contact"),
}


def _page(title: str, body: str, site: str, language: str) -> str:
    direction = "rtl" if language == "ar" else "ltr"
    home, world, business, sport, share, print_, about, contact = _FRAME_WORDS.get(
        language, _FRAME_WORDS["en"]
    )
    name, heading = html.escape(site), html.escape(title)
    return f"""<!DOCTYPE html>
<html lang="{language}" dir="{direction}">
<head><meta charset="utf-8"><title>{heading} - {name}</title>
<meta property="og:title" content="{heading}"><meta property="og:site_name" content="{name}"></head>
<body>
<header><a href="/">{name}</a><nav><ul><li><a href="/">{home}</a></li>
<li><a href="/">{world}</a></li><li><a href="/">{business}</a></li>
<li><a href="/">{sport}</a></li></ul></nav></header>
<main><article><h1>{heading}</h1>
<div class="share"><a href="/">{share}</a> <a href="/">{print_}</a></div>
<div class="entry-content">{body}</div></article></main>
<footer><p>© {name}</p><ul><li><a href="/">{about}</a></li><li><a href="/">{contact}</a></li></ul>
</footer>
</body></html>
"""
