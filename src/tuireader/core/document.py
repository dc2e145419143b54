"""The article as the terminal shows it: a flat list of blocks holding styled inline runs.

A document is plain data, built once from HTML (see ``core.extract``) and stored as JSON with
the article, so reading it again needs neither the network nor the HTML parser. Every text run
in it has been sanitized; a ``"\\n"`` inside a block is a hard line break.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from tuireader.core.models import Direction

JSON_VERSION = 1
#: Between the cells of a ``table_row`` block: the row reads as one line of text.
CELL_SEPARATOR = " │ "
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_MAX_URL_LENGTH = 4096
#: The shape of a BCP 47 language tag, as far as a block's ``lang`` needs it.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,4}")


class BlockKind(StrEnum):
    """What a block is, which decides how it is drawn."""

    HEADING = "heading"  # level 1-6
    PARAGRAPH = "paragraph"
    QUOTE = "quote"  # level = nesting depth from 1
    LIST_ITEM = "list_item"  # level = nesting depth from 1; ordered, number
    PRE = "pre"  # whitespace and newlines are kept
    IMAGE = "image"  # alt text in inlines, URL in src
    CAPTION = "caption"
    RULE = "rule"
    TABLE_ROW = "table_row"  # cells separated by CELL_SEPARATOR inlines


@dataclass(frozen=True, slots=True)
class Inline:
    """A run of text with one style. ``link`` is an absolute http(s) or mailto URL."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None

    def same_style(self, other: Inline) -> bool:
        """Whether ``other`` has exactly this run's style, so the two can be merged."""
        return (self.bold, self.italic, self.code, self.link) == (
            other.bold,
            other.italic,
            other.code,
            other.link,
        )


@dataclass(frozen=True, slots=True)
class Block:
    """One block of an article: a heading, a paragraph, a list item, an image, ..."""

    kind: BlockKind
    inlines: tuple[Inline, ...] = ()
    level: int = 0
    ordered: bool = False
    number: int | None = None  # the item's number in an ordered list; None on continuations
    direction: Direction = Direction.AUTO
    lang: str | None = None
    src: str | None = None  # image URL

    @property
    def text(self) -> str:
        """The plain text of the block's inlines."""
        return "".join(inline.text for inline in self.inlines)


@dataclass(frozen=True, slots=True)
class Document:
    """An article body with the metadata its page gave (``published`` is UTC)."""

    blocks: tuple[Block, ...]
    title: str | None = None
    published: datetime | None = None
    source_url: str | None = None

    def plain_text(self) -> str:
        """The text of every non-empty block, separated by blank lines (for search indexing)."""
        return "\n\n".join(block.text for block in self.blocks if block.text.strip())

    def to_json(self) -> str:
        """Serialize to a stable, versioned JSON string (``{"v": 1, ...}``)."""
        payload: dict[str, Any] = {
            "v": JSON_VERSION,
            "blocks": [_block_to_dict(b) for b in self.blocks],
        }
        if self.title is not None:
            payload["title"] = self.title
        if self.published is not None:
            payload["published"] = self.published.astimezone(UTC).isoformat()
        if self.source_url is not None:
            payload["source_url"] = self.source_url
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))

    @staticmethod
    def from_json(s: str) -> Document:
        """Rebuild a document from :meth:`to_json` output; anything else raises ``ValueError``."""
        try:
            payload = json.loads(s)
        except (TypeError, RecursionError) as error:
            raise ValueError("the stored document is not JSON") from error
        if not isinstance(payload, dict) or payload.get("v") != JSON_VERSION:
            raise ValueError("the stored document has an unknown format")
        blocks = payload.get("blocks")
        if not isinstance(blocks, list):
            raise ValueError("the stored document has no block list")
        return Document(
            blocks=tuple(_block_from_dict(b) for b in blocks),
            title=_optional_str(payload, "title"),
            published=_optional_datetime(payload, "published"),
            source_url=_optional_str(payload, "source_url"),
        )


@lru_cache(maxsize=4096)  # pages repeat the same links (menus, tags) many times
def safe_url(href: str, base_url: str | None = None) -> str | None:
    """Resolve ``href`` against ``base_url``; None unless the result is http(s) or mailto.

    Tabs and newlines are removed as browsers do; any other control character or a space
    inside the URL makes it unusable, since it could only be an attempt to smuggle text.
    """
    href = href.strip(" \t\n\r\f").replace("\t", "").replace("\n", "").replace("\r", "")
    if not href or len(href) > _MAX_URL_LENGTH:
        return None
    if any(ch <= " " or "\x7f" <= ch <= "\x9f" for ch in href):
        return None
    try:
        url = urljoin(base_url, href) if base_url else href
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _LINK_SCHEMES:
        return None
    if scheme != "mailto" and not parts.hostname:
        return None
    if any(ch <= " " or "\x7f" <= ch <= "\x9f" for ch in url):
        return None
    return url


def merge_inlines(inlines: Iterable[Inline]) -> tuple[Inline, ...]:
    """Drop empty runs and join neighbours of the same style."""
    merged: list[Inline] = []
    for inline in inlines:
        if not inline.text:
            continue
        if merged and merged[-1].same_style(inline):
            last = merged[-1]
            merged[-1] = Inline(
                last.text + inline.text, last.bold, last.italic, last.code, last.link
            )
        else:
            merged.append(inline)
    return tuple(merged)


# --- JSON --------------------------------------------------------------------------------------


def _inline_to_dict(inline: Inline) -> dict[str, Any]:
    out: dict[str, Any] = {"t": inline.text}
    if inline.bold:
        out["b"] = True
    if inline.italic:
        out["i"] = True
    if inline.code:
        out["c"] = True
    if inline.link is not None:
        out["a"] = inline.link
    return out


def _block_to_dict(block: Block) -> dict[str, Any]:
    out: dict[str, Any] = {"k": block.kind.value}
    if block.inlines:
        out["in"] = [_inline_to_dict(i) for i in block.inlines]
    if block.level:
        out["lv"] = block.level
    if block.ordered:
        out["ol"] = True
    if block.number is not None:
        out["n"] = block.number
    if block.direction is not Direction.AUTO:
        out["dir"] = block.direction.value
    if block.lang is not None:
        out["lang"] = block.lang
    if block.src is not None:
        out["src"] = block.src
    return out


def _inline_from_dict(raw: object) -> Inline:
    if not isinstance(raw, dict) or not isinstance(raw.get("t"), str):
        raise ValueError("a stored text run is malformed")
    link = raw.get("a")
    if link is not None and (not isinstance(link, str) or safe_url(link) != link):
        raise ValueError("a stored link is not an http(s) or mailto URL")
    return Inline(
        text=raw["t"],
        bold=_flag(raw, "b"),
        italic=_flag(raw, "i"),
        code=_flag(raw, "c"),
        link=link,
    )


def _block_from_dict(raw: object) -> Block:
    if not isinstance(raw, dict):
        raise ValueError("a stored block is malformed")
    try:
        kind = BlockKind(str(raw.get("k")))
        direction = Direction(str(raw.get("dir", Direction.AUTO.value)))
    except ValueError as error:
        raise ValueError("a stored block has an unknown kind or direction") from error
    inlines = raw.get("in", [])
    if not isinstance(inlines, list):
        raise ValueError("a stored block has malformed text runs")
    level = raw.get("lv", 0)
    number = raw.get("n")
    if type(level) is not int or not 0 <= level <= 1000:
        raise ValueError("a stored block has a malformed level")
    if number is not None and type(number) is not int:
        raise ValueError("a stored block has a malformed number")
    src = raw.get("src")
    if src is not None and (not isinstance(src, str) or safe_url(src) != src):
        raise ValueError("a stored image URL is not an http(s) URL")
    return Block(
        kind=kind,
        inlines=tuple(_inline_from_dict(i) for i in inlines),
        level=level,
        ordered=_flag(raw, "ol"),
        number=number,
        direction=direction,
        lang=_language_tag(raw),
        src=src,
    )


def _language_tag(raw: dict[str, Any]) -> str | None:
    lang = _optional_str(raw, "lang")
    if lang is not None and not LANGUAGE_TAG.fullmatch(lang):
        raise ValueError("a stored language tag is malformed")
    return lang


def _flag(raw: dict[str, Any], key: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"a stored flag {key!r} is not a boolean")
    return value


def _optional_str(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"a stored {key!r} is not text")
    return value


def _optional_datetime(raw: dict[str, Any], key: str) -> datetime | None:
    value = _optional_str(raw, key)
    if value is None:
        return None
    moment = datetime.fromisoformat(value)  # raises ValueError on garbage
    if moment.tzinfo is None:
        raise ValueError("a stored date has no time zone")
    return moment.astimezone(UTC)
