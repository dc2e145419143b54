"""What goes into the search index for an article: Arabic-aware terms of its title and body."""

from __future__ import annotations

from tuireader.core.parsing.cleaning import html_to_text
from tuireader.core.terms import index_text

BODY_LIMIT = 20_000  # characters of body text indexed; the lede and beyond carry the topic


def html_text(html: str) -> str:
    """The visible text of an HTML fragment (plain text passes through).

    Tags become spaces, so words of adjacent paragraphs stay apart; scripts, styles and
    comments are dropped. Good enough to find words: nothing here is displayed.
    """
    return html_to_text(html) if "<" in html or "&" in html else html


def index_fields(title: str, body: str) -> tuple[str, str]:
    """The title and body columns of the search index: index terms joined by spaces."""
    text = html_text(body)[:BODY_LIMIT]
    return index_text(title), index_text(text)
