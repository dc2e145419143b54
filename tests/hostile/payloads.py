"""Hostile strings, and feeds (RSS, Atom, JSON Feed) that put each of them in every field.

Every payload carries a unique marker (``HX`` and two letters) so a test can tell where it
ended up; ``forbidden`` lists the byte sequences that must never reach a terminal.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

ESC = "\x1b"


@dataclass(frozen=True, slots=True)
class Payload:
    """One hostile string; ``forbidden`` are output bytes that would mean it got through."""

    id: str
    marker: str
    text: str
    forbidden: tuple[bytes, ...] = ()
    literal: str | None = None  # text that must be shown exactly as written (markup)


def _escape_payload(id_: str, marker: str, sequence: str, *extra: bytes) -> Payload:
    """A payload whose danger starts at ESC; the marker right after it must never follow ESC."""
    text = sequence.replace("{m}", marker)
    cut = text.index(marker) + len(marker)
    return Payload(id_, marker, text, (text[:cut].encode(), *extra))


PAYLOADS: tuple[Payload, ...] = (
    _escape_payload("csi-clear", "HXCS", ESC + "[2J" + ESC + "[H{m}"),
    _escape_payload("csi-sgr", "HXSG", ESC + "[31;5m{m}" + ESC + "[0m"),
    _escape_payload("osc-title", "HXTI", ESC + "]0;{m} pwned" + "\x07", b"\x1b]0;HX", b"\x1b]2;HX"),
    _escape_payload(
        "osc8-link",
        "HXOL",
        ESC + "]8;;file:///etc/passwd" + ESC + "\\{m}" + ESC + "]8;;" + ESC + "\\",
        b"\x1b]8;;file",
    ),
    _escape_payload("osc52-clip", "HXCL", ESC + "]52;c;{m}Y3VybCBldmlsIHwgc2g=\x07", b"\x1b]52;"),
    _escape_payload("dcs", "HXDC", ESC + "P1$q{m}" + ESC + "\\", b"\x1bP1$q"),
    _escape_payload(
        "tmux-passthrough",
        "HXTM",
        ESC + "Ptmux;" + ESC + ESC + "]0;{m}\x07" + ESC + "\\",
        b"\x1bPtmux;",
    ),
    Payload("c1-csi", "HXC1", "\u009b31mHXC1\u009b0m", (b"\xc2\x9b", b"\x9b31m")),
    Payload("c1-osc", "HXC2", "\u009d0;HXC2\u009c", (b"\xc2\x9d", b"\x9d0;HX")),
    Payload("bel-bs-del", "HXBB", "\x07\x07HXBB\x08\x08\x08\x7fok", (b"\x07\x07HX", b"HXBB\x08")),
    Payload("nul-and-c0", "HXNU", "a\x00b\x01c\x0ed\x1fHXNU", (b"\x00", b"\x0e", b"\x1fHX")),
    Payload("markup-style", "HXMS", "[bold red]HXMS[/]", literal="[bold red]HXMS[/]"),
    Payload(
        "markup-link",
        "HXML",
        "[link=file:///etc/passwd]HXML[/link]",
        literal="[link=file:///etc/passwd]HXML[/link]",
    ),
    Payload("markup-click", "HXMC", "[@click=app.quit]HXMC[/]", literal="[@click=app.quit]HXMC[/]"),
    Payload("markup-unterminated", "HXMU", "HXMU [/", literal="HXMU [/"),
    Payload("bidi-override", "HXBO", "\u202eHXBO txt.exe\u202c", ("\u202e".encode(),)),
    Payload("bidi-isolates", "HXBI", "\u2066HXBI\u2069 \u2067عربي\u2069 \u2068x\u2069"),
    Payload("zero-width", "HXZW", "H\u200bXZ\u200cW\u200d\ufeffHXZW\u2060\u00ad"),
    Payload("long-title", "HXLT", "HXLT " + "خبر طويل جدا " * 160),  # about 2,000 characters
    Payload("long-word", "HXLW", "HXLW " + "ب" * 250 + "x" * 250),
)

BY_ID = {p.id: p for p in PAYLOADS}

#: Terminal sequences no feed text may produce, whatever the payload.
ALWAYS_FORBIDDEN: tuple[bytes, ...] = (
    b"\x1b]0;HX",
    b"\x1b]2;HX",
    b"\x1b]52;",
    b"\x1b]8;;file",
    b"\x1bP1$q",
    b"\x1bPtmux;",
    b"\xc2\x9b",
    b"\xc2\x9d",
)


def forbidden_in(output: bytes) -> list[str]:
    """Descriptions of every forbidden sequence found in ``output`` (empty when clean)."""
    found = [repr(seq) for seq in ALWAYS_FORBIDDEN if seq in output]
    for payload in PAYLOADS:
        found += [f"{payload.id}: {seq!r}" for seq in payload.forbidden if seq in output]
        if (ESC + payload.marker).encode() in output:
            found.append(f"{payload.id}: ESC right before its marker")
    return found


def terminal_unsafe(text: str) -> list[str]:
    """Characters that must not reach a terminal from feed text: C0 but newline, DEL, C1."""
    bad = [
        c
        for c in text
        if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F or c in "\u202d\u202e"
    ]
    return sorted({f"U+{ord(c):04X}" for c in bad})


# --- feeds -------------------------------------------------------------------------------------

FEED_TITLE = "HXFT " + " ".join(p.text for p in PAYLOADS if p.id != "long-title")


def _items() -> list[tuple[int, Payload]]:
    return list(enumerate(PAYLOADS, 1))


def _xml_text(text: str, *, references: bool = False) -> str:
    """Text for an XML element. Controls stay raw bytes (ill-formed XML, as in real broken
    feeds, so the recovering parser must cope), except NUL, which is written as a reference;
    with ``references`` every control is a numeric character reference (also forbidden by
    XML 1.0, and a common way to smuggle ESC)."""
    escaped = escape(text).replace("\x00", "&#0;")
    if references:
        escaped = re.sub("[\x01-\x08\x0b-\x1f\x7f-\x9f]", lambda m: f"&#{ord(m.group())};", escaped)
    return escaped


def hostile_rss(base: str = "https://hostile.example") -> bytes:
    """RSS 2.0 with a payload in every field of every item and in the channel title."""
    items = []
    for n, payload in _items():
        p = _xml_text(payload.text)
        html = _xml_text(f"<p>{payload.marker} body <b>{payload.text}</b></p>")
        items.append(
            f"<item><title>{payload.marker} {p}</title>"
            f"<link>{base}/rss/{n}</link><guid>{base}/rss/{n}</guid>"
            f"<pubDate>Fri, 20 Nov 2026 08:{n:02d}:00 GMT</pubDate>"
            f"<author>a@hostile.example ({p})</author>"
            f"<category>{p}</category>"
            f"<description>{html}</description>"
            f"<content:encoded>{html}</content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{_xml_text(FEED_TITLE)}</title><link>{base}/</link>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def hostile_atom(base: str = "https://hostile.example") -> bytes:
    """Atom 1.0 with a payload in every field of every entry and in the feed title."""
    entries = []
    for n, payload in _items():
        p = _xml_text(payload.text, references=True)
        html = _xml_text(f"<p>{payload.marker} body <i>{payload.text}</i></p>", references=True)
        entries.append(
            f"<entry><title>{payload.marker} {p}</title><id>{base}/atom/{n}</id>"
            f'<link href="{base}/atom/{n}"/><updated>2026-11-20T09:{n:02d}:00Z</updated>'
            f"<author><name>{p}</name></author>"
            f'<category term="{p.replace(chr(34), "&quot;")}"/>'
            f'<summary type="html">{html}</summary>'
            f'<content type="html">{html}</content></entry>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{_xml_text(FEED_TITLE, references=True)}</title><id>{base}/atom</id>"
        "<updated>2026-11-20T10:00:00Z</updated>" + "".join(entries) + "</feed>"
    ).encode()


def hostile_json(base: str = "https://hostile.example") -> bytes:
    """JSON Feed 1.1: the one format that carries every control character legitimately."""
    items = [
        {
            "id": f"{base}/json/{n}",
            "url": f"{base}/json/{n}",
            "title": f"{payload.marker} {payload.text}",
            "content_html": f"<p>{payload.marker} body <b>{escape(payload.text)}</b></p>",
            "summary": payload.text,
            "date_published": f"2026-11-20T10:{n:02d}:00Z",
            "authors": [{"name": payload.text}],
            "tags": [payload.text],
        }
        for n, payload in _items()
    ]
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": FEED_TITLE,
        "home_page_url": f"{base}/",
        "items": items,
    }
    return json.dumps(document, ensure_ascii=True).encode()
