"""URL checks shared by config, OPML import and fetching."""

from __future__ import annotations

import re
import string
import unicodedata
from urllib.parse import quote, unquote, urlsplit

# RFC 3986 characters; non-ASCII letters are allowed too (IRIs with Arabic paths are common).
_URL_ASCII_CHARACTERS = string.ascii_letters + string.digits + "-._~:/?#[]@!$&'()*+,;=%"
_URL_ASCII = frozenset(_URL_ASCII_CHARACTERS)
_OUTSIDE_URL_ASCII = re.compile(f"[^{re.escape(_URL_ASCII_CHARACTERS)}]")


def is_feed_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host and nothing a URL may not contain."""
    if _OUTSIDE_URL_ASCII.search(url) and any(
        c not in _URL_ASCII
        and (ord(c) < 0xA0 or c.isspace() or unicodedata.category(c) in ("Cf", "Cc", "Co"))
        for c in url
    ):
        return False  # invisible bidi and format characters would disguise a link
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


DEFAULT_PORTS = {"http": 80, "https": 443}


def same_feed_key(url: str) -> str:
    """What two spellings of one feed URL share: scheme and host in lower case, no default
    port, no fragment, one encoding of the path ("HTTP://Example.org:80/feed#x" and
    "http://example.org/feed"; "/أخبار.xml" and "/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1.xml")."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"  # IPv6
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username is not None or parts.password is not None:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    query = f"?{_canonical(parts.query, '&=')}" if parts.query else ""
    return f"{scheme}://{netloc}{_canonical(parts.path, '/') or '/'}{query}"


_KEPT = "+:@!$'()*,;~-._"  # characters left as they are in each piece


def _canonical(part: str, separators: str) -> str:
    """A path or query with one way of writing each character ("/أخبار", "/%D8%A3..." and
    "/%d8%a3..." are one path); an encoded separator stays encoded ("a%2Fb" is no "a/b")."""
    if not separators:
        return quote(unquote(part), safe=_KEPT)
    first, rest = separators[0], separators[1:]
    return first.join(_canonical(piece, rest) for piece in part.split(first))
