"""The fast path: well-formed RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 1.0 read with lxml.

lxml is strict here (``recover=False``): a broken document raises ``XMLSyntaxError`` and goes
to feedparser, which recovers more of it. Entities are never resolved, no DTD is loaded and
nothing is fetched; libxml2's entity-amplification limit stops a billion-laughs document.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from tuireader.core.parsing.cleaning import is_image_media, text_to_html
from tuireader.core.parsing.raw import RawEntry, RawFeed

XMLSyntaxError = etree.XMLSyntaxError

ATOM = "http://www.w3.org/2005/Atom"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RSS10 = "http://purl.org/rss/1.0/"
RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
MEDIA = "http://search.yahoo.com/mrss/"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

Element = Any  # lxml ships no type information


class NotForFastPath(Exception):
    """The document is XML but not a kind the fast path reads (Atom 0.3, unknown roots)."""


def parse_xml(data: bytes, url: str) -> RawFeed:
    """Read a well-formed feed; raises ``XMLSyntaxError`` or ``NotForFastPath``."""
    parser = etree.XMLParser(
        recover=False,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    root = etree.fromstring(data, parser, base_url=url)
    if root.getroottree().docinfo.doctype:
        raise NotForFastPath("DOCTYPE")
    tag = root.tag
    if tag == "rss" or (isinstance(tag, str) and tag.endswith("}rss")):
        return _rss(root, url)
    if tag == f"{{{RDF}}}RDF":
        return _rdf(root, url)
    if tag == f"{{{ATOM}}}feed":
        return _atom(root, url)
    raise NotForFastPath(str(tag))


# --- shared ------------------------------------------------------------------------------------


def text_of(element: Element) -> str:
    """The text of an element; child elements (unescaped HTML in RSS) are kept as markup."""
    if len(element) == 0:
        return element.text or ""
    return inner_markup(element)


def inner_markup(element: Element) -> str:
    """The content of ``element`` serialized as HTML source without XML namespaces."""
    parts = [_escape(element.text or "")]
    for child in element:
        copy = deepcopy(child)
        copy.tail = None
        for node in copy.iter():
            if isinstance(node.tag, str) and node.tag.startswith("{"):
                node.tag = etree.QName(node).localname
        etree.cleanup_namespaces(copy)
        parts.append(etree.tostring(copy, encoding="unicode", method="html", with_tail=False))
        parts.append(_escape(child.tail or ""))
    return "".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _media(entry: RawEntry, element: Element, kind: str) -> None:
    """Record the image of a media:content / media:thumbnail / media:group element."""
    if kind == "group":
        for child in element:
            if child.tag == f"{{{MEDIA}}}content":
                _media(entry, child, "content")
            elif child.tag == f"{{{MEDIA}}}thumbnail":
                _media(entry, child, "thumbnail")
        return
    url = element.get("url")
    if not url:
        return
    if kind == "thumbnail" or is_image_media(url, element.get("medium"), element.get("type")):
        entry.images.append(url)


def _enclosure_image(element: Element, url_attribute: str) -> str | None:
    mime_type = (element.get("type") or "").strip().lower()
    url = element.get(url_attribute)
    return url if url and mime_type.startswith("image/") else None


# --- RSS 0.9x / 2.0 and RDF ----------------------------------------------------------------


def _rss(root: Element, url: str) -> RawFeed:
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    core = f"{{{namespace}}}" if namespace else ""
    channel = root.find(f"{core}channel")
    if channel is None:
        raise NotForFastPath("rss without channel")
    feed = _rss_channel(channel, core, url)
    feed.language = feed.language or root.get(XML_LANG)
    for item in channel.iterfind(f"{core}item"):
        feed.entries.append(_rss_item(item, core, url))
    return feed


def _rdf(root: Element, url: str) -> RawFeed:
    core = f"{{{RSS10}}}" if root.find(f"{{{RSS10}}}channel") is not None else f"{{{RSS090}}}"
    channel = root.find(f"{core}channel")
    if channel is None:
        raise NotForFastPath("RDF without channel")
    feed = _rss_channel(channel, core, url)
    for item in root.iterfind(f"{core}item"):
        entry = _rss_item(item, core, url)
        entry.guid = entry.guid or item.get(f"{{{RDF}}}about")
        feed.entries.append(entry)
    return feed


def _rss_channel(channel: Element, core: str, url: str) -> RawFeed:
    feed = RawFeed(base=channel.base or url, language=channel.get(XML_LANG))
    for child in channel:
        tag = child.tag
        if tag == f"{core}title" or (tag == f"{{{DC}}}title" and not feed.title):
            feed.title = text_of(child)
        elif tag == f"{core}link" and not feed.link:
            feed.link = child.text
        elif tag in (f"{core}language", f"{{{DC}}}language"):
            feed.language = child.text or feed.language
    return feed


def _rss_item(item: Element, core: str, url: str) -> RawEntry:
    entry = RawEntry(base=item.base or url, language=item.get(XML_LANG))
    handler: Callable[[RawEntry, Element], None] | None
    for child in item:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if core and tag.startswith(core):
            tag = tag[len(core) :]
        handler = _RSS_ITEM_FIELDS.get(tag)
        if handler is not None:
            handler(entry, child)
    if not entry.title:
        entry.title = _fallback_title(item)
    return entry


# Titles an item may carry instead of <title> (feedparser reads them too).
_FALLBACK_TITLES = (f"{{{DC}}}title", f"{{{MEDIA}}}title")


def _fallback_title(item: Element) -> str:
    for tag in _FALLBACK_TITLES:
        element = item.find(tag)
        if element is not None and text_of(element):
            return text_of(element)
    return ""


def _rss_guid(entry: RawEntry, element: Element) -> None:
    entry.guid = element.text
    entry.guid_is_link = (element.get("isPermaLink") or "true").strip().lower() != "false"


def _rss_enclosure(entry: RawEntry, element: Element) -> None:
    image = _enclosure_image(element, "url")
    if image:
        entry.images.append(image)


def _set(name: str) -> Callable[[RawEntry, Element], None]:
    def store(entry: RawEntry, element: Element) -> None:
        if not getattr(entry, name):
            setattr(entry, name, text_of(element))

    return store


def _add_category(entry: RawEntry, element: Element) -> None:
    entry.categories.append(text_of(element))


_RSS_ITEM_FIELDS: dict[str, Callable[[RawEntry, Element], None]] = {
    "title": _set("title"),
    "link": _set("link"),
    "description": _set("summary"),
    "author": _set("author"),
    "guid": _rss_guid,
    "pubDate": _set("published"),
    "category": _add_category,
    "enclosure": _rss_enclosure,
    f"{{{CONTENT}}}encoded": _set("content"),
    f"{{{DC}}}creator": _set("author"),
    f"{{{DC}}}date": _set("updated"),
    f"{{{DC}}}subject": _add_category,
    f"{{{DC}}}language": _set("language"),
    f"{{{DCTERMS}}}modified": _set("updated"),
    f"{{{MEDIA}}}content": lambda entry, element: _media(entry, element, "content"),
    f"{{{MEDIA}}}thumbnail": lambda entry, element: _media(entry, element, "thumbnail"),
    f"{{{MEDIA}}}group": lambda entry, element: _media(entry, element, "group"),
}


# --- Atom 1.0 ----------------------------------------------------------------------------------

_A = f"{{{ATOM}}}"


def _atom(root: Element, url: str) -> RawFeed:
    language = root.get(XML_LANG)
    feed = RawFeed(base=root.base or url, language=language)
    for child in root:
        tag = child.tag
        if tag == f"{_A}title":
            feed.title, feed.title_is_html = _atom_text(child)
        elif tag == f"{_A}link" and feed.link is None and _is_alternate(child):
            feed.link = _atom_href(child)
        elif tag == f"{_A}entry":
            feed.entries.append(_atom_entry(child, url, language))
    return feed


def _atom_entry(element: Element, url: str, feed_language: str | None) -> RawEntry:
    entry = RawEntry(base=element.base or url, language=element.get(XML_LANG) or feed_language)
    alternate: str | None = None
    for child in element:
        tag = child.tag
        if tag == f"{_A}id":
            entry.guid = child.text
        elif tag == f"{_A}title":
            entry.title, entry.title_is_html = _atom_text(child)
        elif tag == f"{_A}link":
            rel = (child.get("rel") or "alternate").strip()
            if rel == "alternate" and alternate is None:
                alternate = _atom_href(child)
            elif rel == "enclosure":
                image = _enclosure_image(child, "href")
                if image:
                    entry.images.append(_atom_href(child) or image)
        elif tag == f"{_A}published":
            entry.published = child.text
        elif tag == f"{_A}updated":
            entry.updated = child.text
        elif tag == f"{_A}author" and not entry.author:
            name = child.find(f"{_A}name")
            entry.author = (name.text or "") if name is not None else ""
        elif tag == f"{_A}category":
            entry.categories.append(child.get("label") or child.get("term") or "")
        elif tag == f"{_A}summary":
            entry.summary = _atom_html(child)
        elif tag == f"{_A}content":
            entry.content = _atom_html(child)
        elif tag == f"{{{DC}}}language":
            entry.language = child.text
        elif tag == f"{{{MEDIA}}}content":
            _media(entry, child, "content")
        elif tag == f"{{{MEDIA}}}thumbnail":
            _media(entry, child, "thumbnail")
        elif tag == f"{{{MEDIA}}}group":
            _media(entry, child, "group")
    entry.link = alternate
    return entry


def _is_alternate(link: Element) -> bool:
    return (link.get("rel") or "alternate").strip() == "alternate"


def _atom_href(link: Element) -> str | None:
    """The href of an Atom link resolved against its own xml:base."""
    href: str | None = link.get("href")
    base: str = link.base or ""
    if not href:
        return None
    try:
        return urljoin(base, href.strip())
    except ValueError:
        return None


def _atom_text(element: Element) -> tuple[str, bool]:
    """An Atom text construct as (string, is_html)."""
    kind = (element.get("type") or "text").strip().lower()
    if kind == "xhtml":
        return _xhtml_body(element), True
    if kind == "html":
        return element.text or "", True
    return "".join(element.itertext()), False


def _atom_html(element: Element) -> str:
    """An Atom summary or content as HTML source."""
    kind = (element.get("type") or "text").strip().lower()
    if kind == "xhtml":
        return _xhtml_body(element)
    if kind in ("html", "text/html"):
        return element.text or ""
    if kind in ("text", "text/plain"):
        return text_to_html("".join(element.itertext()))
    return ""  # other media types (or out-of-line content) carry no readable body


def _xhtml_body(element: Element) -> str:
    div = element.find(f"{{{XHTML}}}div")
    return inner_markup(div if div is not None else element)
