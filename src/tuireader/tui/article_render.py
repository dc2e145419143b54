"""Style tokens of the reading pane turned into Rich styles."""

from __future__ import annotations

from functools import lru_cache

from rich.style import Style

from tuireader.core.urls import is_feed_url

_BASE = {
    "title": Style(bold=True, color="bright_cyan"),
    "meta": Style(dim=True),
    "note": Style(italic=True, color="yellow"),
    "heading": Style(bold=True),
    "h1": Style(underline=True),
    "h2": Style(underline=True),
    "bold": Style(bold=True),
    "italic": Style(italic=True),
    "code": Style(color="bright_green"),
    "ref": Style(dim=True),
    "highlight": Style(reverse=True, color="yellow"),
    "quote-bar": Style(color="cyan"),
    "marker": Style(color="cyan", bold=True),
    "caption": Style(italic=True, dim=True),
    "image": Style(italic=True, dim=True),
    "rule": Style(dim=True),
}


@lru_cache(maxsize=1024)
def token_style(tokens: frozenset[str]) -> Style:
    """The Rich style of a set of tokens. Links become OSC 8 hyperlinks, for http(s) only."""
    style = Style()
    for token in sorted(tokens):
        if token.startswith("link:"):
            url = token[5:]
            if is_feed_url(url):
                style += Style(link=url, underline=True)
        else:
            style += _BASE.get(token, Style())
    return style
