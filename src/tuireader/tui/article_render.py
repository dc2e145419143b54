"""Style tokens of the reading pane turned into Rich styles, in the active theme's colours."""

from __future__ import annotations

from collections.abc import Mapping

from rich.style import Style

from tuireader.core.urls import is_feed_url

_FIXED = {
    "meta": Style(dim=True),
    "heading": Style(bold=True),
    "h1": Style(underline=True),
    "h2": Style(underline=True),
    "bold": Style(bold=True),
    "italic": Style(italic=True),
    "ref": Style(dim=True),
    "caption": Style(italic=True, dim=True),
    "image": Style(italic=True, dim=True),
    "rule": Style(dim=True),
}


class TokenStyles:
    """Maps the renderer's style tokens to Rich styles for one set of theme colours."""

    def __init__(self, colors: Mapping[str, str]) -> None:
        self._themed = {
            "title": Style(bold=True, color=colors["accent"]),
            "note": Style(italic=True, color=colors["warning"]),
            "code": Style(color=colors["success"]),
            "highlight": Style(reverse=True, color=colors["warning"]),
            "quote-bar": Style(color=colors["primary"]),
            "marker": Style(color=colors["primary"], bold=True),
        }
        self._link = Style(underline=True, color=colors["primary"])
        self._cache: dict[frozenset[str], Style] = {}

    def __call__(self, tokens: frozenset[str]) -> Style:
        style = self._cache.get(tokens)
        if style is None:
            style = self._cache[tokens] = self._style(tokens)
        return style

    def _style(self, tokens: frozenset[str]) -> Style:
        """Links become OSC 8 hyperlinks, for http(s) targets only."""
        style = Style()
        for token in sorted(tokens):
            if token.startswith("link:"):
                url = token[5:]
                if is_feed_url(url):
                    style += self._link + Style(link=url)
            else:
                style += self._themed.get(token) or _FIXED.get(token) or Style()
        return style
