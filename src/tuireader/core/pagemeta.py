"""Title, publication time and reading direction that a web page declares about itself."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time

from lxml import etree

from tuireader.core.document import LANGUAGE_TAG, safe_url
from tuireader.core.models import Direction
from tuireader.text.sanitize import sanitize_text

_MAX_JSON_LD = 256_000
_TITLE_METAS = etree.XPath(
    "//meta[@property='og:title' or @name='og:title' or @name='twitter:title']/@content"
)
_DATE_METAS = etree.XPath(
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @itemprop='datePublished' or @name='pubdate' or @name='publishdate'"
    " or @name='parsely-pub-date' or @name='DC.date.issued' or @name='dcterms.created']"
    "/@content"
)
_JSON_LD = etree.XPath("//script[@type='application/ld+json']/text()")
_TIME_PUBDATE = etree.XPath("//time[@pubdate or @itemprop='datePublished']/@datetime")
_BASE_HREF = etree.XPath("//head/base/@href")
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def clean_line(text: str) -> str:
    """Sanitized text on one line, runs of whitespace collapsed."""
    return " ".join(sanitize_text(text).split())


def parse_timestamp(value: str) -> datetime | None:
    """An ISO-8601 date or date-time as timezone-aware UTC (naive times are taken as UTC)."""
    value = value.strip()
    if not value or len(value) > 64:
        return None
    try:
        if _DATE_ONLY.fullmatch(value):
            moment = datetime.combine(date.fromisoformat(value), time(), UTC)
        else:
            moment = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def page_title(tree: etree._Element) -> str | None:
    """The page's own title: og:title / twitter:title, then <title>, then the first <h1>."""
    candidates = [str(value) for value in _strings(_TITLE_METAS(tree))]
    candidates += [el.text_content() for el in tree.iter("title", "h1") if _is_element(el)]
    for candidate in candidates:
        title = clean_line(candidate)
        if title:
            return title[:500]
    return None


def page_published(tree: etree._Element) -> datetime | None:
    """When the page says the article was published: meta tags, JSON-LD, then <time>."""
    for value in _strings(_DATE_METAS(tree)):
        moment = parse_timestamp(value)
        if moment:
            return moment
    for value in _json_ld_dates(tree):
        moment = parse_timestamp(value)
        if moment:
            return moment
    for value in _strings(_TIME_PUBDATE(tree)):
        moment = parse_timestamp(value)
        if moment:
            return moment
    return None


def page_direction(tree: etree._Element) -> tuple[Direction, str | None]:
    """The direction and language set on <html> or <body> (body wins), for the whole page."""
    direction, lang = Direction.AUTO, None
    for element in (tree, tree.find("body")):
        if element is None:
            continue
        value = str(element.get("dir", "")).strip().lower()
        if value in ("rtl", "ltr"):
            direction = Direction(value)
        code = str(element.get("lang", "")).strip()
        if LANGUAGE_TAG.fullmatch(code):
            lang = code
    return direction, lang


def page_base_url(tree: etree._Element, url: str) -> str:
    """The URL relative links resolve against: the page's <base href> if usable, else ``url``."""
    for href in _strings(_BASE_HREF(tree)):
        base = safe_url(href, url)
        if base is not None and base.lower().startswith(("http://", "https://")):
            return base
    return url


def _json_ld_dates(tree: etree._Element) -> Iterator[str]:
    for raw in _strings(_JSON_LD(tree)):
        if len(raw) > _MAX_JSON_LD:
            continue
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        yield from _find_key(data, "datePublished", budget=[2000])


def _find_key(data: object, key: str, budget: list[int]) -> Iterator[str]:
    """Values of ``key`` anywhere in parsed JSON, visiting at most ``budget[0]`` nodes."""
    stack = [data]
    while stack and budget[0] > 0:
        budget[0] -= 1
        node = stack.pop()
        if isinstance(node, dict):
            value = node.get(key)
            if isinstance(value, str):
                yield value
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))


def _strings(found: object) -> list[str]:
    if not isinstance(found, list):
        return []
    return [str(item) for item in found if isinstance(item, str)]


def _is_element(element: object) -> bool:
    return isinstance(element, etree._Element) and isinstance(element.tag, str)
