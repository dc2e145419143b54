"""Small pure helpers that turn hostile feed strings into safe plain text, links and tags."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

from tuireader.core.urls import is_feed_url
from tuireader.text.sanitize import sanitize_text

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
# An unclosed comment, script or style runs to the end of the text, as in HTML; matching
# the end in the same pattern keeps these linear ("<!--" repeated would be quadratic).
_HIDDEN_ELEMENT = re.compile(
    r"<(script|style)\b[^>]*(?:>.*?(?:</\1\s*>|\Z)|\Z)", re.IGNORECASE | re.DOTALL
)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# "[^<>]" (not "[^>]"): a scan for src stops at the next tag, so "<img " repeated is linear.
_IMG_SRC = re.compile(
    r"""<img\b[^<>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE
)
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_EMAIL_WITH_NAME = re.compile(r"\S+@\S+\s*\((.+)\)")
# An http(s) URL with a plain host name or IPv4 address and RFC 3986 characters only (";"
# aside): ``urls.is_feed_url`` accepts every such string, and most links are one.
_PLAIN_HTTP_URL = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,=%]*)?"
)
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")


def looks_like_markup(text: str) -> bool:
    """True when ``text`` holds an HTML tag or a character reference."""
    return bool(_TAG.search(text) or _ENTITY.search(text))


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: tags, comments, scripts dropped, entities decoded."""
    fragment = _HIDDEN_ELEMENT.sub(" ", fragment)
    fragment = _COMMENT.sub(" ", fragment)
    fragment = _TAG.sub(" ", fragment)
    return html.unescape(fragment)


def plain_text(raw: str, *, is_html: bool | None) -> str:
    """One line of safe plain text. ``is_html`` None means: reduce it if it looks like HTML."""
    if is_html or (is_html is None and looks_like_markup(raw)):
        raw = html_to_text(raw)
    return " ".join(sanitize_text(raw).split())


def safe_html(raw: str) -> str:
    """HTML source with controls removed; it stays HTML for the document converter."""
    return sanitize_text(raw).strip()


def text_to_html(text: str) -> str:
    """A plain-text body as HTML, so every body field holds the same kind of string."""
    return html.escape(text, quote=False)


def http_url(raw: str | None, base: str) -> str | None:
    """``raw`` resolved against ``base`` when the result is an http(s) URL, else None."""
    if not raw:
        return None
    candidate = sanitize_text(raw).strip().replace("\n", "").replace(" ", "%20")
    if not candidate:
        return None
    if _plainly_absolute(candidate):
        if _PLAIN_HTTP_URL.fullmatch(candidate):
            return candidate  # what is_feed_url would accept, without parsing it
        resolved = candidate
    else:
        try:
            resolved = urljoin(base, candidate)
        except ValueError:
            return None
    return resolved if is_feed_url(resolved) else None


def _plainly_absolute(url: str) -> bool:
    """True when ``urljoin`` would give ``url`` back as it is: an absolute http(s) URL with
    a host, without path parameters (";") or an empty query or fragment, which urljoin
    rewrites or drops. Most links are; urljoin costs a tenth of parsing a feed."""
    scheme_end = 8 if url.startswith("https://") else 7 if url.startswith("http://") else 0
    return (
        0 < scheme_end < len(url)
        and url[scheme_end] not in "/?#"
        and ";" not in url
        and "?#" not in url
        and not url.endswith(("?", "#"))
    )


def first_image_in_html(fragment: str, base: str) -> str | None:
    """The first ``<img src>`` of an HTML fragment that is an http(s) URL."""
    for match in _IMG_SRC.finditer(fragment):
        src = next(group for group in match.groups() if group is not None)
        url = http_url(html.unescape(src), base)
        if url is not None:
            return url
    return None


def is_image_media(url: str, medium: str | None, mime_type: str | None) -> bool:
    """Whether a media:content or enclosure names an image (explicitly, or by its suffix)."""
    if medium:
        return medium.strip().lower() == "image"
    if mime_type:
        return mime_type.strip().lower().startswith("image/")
    return url.lower().split("?")[0].endswith(_IMAGE_SUFFIXES)


def language_tag(raw: str | None) -> str | None:
    """A BCP 47-looking tag in its usual case ("ar", "ar-MA"), or None."""
    if not raw:
        return None
    words = sanitize_text(raw).replace("_", "-").replace(",", " ").split()
    if not words or not _LANGUAGE_TAG.fullmatch(words[0]):
        return None
    primary, *rest = words[0].split("-")
    subtags = [primary.lower()]
    for subtag in rest:
        if len(subtag) == 2 and subtag.isalpha():
            subtags.append(subtag.upper())
        elif len(subtag) == 4 and subtag.isalpha():
            subtags.append(subtag.title())
        else:
            subtags.append(subtag.lower())
    return "-".join(subtags)


def author_name(raw: str) -> str:
    """The person's name from an author string; "x@y (Name)" gives "Name"."""
    text = plain_text(raw, is_html=None)
    match = _EMAIL_WITH_NAME.fullmatch(text)
    return match.group(1).strip() if match else text


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"
