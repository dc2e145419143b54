"""What goes into the search index for an article: normalized terms of its title and body."""

from __future__ import annotations

import lxml.html

from tuireader.core.arabic import normalize


def html_text(html: str) -> str:
    """The visible text of an HTML fragment (plain text passes through)."""
    if "<" not in html:
        return html
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return html
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    return str(root.text_content())


def index_fields(title: str, body: str) -> tuple[str, str]:
    """The title and body columns of the search index for one article."""
    return normalize(title), normalize(html_text(body))
