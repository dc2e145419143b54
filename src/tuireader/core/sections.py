"""Sections: where an article is filed, and the key that lets spelling variants meet."""

from __future__ import annotations

import re

from tuireader.core.arabic import normalize

_PUNCTUATION = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def section_key(name: str) -> str:
    """A key under which variants of one section name meet.

    "الاقتصاد", "اقتصاد" and "إقتصاد" share a key, as do "Tech News" and "tech-news".
    """
    words = _SPACES.split(_PUNCTUATION.sub(" ", normalize(name)).strip())
    return " ".join(_strip_article(word) for word in words if word)


def _strip_article(word: str) -> str:
    # The definite article only: a word must keep at least three letters.
    for prefix in ("وال", "ال"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix) :]
    return word


def primary_section(
    configured: str | None, categories: tuple[str, ...], feed_title: str
) -> tuple[str, str]:
    """Return (name, key) of an article's section: configured, else first category, else feed."""
    for candidate in (configured, *categories[:1], feed_title):
        if candidate and (key := section_key(candidate)):
            return candidate.strip(), key
    return "—", "—"
