"""Tell what a response body is (XML, JSON, an HTML page, binary) and ready XML for parsing."""

from __future__ import annotations

import re
from enum import Enum
from html.entities import name2codepoint
from html.parser import HTMLParser

from tuireader.core.parsing.cleaning import http_url
from tuireader.text.sanitize import sanitize_text

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/json",
        "text/xml",
        "application/xml",
    }
)

_HEAD = 4096
# Random bytes hold about 9% of these; a text feed with stray controls has a handful.
_BINARY_MIN_CONTROLS = 8
_WIDE_STARTS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"<\x00", b"\x00<")
# Bytes that never occur in text: C0 controls other than tab, newline, form feed, return, ESC.
_BINARY_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B)])
# A DOCTYPE with its internal subset; quoted strings may hold "]" and ">".
_DOCTYPE_SOURCE = r"""<!DOCTYPE(?:[^\[>"']|"[^"]*"|'[^']*'|\[(?:[^\]"']|"[^"]*"|'[^']*')*\])*>"""
_DOCTYPE = re.compile(_DOCTYPE_SOURCE, re.IGNORECASE)
_PROLOG_ITEM = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|" + _DOCTYPE_SOURCE + ")", re.DOTALL | re.IGNORECASE
)
_HTML_DOCTYPE = re.compile(r"<!DOCTYPE\s+html", re.IGNORECASE)
_FIRST_TAG = re.compile(r"<([A-Za-z][\w.:-]*)")
_FEED_START = re.compile(r"<(?:\?xml|rss[\s>]|feed[\s>]|rdf:RDF[\s>])")
_XML_DECLARATION = re.compile(r"<\?xml[^>]*\?>")
# Characters XML 1.0 forbids; feeds carry them by accident and they are dropped on ingest anyway.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_UTF8_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>'
# Named HTML entities ("&nbsp;", "&eacute;") are undefined in XML but common in feeds (and
# declared by the RSS 0.91 DTD, which is never loaded): they become numeric references.
# Numeric references to characters XML forbids ("&#27;", "&#x110000;") are dropped.
_REFERENCE_SOURCE = r"&(?:#[xX]([0-9a-fA-F]{1,8})|#([0-9]{1,10})|([A-Za-z][A-Za-z0-9]{1,31}));"
_REFERENCE = re.compile(_REFERENCE_SOURCE)
# The same steps on UTF-8 bytes. Both patterns are ASCII, and in UTF-8 an ASCII byte is
# always a character of its own and EF always starts one: byte for byte the same edits.
_REFERENCE_BYTES = re.compile(_REFERENCE_SOURCE.encode("ascii"))
_NOT_XML_CONTROLS = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_NOT_XML_NONCHARACTERS = re.compile(b"\xef\xbf[\xbe\xbf]")  # U+FFFE, U+FFFF
_XML_PREDEFINED = frozenset({"amp", "lt", "gt", "quot", "apos"})
_HTML_ROOTS = frozenset({"html", "head", "body"})


class Kind(Enum):
    """What a response body holds."""

    XML = "xml"
    JSON = "json"
    HTML = "html"
    TEXT = "text"


def looks_binary(body: bytes) -> bool:
    """True when the start of ``body`` holds bytes that plain text never contains.

    UTF-16 and UTF-32 text (with a byte-order mark, or starting with "<") is not binary.
    """
    if body.startswith(_WIDE_STARTS):
        return False
    head = body[:_HEAD]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _BINARY_BYTES))
    return controls > max(_BINARY_MIN_CONTROLS, len(head) // 50)


def kind_of(text: str) -> Kind:
    """Whether ``text`` is XML, JSON, an HTML page or something else."""
    head = text[:_HEAD].lstrip("\ufeff \t\r\n")
    if head.startswith(("{", "[")):
        return Kind.JSON
    if _HTML_DOCTYPE.match(head):
        return Kind.HTML
    tag = _FIRST_TAG.match(head, _end_of_prolog(head))
    if tag is None:
        return Kind.XML if _FEED_START.search(head) else Kind.TEXT
    return Kind.HTML if tag.group(1).lower() in _HTML_ROOTS else Kind.XML


def first_element_name(text: str) -> str | None:
    """The name of the first element of an XML document, cleaned for a message."""
    head = text[:_HEAD].lstrip("\ufeff \t\r\n")
    tag = _FIRST_TAG.search(head, _end_of_prolog(head))
    return sanitize_text(tag.group(1))[:60] if tag else None


def _end_of_prolog(head: str) -> int:
    """Where the first element may start: after declarations, comments, the DOCTYPE, space."""
    position = 0
    while (match := _PROLOG_ITEM.match(head, position)) and match.end() > position:
        position = match.end()
    return len(head) - len(head[position:].lstrip())


def prepare_xml(text: str, utf8: bytes | None = None) -> tuple[bytes, int]:
    """UTF-8 bytes ready for an XML parser, and how many junk characters preceded the XML.

    Leading junk (a PHP warning) is cut, the declaration is made to say UTF-8, the DOCTYPE is
    removed with its entity declarations (so no parser can expand a billion laughs or read a
    file through an external entity), and characters XML forbids are dropped.

    ``utf8``, when given, must be ``text.encode("utf-8")`` (the body the text was decoded
    from): the same edits are then made on those bytes, which spares encoding the text again.
    """
    whole = text
    text = text.lstrip("\ufeff")
    start = _FEED_START.search(text[:_HEAD])
    junk = 0
    if start is not None and text[: start.start()].strip():
        junk = start.start()
        text = text[junk:]
    text = text.lstrip()
    declaration = _XML_DECLARATION.match(text)
    if declaration is not None:
        text = text[declaration.end() :]
    if "<!DOCTYPE" in text[:_HEAD].upper():
        text = _DOCTYPE.sub(_same_lines, text, count=1)
    elif utf8 is not None:
        cut = len(whole[: len(whole) - len(text)].encode("utf-8"))
        return _clean_utf8(_UTF8_DECLARATION + memoryview(utf8)[cut:]), junk
    text = _NOT_XML.sub("", text)
    text = _REFERENCE.sub(_xml_reference, text)
    # The new declaration takes no line of its own, so error line numbers match the original.
    return _UTF8_DECLARATION + text.encode("utf-8", errors="replace"), junk


def _clean_utf8(data: bytes) -> bytes:
    """``_NOT_XML`` and ``_REFERENCE`` edits of ``prepare_xml`` on valid UTF-8."""
    data = data.translate(None, _NOT_XML_CONTROLS)
    if b"\xef\xbf" in data:
        data = _NOT_XML_NONCHARACTERS.sub(b"", data)
    if b"&" in data:
        data = _REFERENCE_BYTES.sub(_xml_reference_bytes, data)
    return data


def _xml_reference(match: re.Match[str]) -> str:
    replacement = _reference_replacement(*match.groups())
    return match.group() if replacement is None else replacement


def _xml_reference_bytes(match: re.Match[bytes]) -> bytes:
    hexadecimal, decimal, name = (
        None if group is None else group.decode("ascii") for group in match.groups()
    )
    replacement = _reference_replacement(hexadecimal, decimal, name)
    return match.group() if replacement is None else replacement.encode("ascii")


def _reference_replacement(
    hexadecimal: str | None, decimal: str | None, name: str | None
) -> str | None:
    """What a reference becomes: None to keep it, "" to drop it, or a numeric reference."""
    if name is not None:
        code = None if name in _XML_PREDEFINED else name2codepoint.get(name)
        return f"&#{code};" if code is not None else None
    code = int(hexadecimal, 16) if hexadecimal is not None else int(str(decimal))
    return None if _is_xml_char(code) else ""


def _is_xml_char(code: int) -> bool:
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _same_lines(match: re.Match[str]) -> str:
    return "\n" * match.group().count("\n")


def alternate_feed_link(page: str, base: str) -> str | None:
    """The feed an HTML page points to with ``<link rel="alternate" type=...>``, if any."""
    finder = _AlternateFinder()
    try:
        finder.feed(page[:262144])
        finder.close()
    except _Found:
        pass
    return http_url(finder.href, base) if finder.href else None


class _Found(Exception):
    pass


class _AlternateFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            raise _Found
        if tag != "link":
            return
        values = {name: (value or "") for name, value in attrs}
        rel = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in FEED_TYPES and values.get("href"):
            self.href = values["href"]
            raise _Found
