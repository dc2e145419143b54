"""The quick paths of parsing and indexing give what the general routines give.

Each quick path (a cheaper test, a narrower parser, a memo) stands in for a general routine
on the common case and leaves the rest to it. Every test here compares the two on generated
input that mixes the common case with the characters that make the general routine work.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tuireader.core import arabic
from tuireader.core import terms as terms_module
from tuireader.core.arabic import normalize
from tuireader.core.ingest import categories_json, prepare_entries
from tuireader.core.models import Direction
from tuireader.core.parse import parse_feed
from tuireader.core.parsing import cleaning, dates, finish
from tuireader.core.parsing.cleaning import http_url, safe_html
from tuireader.core.parsing.encoding import decode_body
from tuireader.core.parsing.sniff import prepare_xml
from tuireader.core.prepared import FeedSettings
from tuireader.core.searchtext import BODY_LIMIT, html_text
from tuireader.core.sections import primary_section
from tuireader.core.terms import index_terms, index_text
from tuireader.core.urls import is_feed_url
from tuireader.text import sanitize
from tuireader.text.sanitize import sanitize_text

# Characters that the general routines treat specially, beside ordinary letters.
_TRICKY = (
    "\n", "\r", "\r\n", "\t", "\x0b", "\x0c", "\x1b", "\x1c", "\x7f", "\x85", "\x9b", "\u00a0",
    "\u00ad", "\u0301", "\u0308", "\u0651", "\u064e", "\u0640", "\u0670", "\u061c", "\u200b",
    "\u200c", "\u200f", "\u2003", "\u2028", "\u2029", "\u202d", "\u202e", "\u2066", "\u3000",
    "\ufb01", "\ufb1e", "\ufd3e", "\ufdfd", "\ufdd0", "\ufe70", "\ufe8d", "\ufef5", "\ufeff",
    "\ufffe", "\uffff", "\U000e0041", "\ud800", "ﻻ", "ـ", "٣", "۴", "٫", "إ", "ة", "ى", "é",
    "É", "ß", "Σ", "ﬁ", "½", "&", "<", ">", '"', "'", ";", ",", ".", " ", "  ",
)  # fmt: skip
_NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
_SURROGATES: list[Literal["Cs"]] = ["Cs"]  # not encodable: no UTF-8 body holds one
_WORDS = ("المغرب", "الحكومة،", "والانتخابات", "news", "Élection", "covid19", "12.5", "١٢٫٥")


def _mixed_text(*, surrogates: bool = True) -> st.SearchStrategy[str]:
    tricky = _TRICKY if surrogates else tuple(c for c in _TRICKY if c != "\ud800")
    pieces = st.one_of(
        st.sampled_from(tricky),
        st.sampled_from(_WORDS),
        st.characters() if surrogates else st.characters(exclude_categories=_SURROGATES),
    )
    return st.lists(pieces, max_size=40).map("".join)


# --- index terms ---------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(_mixed_text())
@example("ﹰكلمة\u00a0أخرى\nو٣ ")  # NFKC makes a space of U+FE70; no-break space; newline
@example("a\u0301 \u0301b\u2003\u0308c")
def test_index_text_is_the_joined_index_terms(text: str) -> None:
    assert index_text(text) == " ".join(index_terms(text))


def test_index_text_splits_at_every_kind_of_white_space() -> None:
    text = "المغرب\nالاقتصاد\u00a0الحكومة\tالانتخابات"
    assert index_text(text).split(" ") == index_terms(text)
    assert len(index_terms(text)) == 4


# --- sanitizing (article bodies and every other string) -----------------------------------


@settings(max_examples=600, deadline=None)
@given(_mixed_text())
@example("<p>نص</p>\n<p>\ufdfd</p>")  # printable and NFKC-stable presentation form
@example("<p>\ufef5</p>")  # a lam-alef that NFKC folds
def test_sanitizing_with_the_quick_test_is_sanitizing_step_by_step(text: str) -> None:
    assert sanitize_text(text) == sanitize._sanitized(text)
    assert safe_html(text) == sanitize._sanitized(text).strip()


def test_every_code_point_passes_the_quick_test_only_when_sanitizing_keeps_it() -> None:
    for code in range(0x110000):
        char = chr(code)
        for text in (char, "ا" + char + "\n", "e" + char):
            if sanitize._plainly_clean(text):
                assert sanitize._sanitized(text) == text, hex(code)


# --- links ---------------------------------------------------------------------------------


def _general_http_url(raw: str | None, base: str) -> str | None:
    """``http_url`` without its quick path: resolve, then ask ``is_feed_url``."""
    if not raw:
        return None
    candidate = sanitize_text(raw).strip().replace("\n", "").replace(" ", "%20")
    if not candidate:
        return None
    try:
        plain = cleaning._plainly_absolute(candidate)
        resolved = candidate if plain else urljoin(base, candidate)
    except ValueError:
        return None
    return resolved if is_feed_url(resolved) else None


_URL_PIECES = (
    "http://", "https://", "HTTP://", "ftp://", "//", "/", "?", "#", "?#", ";", ":", ":80",
    ":99999", "@", "user@", "[", "]", "[::1]", "%20", "%", " ", "\n", "\t", "\x1b",
    "\u202e", "\u200b", "ا", "é", ".", "..", "-", "a", "example.com", "127.0.0.1", "x",
    "p=1", "&", "'", '"', "<", ">", "\\", "~", "!", "$", "*", "+", ",", "=",
)  # fmt: skip
_URL_PARTS = st.sampled_from(_URL_PIECES)


@settings(max_examples=800, deadline=None)
@given(st.lists(_URL_PARTS, max_size=12).map("".join), _URL_PARTS)
@example("http://site.example/2026/11/28/post-1/", "http://base.example/")
@example("http://[::1/x", "http://b/")
@example("http://a.example:8080/?q=[1]#top", "http://b/")
def test_http_url_quick_path_agrees(raw: str, base_part: str) -> None:
    base = "http://base.example/feed/" + base_part
    assert http_url(raw, base) == _general_http_url(raw, base)


def test_plain_links_take_the_quick_path() -> None:
    link = "http://127.0.0.7:8000/2026/11/28/post-700001/"
    assert cleaning._PLAIN_HTTP_URL.fullmatch(link)
    assert http_url(link, "http://127.0.0.7:8000/feed.xml") == link
    assert not cleaning._PLAIN_HTTP_URL.fullmatch("http://user@host/")


def test_plain_url_pattern_is_linear_on_long_input() -> None:
    for hostile in ("http://" + "a." * 200_000 + ":", "http://a/" + "?" * 400_000 + ";"):
        started = time.perf_counter()
        assert http_url(hostile, "http://b/") == _general_http_url(hostile, "http://b/")
        assert time.perf_counter() - started < 1.0


# --- dates ---------------------------------------------------------------------------------


def _general_rfc822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _digits(width: int) -> st.SearchStrategy[str]:
    return st.integers(0, 10**width - 1).map(lambda n: str(n).zfill(width))


_MONTH = st.sampled_from(("Jan", "Feb", "May", "Nov", "Dec", "nov", "Foo"))
_ZONE = st.one_of(
    st.sampled_from(("GMT", "UT", "UTC", "Z", "-0000", "+0000", "EST", "gmt")),
    st.tuples(st.sampled_from("+-"), _digits(4)).map("".join),
)
_RFC822 = st.builds(
    "{}{} {} {} {}:{}:{} {}".format,
    st.sampled_from(("", "Sat, ", "Mon, ", "Xyz, ")),
    st.one_of(_digits(1), _digits(2)),
    _MONTH,
    st.one_of(_digits(4), _digits(2)),
    _digits(2),
    _digits(2),
    _digits(2),
    _ZONE,
)


@settings(max_examples=1500, deadline=None)
@given(_RFC822)
@example("Sat, 28 Nov 2026 17:54:00 GMT")
@example("31 Feb 2026 10:00:00 +0100")  # no such day: the email parser decides (None)
@example("1 Jan 0099 00:00:00 GMT")  # two-digit year rules: not for the quick path
@example("1 Jan 2026 00:00:00 +9999")  # an offset of more than a day
@example("1 Jan 2026 00:00:00 -0000")  # unknown zone: a naive datetime
def test_rfc822_quick_path_agrees_with_the_email_parser(text: str) -> None:
    quick, general = dates._read_rfc822(text), _general_rfc822(text)
    assert quick == general
    if quick is not None and general is not None:
        assert quick.utcoffset() == general.utcoffset()


def test_common_rfc822_dates_take_the_quick_path() -> None:
    assert dates._COMMON_RFC822.fullmatch("Sat, 28 Nov 2026 17:54:00 GMT")
    assert dates._COMMON_RFC822.fullmatch("28 Nov 2026 17:54:00 +0100")


# --- XML preparation -----------------------------------------------------------------------

_XML_PIECES = st.sampled_from(
    (
        "\ufeff", " ", "\n", "\u00a0", "junk ", '<?xml version="1.0" encoding="windows-1256"?>',
        "<?xml version='1.0'?>", "<!DOCTYPE rss>", '<!DOCTYPE x [<!ENTITY a "b">]>', "<rss>",
        "<feed>", "<item>", "</item>", "&amp;", "&nbsp;", "&eacute;", "&bogus;", "&#27;",
        "&#x1b;", "&#1604;", "&#x110000;", "&#99999999999;", "&", "&#", "\x00", "\x08", "\x1b",
        "\x7f", "\ufffe", "\uffff", "\ufffd", "عربي", "é", "<![CDATA[&nbsp;\x01]]>",
    )
)  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(st.lists(st.one_of(_XML_PIECES, st.characters(exclude_categories=_SURROGATES)), max_size=30))
def test_prepare_xml_on_the_body_bytes_agrees(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert prepare_xml(text, text.encode("utf-8")) == prepare_xml(text)


def test_decoding_keeps_the_utf8_body_only_when_the_text_is_all_of_it() -> None:
    body = '<?xml version="1.0"?><rss><channel><title>عربي</title></channel></rss>'.encode()
    assert decode_body(body, None).utf8 is body  # type: ignore[union-attr]
    cut = decode_body(body + "ع".encode()[:1], None)
    assert cut is not None and cut.utf8 is None  # ends inside a character: text is shorter
    windows = decode_body("<rss>عربي</rss>".encode("cp1256"), "text/xml; charset=windows-1256")
    assert windows is not None and windows.utf8 is None


# --- row values ----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.lists(_mixed_text(), max_size=5).map(tuple))
@example(("سياسة", 'quote " and \\ backslash', "\x00\n\u2028"))
def test_categories_json_is_json_dumps(categories: tuple[str, ...]) -> None:
    assert categories_json(categories) == json.dumps(list(categories), ensure_ascii=False)


# --- normalization -------------------------------------------------------------------------


def _normalize_with_every_fold(text: str) -> str:
    """``normalize`` without the digit gate: every fold tried on every text."""
    folded = normalize(text)
    for digit, ascii_digit in arabic._DIGIT_FOLDS:
        folded = folded.replace(digit, ascii_digit)
    return folded


@settings(max_examples=400, deadline=None)
@given(_mixed_text(), st.integers(0, 300))
@example("سنة ٢٠٢٦", 0)
@example("۱۲۳", 260)  # past the length where the gate stops searching
def test_normalize_folds_indic_digits_at_any_length(text: str, padding: int) -> None:
    padded = "ب" * padding + text
    assert normalize(padded) == _normalize_with_every_fold(padded)
    assert not arabic._INDIC_DIGIT.search(normalize(padded))


# --- prepared entries, end to end ----------------------------------------------------------

_DEMO_FEEDS = Path(__file__).resolve().parents[2] / "src" / "tuireader" / "demo" / "site" / "feeds"


@pytest.mark.parametrize("name", ["akhbar.xml", "sada.xml"])
def test_prepared_rows_are_what_the_general_routines_make(name: str) -> None:
    url = f"http://127.0.0.1:8080/feeds/{name}"
    parsed = parse_feed((_DEMO_FEEDS / name).read_bytes(), url=url, now=_NOW)
    settings = FeedSettings(url, url, None, Direction.AUTO)
    prepared = prepare_entries(parsed, {}, settings)
    assert len(prepared.changed) == len(parsed.entries) > 5
    feed_title = parsed.title or url
    for entry, change in zip(parsed.entries, prepared.changed, strict=True):
        body = html_text(entry.content or entry.summary)[:BODY_LIMIT]
        assert change.index_title == " ".join(index_terms(entry.title))
        assert change.index_body == " ".join(index_terms(body))
        assert change.row[10] == json.dumps(list(entry.categories), ensure_ascii=False)
        assert change.row[11:13] == primary_section(None, entry.categories, feed_title)
        published = entry.published or entry.updated
        assert change.row[4] == (published.isoformat() if published else None)


def test_long_strings_are_not_kept_in_the_memo_tables() -> None:
    long_chunk = "كلمة،" * 100
    before = len(terms_module._JOINED_CHUNKS)
    assert index_text(long_chunk) == " ".join(index_terms(long_chunk))
    assert long_chunk not in terms_module._JOINED_CHUNKS
    assert len(terms_module._JOINED_CHUNKS) <= before
    misses = finish._memo_category.cache_info().misses
    long_name = "قسم " * 100
    assert finish._category(long_name) == " ".join(long_name.split())
    assert finish._memo_category.cache_info().misses == misses
