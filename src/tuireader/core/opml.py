"""OPML import and export (OPML 2.0, sections as folders)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from lxml import etree

from tuireader.core.config import FeedConfig
from tuireader.core.urls import is_feed_url
from tuireader.text.sanitize import sanitize_text

_MAX_BYTES = 10 * 1024 * 1024


class OPMLError(Exception):
    """An OPML file that cannot be read at all."""


@dataclass(frozen=True, slots=True)
class OPMLImport:
    """Feeds found in an OPML file, and outlines refused with the reason."""

    feeds: list[FeedConfig]
    refused: list[tuple[str, str]]  # (url as written, why)


def read_opml(data: bytes) -> OPMLImport:
    """Parse OPML bytes. Only http(s) feed URLs are taken; ``exec:``, ``file:`` and the like
    are refused and reported. Entities are never expanded and nothing is fetched."""
    if len(data) > _MAX_BYTES:
        raise OPMLError("the OPML file is larger than 10 MB")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise OPMLError(f"not an OPML file: {exc}") from exc
    if root is None or etree.QName(root).localname.lower() != "opml":
        raise OPMLError("not an OPML file: the document does not start with <opml>")
    feeds: list[FeedConfig] = []
    refused: list[tuple[str, str]] = []
    seen: set[str] = set()
    body = next((c for c in root if etree.QName(c).localname.lower() == "body"), None)
    if body is not None:
        _walk(body, None, feeds, refused, seen)
    return OPMLImport(feeds, refused)


def _walk(
    node: etree._Element,
    folder: str | None,
    feeds: list[FeedConfig],
    refused: list[tuple[str, str]],
    seen: set[str],
) -> None:
    for outline in node:
        if not isinstance(outline.tag, str) or etree.QName(outline).localname != "outline":
            continue
        url = sanitize_text(outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        title = sanitize_text(outline.get("title") or outline.get("text") or "").strip()
        if not url:
            _walk(outline, title or folder, feeds, refused, seen)
            continue
        if not is_feed_url(url):
            refused.append((url, "only http and https feed URLs are supported"))
            continue
        if url not in seen:
            seen.add(url)
            feeds.append(FeedConfig(url=url, title=title or None, section=folder))


def write_opml(feeds: Iterable[tuple[str, str, str | None]], *, now: datetime | None = None) -> str:
    """OPML 2.0 for (url, title, section) triples; feeds with a section go in its folder."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = "tuireader subscriptions"
    etree.SubElement(head, "dateCreated").text = format_datetime(now or datetime.now(UTC))
    body = etree.SubElement(root, "body")
    folders: dict[str, etree._Element] = {}
    for url, title, section in feeds:
        parent = body
        if section:
            if section not in folders:
                folders[section] = etree.SubElement(body, "outline", text=section, title=section)
            parent = folders[section]
        etree.SubElement(parent, "outline", type="rss", text=title, title=title, xmlUrl=url)
    return str(etree.tostring(root, encoding="unicode", pretty_print=True))
