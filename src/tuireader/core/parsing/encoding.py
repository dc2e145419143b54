"""Bytes to text: honour the declared charset, detect it when it is missing or wrong.

Order: a byte-order mark; then valid UTF-8 wins over a single-byte declaration (real
windows-1256 Arabic is never valid UTF-8, while sites that moved to UTF-8 often keep an old
declaration); then windows-1256 Arabic wins over a Western single-byte declaration; then the
HTTP charset and the XML declaration; then charset-normalizer.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from email.message import Message

import charset_normalizer

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_XML_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
# Charsets that servers send by default without knowing the content; WHATWG reads all of them
# as windows-1252.
_DEFAULT_CHARSETS = frozenset({"iso8859-1", "ascii", "cp1252"})
_WEB_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}
# Western single-byte charsets decode any byte: Arabic in windows-1256 labelled with one of
# them (a server's default, an old CMS) would come out as "ÇáÇÞÊÕÇÏ" without a check.
_WESTERN_SINGLE_BYTE = _DEFAULT_CHARSETS | {"iso8859-15"}
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
_ASCII_LETTER = re.compile("[A-Za-z]")
_LETTER_WORD = re.compile("[\u0600-\u06ffA-Za-z\u00c0-\u00ff]{2,}")
_MIN_ARABIC_LETTERS = 4
# Detection looks at the start only: enough letters, and bounded time on a large body.
_SAMPLE = 65536
_LATIN_ACCENTED = re.compile("[\u00c0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e]")
_LATIN_ACCENTED_RUN = re.compile("[\u00c0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e]{2,}")
_LATIN_RUN_SHARE = 0.3
# Non-ASCII characters of Latin-script text: accented letters and typographic punctuation.
_LATIN_NON_ASCII = re.compile(
    "[\u00c0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2018-\u201e\u2013\u2014"
    "\u2026\u2022\u20ac\u2039\u203a\u00ab\u00bb\u00a1\u00bf\u00b0\u00a0]"
)
_LATIN_NON_ASCII_SHARE = 0.8
_ARABIC_WORD_SHARE = 0.9


@dataclass(frozen=True, slots=True)
class DecodedBody:
    """The text of a response and how it was read. ``note`` says what was wrong, if anything."""

    text: str
    encoding: str
    note: str | None = None
    # The body itself when ``text`` is its UTF-8 (or ASCII) decoding, whole: XML parsing can
    # then use these bytes instead of encoding the text again.
    utf8: bytes | None = None


def http_charset(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    message = Message()
    message["content-type"] = content_type
    charset = message.get_param("charset")
    return charset.strip() if isinstance(charset, str) and charset.strip() else None


def declared_charset(body: bytes) -> str | None:
    """The encoding named in the XML declaration, if any."""
    match = _XML_DECLARED.match(body[:512])
    return match.group(1).decode("ascii") if match else None


def decode_body(body: bytes, content_type: str | None) -> DecodedBody | None:
    """Decode ``body``; None when no encoding makes text of it."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return DecodedBody(body[len(bom) :].decode(name, errors="replace"), name)
    wide = _wide_without_bom(body)
    if wide is not None:
        return DecodedBody(body.decode(wide, errors="replace"), wide)

    from_http = _codec_name(http_charset(content_type))
    from_xml = _codec_name(declared_charset(body))
    if from_http in _DEFAULT_CHARSETS and from_xml and from_xml != from_http:
        from_http = None  # a server default says less than the document's own declaration
    declared = [name for name in (from_http, from_xml) if name]

    if body.isascii():
        return DecodedBody(body.decode("ascii"), "ascii", utf8=body)
    as_utf8 = _try_decode(body, "utf-8")
    if as_utf8 is not None:
        return DecodedBody(as_utf8, "utf-8", _mismatch_note(declared, "utf-8"), utf8=body)
    cut = _utf8_cut_short(body)
    if cut is not None:
        return DecodedBody(cut, "utf-8", "the feed ends in the middle of a character")
    western = bool(declared) and declared[0] in _WESTERN_SINGLE_BYTE
    if western and _reads_as_arabic_windows_1256(body[:_SAMPLE]):
        arabic = body.decode("cp1256", errors="replace")
        return DecodedBody(arabic, "cp1256", _mismatch_note(declared, "cp1256"))
    for name in declared:
        text = _try_decode(body, _WEB_ALIASES.get(name, name))
        if text is not None:
            return DecodedBody(text, name)
    return _detect(body, declared)


def _utf8_cut_short(body: bytes) -> str | None:
    """UTF-8 that is valid but for a character cut off at the very end (a truncated
    download), without that last piece; None for anything else."""
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(body, final=False)
    except UnicodeDecodeError:
        return None


def _detect(body: bytes, declared: list[str]) -> DecodedBody | None:
    sample = body[:_SAMPLE]
    name: str | None = None
    if _reads_as_arabic_windows_1256(sample):
        name = "cp1256"
    elif _reads_as_latin_windows_1252(sample):
        name = "cp1252"
    else:
        best = charset_normalizer.from_bytes(sample).best()
        name = _codec_name(best.encoding) if best is not None else None
    if name is None:
        return None
    text = body.decode(name, errors="replace")
    return DecodedBody(text, name, _mismatch_note(declared, name))


def _mismatch_note(declared: list[str], actual: str) -> str | None:
    if not declared:
        if actual == "utf-8":
            return None
        return f"the feed does not declare its encoding; it was read as {display_name(actual)}"
    wrong = [name for name in declared if name != actual]
    if wrong:
        return (
            f"the feed declares the encoding {display_name(wrong[0])} but is "
            f"{display_name(actual)}; it was read as {display_name(actual)}"
        )
    return None


def display_name(codec: str) -> str:
    """The name people know an encoding by: "windows-1256" rather than Python's "cp1256"."""
    if codec.startswith("cp") and codec[2:].isdigit() and len(codec) == 6:
        return "windows-" + codec[2:]
    return codec.upper() if codec.startswith("utf") else codec


def _reads_as_arabic_windows_1256(body: bytes) -> bool:
    """Whether ``body`` reads as Arabic words in windows-1256.

    charset-normalizer needs a few hundred letters to tell windows-1256 apart; a short feed
    with a handful of Arabic titles is recognised here instead. Arabic read in windows-1256
    gives words of Arabic letters only. Latin text gives Arabic letters one by one inside
    Latin words; Cyrillic, Greek or Hebrew give words that mix Arabic and accented Latin
    letters (windows-1256 keeps French letters where those scripts have theirs).
    """
    text = body.decode("cp1256", errors="replace")
    arabic = len(_ARABIC_LETTER.findall(text))
    if arabic < _MIN_ARABIC_LETTERS:
        return False
    pure = sum(
        len(word)
        for word in _LETTER_WORD.findall(text)
        if not _LATIN_ACCENTED.search(word) and not _ASCII_LETTER.search(word)
    )
    return pure >= _ARABIC_WORD_SHARE * arabic


def _reads_as_latin_windows_1252(body: bytes) -> bool:
    """Whether ``body`` reads as a Latin-script language in windows-1252.

    Accented letters in French, Spanish or German stand mostly alone inside ASCII words
    ("déjà"); Cyrillic, Greek or Hebrew bytes read as windows-1252 give runs of them.
    """
    text = _try_decode(body, "cp1252")  # None when it holds bytes windows-1252 leaves undefined
    if text is None:
        return False
    accented = len(_LATIN_ACCENTED.findall(text))
    in_runs = sum(len(run) for run in _LATIN_ACCENTED_RUN.findall(text))
    # CJK double-byte text read as windows-1252 is mostly symbols (¡ § ¤ ¥ ±), not letters.
    non_ascii = sum(1 for char in text if char > "\x7f")
    latin = len(_LATIN_NON_ASCII.findall(text))
    return (
        accented > 0
        and in_runs <= _LATIN_RUN_SHARE * accented
        and latin >= _LATIN_NON_ASCII_SHARE * non_ascii
    )


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _try_decode(body: bytes, name: str) -> str | None:
    try:
        return body.decode(name)
    except (UnicodeDecodeError, LookupError):
        return None


def _wide_without_bom(body: bytes) -> str | None:
    """UTF-32 or UTF-16 recognised by the document's first "<" (XML 1.0, appendix F)."""
    if body.startswith(b"\x00\x00\x00<"):
        return "utf-32-be"
    if body.startswith(b"<\x00\x00\x00"):
        return "utf-32-le"
    if body.startswith(b"<\x00") and body[2:3] not in (b"", b"\x00") and body[3:4] == b"\x00":
        return "utf-16-le"
    if body.startswith(b"\x00<\x00") and body[3:4] not in (b"", b"\x00"):
        return "utf-16-be"
    return None
