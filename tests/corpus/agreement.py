"""Does our result agree with what feedparser's test file expects?

What counts as agreement (``Check.verdict``):

- title: ours equals the expected string, or equals it once both are put the way our parser
  stores a title: HTML reduced to text when the expected value holds markup (feedparser keeps
  sanitized HTML in titles, ours are plain text), whitespace runs collapsed to one space, NFC
  (our sanitizer's normal form). "missing" when we have no such feed or entry.
  A title the sanitizer changed on purpose (a soft hyphen or other invisible character
  dropped) or a title of markup only (``<img …>``: no text, so the entry is left out or
  titled from its body) is a *deliberate* difference.
- link: ours equals the expected URL exactly. An expected link that is not http(s)
  (``javascript:``, ``mailto:``…) which we leave out is a *deliberate* difference: only
  http(s) links are ever stored.
- encoding: the encoding we decoded the body with has the same name as the expected one, or
  decoding the body with the expected encoding gives exactly our text ("same text": e.g. a
  pure-ASCII body read as UTF-8 where feedparser says us-ascii).
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from tests.corpus.annotations import Expectation
from tuireader.core.models import ParsedFeed
from tuireader.core.parsing.encoding import DecodedBody
from tuireader.text import sanitize_text

AGREE = ("exact", "normalized", "same text")
DELIBERATE = "deliberate"


@dataclass(frozen=True, slots=True)
class Check:
    """One expectation compared: ``verdict`` is one of ``AGREE``, ``DELIBERATE``,
    "differs" or "missing"."""

    field: str
    entry: int | None
    expected: str
    ours: str | None
    verdict: str

    @property
    def agrees(self) -> bool:
        return self.verdict in AGREE


class _TextOnly(HTMLParser):
    """Collects the text of an HTML fragment (script and style skipped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_text(fragment: str) -> str:
    """The text of an HTML fragment, tags dropped and references decoded."""
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    return " ".join(parser.parts)


def _plain(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def compare_title(expected: str, ours: str | None) -> str:
    """The verdict for a title (see the module docstring)."""
    if ours == expected:
        return "exact"
    candidates = {_plain(expected)}
    if "<" in expected or "&" in expected:
        candidates.add(_plain(html_text(expected)))
    if ours is not None and _plain(ours) in candidates:
        return "normalized"
    sanitized = {_plain(sanitize_text(text)) for text in candidates}
    if "" in sanitized and not ours:
        return DELIBERATE  # nothing but markup: no title of text
    if ours is not None and _plain(ours) in sanitized:
        return DELIBERATE
    return "missing" if ours is None else "differs"


def compare_link(expected: str, ours: str | None) -> str:
    """The verdict for a link (see the module docstring)."""
    if ours == expected:
        return "exact"
    if ours is None and not expected.lower().startswith(("http://", "https://")):
        return DELIBERATE
    return "missing" if ours is None else "differs"


def compare_encoding(expected: str, body: bytes, ours: DecodedBody | None) -> str:
    """The verdict for the encoding a body was read with (see the module docstring)."""
    if ours is None:
        return "missing"
    try:
        expected_codec = codecs.lookup(expected).name
    except LookupError:
        return "differs"
    if codecs.lookup(ours.encoding).name == expected_codec:
        return "exact"
    try:
        theirs = body.decode(expected_codec)
    except UnicodeDecodeError:
        return "differs"
    return "same text" if theirs.lstrip("\ufeff") == ours.text else "differs"


def check(
    expectation: Expectation, parsed: ParsedFeed | None, body: bytes, decoded: DecodedBody | None
) -> Check:
    """Compare one expectation with our parse of ``body`` (None when it raised)."""
    if expectation.field == "encoding":
        ours: str | None = decoded.encoding if decoded else None
        verdict = compare_encoding(expectation.value, body, decoded)
    else:
        ours = _field(parsed, expectation)
        compare = compare_title if expectation.field == "title" else compare_link
        verdict = compare(expectation.value, ours)
    return Check(expectation.field, expectation.entry, expectation.value, ours, verdict)


def _field(parsed: ParsedFeed | None, expectation: Expectation) -> str | None:
    if parsed is None:
        return None
    if expectation.entry is None:
        return parsed.title if expectation.field == "title" else parsed.link
    if expectation.entry >= len(parsed.entries):
        return None
    entry = parsed.entries[expectation.entry]
    return entry.title if expectation.field == "title" else entry.link
