"""What goes into the search index for an article: Arabic-aware terms of its title and body."""

from __future__ import annotations

import lxml.html
from lxml import etree

from tuireader.core.terms import index_terms

BODY_LIMIT = 20_000  # characters of body text indexed; the lede and beyond carry the topic


def html_text(html: str) -> str:
    """The visible text of an HTML fragment (plain text passes through)."""
    if "<" not in html:
        return html
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, etree.ParserError):
        return html
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    return str(root.text_content())


def index_fields(title: str, body: str) -> tuple[str, str]:
    """The title and body columns of the search index: index terms joined by spaces."""
    text = html_text(body)[:BODY_LIMIT]
    return " ".join(index_terms(title)), " ".join(index_terms(text))
