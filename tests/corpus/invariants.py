"""What must hold for any feed, however hostile: clean stored strings, clean screen lines."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from rich.cells import cell_len

from tuireader.core.models import ParsedEntry, ParsedFeed

# Explicit bidi formatting characters: the app reorders itself and never emits them.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Overrides are turned into embeddings on ingestion (Trojan Source): never stored.
OVERRIDES = frozenset("\u202d\u202e")


def _describe(char: str) -> str:
    return f"U+{ord(char):04X}"


def forbidden_in_text(text: str, *, newline: bool) -> list[str]:
    """Characters a sanitized feed string must not hold: controls (a newline when allowed),
    bidi overrides, lone surrogates."""
    found: dict[str, None] = {}
    for char in text:
        if char == "\n" and newline:
            continue
        if unicodedata.category(char) in ("Cc", "Cs") or char in OVERRIDES:
            found.setdefault(_describe(char), None)
    return list(found)


def parsed_feed_problems(feed: ParsedFeed) -> list[str]:
    """Violations of the sanitize-on-ingestion rule in a parsed feed."""
    problems = _field_problems("feed title", feed.title, newline=False)
    problems += _link_problems("feed link", feed.link)
    for number, entry in enumerate(feed.entries):
        problems += _entry_problems(f"entry {number}", entry)
    return problems


def _entry_problems(where: str, entry: ParsedEntry) -> list[str]:
    problems: list[str] = []
    one_line: Iterable[tuple[str, str | None]] = (
        ("title", entry.title),
        ("author", entry.author),
        ("guid", entry.guid),
        *(("category", name) for name in entry.categories),
    )
    for name, value in one_line:
        problems += _field_problems(f"{where} {name}", value or "", newline=False)
    for name, value in (("summary", entry.summary), ("content", entry.content)):
        problems += _field_problems(f"{where} {name}", value, newline=True)
    problems += _link_problems(f"{where} link", entry.link)
    problems += _link_problems(f"{where} image", entry.image)
    return problems


def _field_problems(where: str, value: str, *, newline: bool) -> list[str]:
    bad = forbidden_in_text(value, newline=newline)
    return [f"{where} holds {', '.join(bad)}"] if bad else []


def _link_problems(where: str, link: str | None) -> list[str]:
    if link is None:
        return []
    if not link.lower().startswith(("http://", "https://")):
        return [f"{where} is not http(s): {link[:80]!r}"]
    if any(char.isspace() or unicodedata.category(char) == "Cc" for char in link):
        return [f"{where} holds whitespace or a control: {link[:80]!r}"]
    return []


def line_problems(where: str, lines: Iterable[str], width: int) -> list[str]:
    """Screen lines must hold no control and no bidi control, and fit ``width`` cells (a line
    of one character wider than the width is the only exception)."""
    problems: list[str] = []
    for number, text in enumerate(lines):
        bad = [
            _describe(char)
            for char in dict.fromkeys(text)
            if unicodedata.category(char) in ("Cc", "Cs") or char in BIDI_CONTROLS
        ]
        if bad:
            problems.append(f"{where} line {number} holds {', '.join(bad)}")
        cells = cell_len(text)
        if cells > width and len(text.strip()) > 1:
            problems.append(f"{where} line {number} is {cells} cells wide (width {width})")
    return problems
