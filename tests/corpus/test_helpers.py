"""The corpus helpers on small inputs: annotations, expectations, verdicts, invariants, and
one real file through the whole pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus.agreement import compare_encoding, compare_link, compare_title, html_text
from tests.corpus.annotations import Expectation, expectations, read_annotations
from tests.corpus.archive import CorpusFile, is_opml, read_corpus
from tests.corpus.invariants import forbidden_in_text, line_problems, parsed_feed_problems
from tests.corpus.pipeline import HARNESS_ROOT, describe_exception, document_url, run_file
from tests.corpus.summary import agreement
from tuireader.core.models import ParsedEntry, ParsedFeed
from tuireader.core.parsing.encoding import DecodedBody
from tuireader.core.store import Store

HEADED = b"""<?xml version="1.0"?>
<!--
Header:      Content-type: text/xml;charset= "us-ascii"
Header:      Content-Location: http://example.com/
Description: text/xml + explicit charset
Expect:      not bozo and encoding == 'us-ascii'
-->
<rss version="2.0"><channel><title>T</title></channel></rss>"""


def test_annotations_give_headers_description_and_expectation() -> None:
    notes = read_annotations(HEADED)
    assert notes.content_type == 'text/xml;charset= "us-ascii"'
    assert notes.content_location == "http://example.com/"
    assert notes.description == "text/xml + explicit charset"
    assert notes.expect == "not bozo and encoding == 'us-ascii'"


def test_annotations_of_a_utf16_file_and_of_json() -> None:
    utf16 = HEADED.decode("ascii").encode("utf-16-le")
    assert read_annotations(utf16).expect == "not bozo and encoding == 'us-ascii'"
    json_feed = b'{"__TEST__": "Description: basic Expect: feed.title == \'My\' -->", "x": 1}'
    assert read_annotations(json_feed).expect == "feed.title == 'My'"
    assert read_annotations(b"<rss/>").expect == ""


def test_expectations_take_only_plain_equalities_joined_by_and() -> None:
    found = expectations(
        "not bozo and feed['title'] == u'A' and entries[1].link == 'http://x/'"
        " and entries[0]['link'] == entries[2]['link'] == 'http://y/'"
        " and (feed['title'] == 'B' or encoding == 'utf-8') and feed['language'] == 'en'"
        " and encoding == 'utf-8' and len(entries) == 2 and feed['link'] == 3"
    )
    assert found == [
        Expectation("title", None, "A"),
        Expectation("link", 1, "http://x/"),
        Expectation("link", 0, "http://y/"),
        Expectation("link", 2, "http://y/"),
        Expectation("encoding", None, "utf-8"),
    ]


def test_expectations_are_never_evaluated() -> None:
    assert expectations("__import__('os').system('false') == 'x'") == []
    assert expectations("feed['title'] == ") == []


def test_title_verdicts() -> None:
    assert compare_title("Example", "Example") == "exact"
    assert compare_title("Example <b>Atom</b>", "Example Atom") == "normalized"
    assert compare_title("a  &amp; b", "a & b") == "normalized"
    assert compare_title("testing \xad entity", "testing entity") == "deliberate"
    assert compare_title('<img src="x.jpg" />', None) == "deliberate"
    assert compare_title("Example", None) == "missing"
    assert compare_title("Example", "Other") == "differs"
    assert html_text("<p>a<script>x()</script> &lt;b&gt;</p>") == "a  <b>"


def test_link_verdicts() -> None:
    assert compare_link("http://a/", "http://a/") == "exact"
    assert compare_link("javascript:alert(1)", None) == "deliberate"
    assert compare_link("http://a/", None) == "missing"
    assert compare_link("http://a/", "http://b/") == "differs"


def test_encoding_verdicts() -> None:
    body = b"<rss/>"
    assert compare_encoding("utf-8", body, DecodedBody("<rss/>", "utf-8")) == "exact"
    assert compare_encoding("us-ascii", body, DecodedBody("<rss/>", "utf-8")) == "same text"
    latin = "<rss>é</rss>".encode("cp1252")
    assert compare_encoding("iso-8859-1", latin, DecodedBody("<rss>é</rss>", "cp1252")) == (
        "same text"
    )
    assert compare_encoding("big5", b"\xa4\xa4", DecodedBody("¤¤", "cp1252")) == "differs"
    assert compare_encoding("no-such-codec", body, DecodedBody("<rss/>", "utf-8")) == "differs"
    assert compare_encoding("utf-8", body, None) == "missing"


def test_forbidden_characters() -> None:
    assert forbidden_in_text("a\x1b[31mb\u202ec\x85", newline=False) == [
        "U+001B",
        "U+202E",
        "U+0085",
    ]
    assert forbidden_in_text("line\nline", newline=True) == []
    assert forbidden_in_text("line\nline", newline=False) == ["U+000A"]


def test_line_problems_catch_controls_bidi_marks_and_overwide_lines() -> None:
    assert line_problems("t", ["fine", "x\x1by", "a\u2067b"], 10) == [
        "t line 1 holds U+001B",
        "t line 2 holds U+2067",
    ]
    assert line_problems("t", ["مرحبا بالعالم"], 5) == ["t line 0 is 13 cells wide (width 5)"]
    assert line_problems("t", ["界"], 1) == []  # one character wider than the width
    assert line_problems("t", ["界界"], 3) == ["t line 0 is 4 cells wide (width 3)"]


def test_parsed_feed_problems() -> None:
    entry = ParsedEntry(guid="g", link="javascript:alert(1)", title="a\tb", summary="x\ny")
    feed = ParsedFeed(title="ok", link="http://a/ b", language=None, entries=[entry])
    assert parsed_feed_problems(feed) == [
        "feed link holds whitespace or a control: 'http://a/ b'",
        "entry 0 title holds U+0009",
        "entry 0 link is not http(s): 'javascript:alert(1)'",
    ]


def test_document_url_honours_an_http_content_location() -> None:
    file = CorpusFile("tests/x/a.xml", b"")
    assert document_url(file, None) == HARNESS_ROOT + "tests/x/a.xml"
    assert document_url(file, "http://example.com/") == "http://example.com/"
    assert document_url(file, "/feed/pg.cgi") == HARNESS_ROOT + "feed/pg.cgi"
    assert document_url(file, "javascript:alert('unsafe');") == HARNESS_ROOT + "tests/x/a.xml"


HOSTILE = """<?xml version="1.0" encoding="utf-8"?>
<!--
Description: hostile strings
Expect:      feed['title'] == 'Akhbar]0;pwned  news' and entries[0]['link'] == 'http://127.0.0.1:8097/a/1'
-->
<rss version="2.0"><channel><title>Akhbar\x1b]0;pwned\x07 news</title>
<item><title>عاجل: \u202eخبر [رويترز] \x9b31m</title><link>/a/1</link>
<description>&lt;p&gt;نص طويل بالعربية مع English words و 123 رقم&lt;/p&gt;</description></item>
<item><title>Second</title><link>javascript:alert(1)</link><guid>g2</guid></item>
</channel></rss>""".encode()


def test_a_hostile_feed_goes_through_parse_store_and_layout(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        report = run_file(CorpusFile("tests/hostile.xml", HOSTILE), store, with_expectations=True)
    assert report.outcome == "parsed", report.message
    assert report.problems == []
    assert (report.entries, report.articles) == (2, 2)
    assert report.lines >= 6
    # The escape sequence's controls are gone, its printable rest is plain text.
    assert [check.verdict for check in report.checks] == ["normalized", "exact"]


def test_a_file_that_is_no_feed_is_a_parse_error(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        report = run_file(
            CorpusFile("tests/x.xml", b"<html><p>hi</p></html>"), store, with_expectations=False
        )
    assert (report.outcome, report.entries) == ("parse error", 0)
    assert "HTML" in report.message


def test_an_opml_file_goes_through_the_opml_reader(tmp_path: Path) -> None:
    opml = b"""<opml version="2.0"><body><outline text="A" type="rss"
        xmlUrl="http://example.com/a.xml"/><outline text="B" xmlUrl="file:///etc/passwd"/>
        </body></opml>"""
    file = CorpusFile("testcases/opml/clean/a.opml", opml)
    assert is_opml(file)
    with Store(tmp_path / "c.db") as store:
        report = run_file(file, store, with_expectations=False)
    assert report.opml == "read: 1 feeds, 1 refused"
    assert report.outcome == "parse error"  # OPML is not a feed


def test_agreement_counts_a_file_once_per_field(tmp_path: Path) -> None:
    two_links = HOSTILE.replace(
        b"entries[0]['link'] == 'http://127.0.0.1:8097/a/1'",
        b"entries[0]['link'] == entries[1]['link'] == 'http://127.0.0.1:8097/a/1'",
    )
    with Store(tmp_path / "c.db") as store:
        report = run_file(CorpusFile("tests/h.xml", two_links), store, with_expectations=True)
    tallies = agreement([report])
    assert (tallies["title"].files, tallies["title"].agree) == (1, 1)
    assert (tallies["link"].files, tallies["link"].agree, tallies["link"].differ) == (1, 0, 1)
    assert tallies["encoding"].files == 0


@pytest.mark.parametrize(("corpus", "count"), [("feedparser", 2107), ("w3c", 1724)])
def test_archives_are_read_whole_without_their_licence(corpus: str, count: int) -> None:
    files = read_corpus(corpus)
    assert len(files) == count
    assert all(file.data and not file.name.endswith("LICENSE") for file in files)


def _explode(text: str) -> None:
    raise ValueError(text)


def test_a_crash_is_described_by_type_message_and_place_without_raw_controls() -> None:
    try:
        _explode("bad \x1b[2J input")
    except ValueError as error:
        description = describe_exception(error)
    assert description.startswith("ValueError: bad \\x1b[2J input at test_helpers.py:")
    assert description.endswith("(_explode)")
    assert forbidden_in_text(description, newline=False) == []
