"""URL checks shared by config, OPML import and fetching."""

from __future__ import annotations

import re
import string
import unicodedata
from urllib.parse import urlsplit

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


_DEFAULT_PORTS = {"http": 80, "https": 443}


def same_feed_key(url: str) -> str:
    """What two spellings of one feed URL share: scheme and host in lower case, no default
    port, no fragment ("HTTP://Example.org:80/feed#x" and "http://example.org/feed")."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"  # IPv6
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username is not None or parts.password is not None:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{netloc}{parts.path or '/'}{query}"
