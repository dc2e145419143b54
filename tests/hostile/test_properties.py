"""Property tests over hostile input (hypothesis): the parser on arbitrary and mutated feeds,
HTML to document on arbitrary markup, and the article layout on arbitrary articles. Existing
properties of the sanitizer and the layout engine are in tests/unit; these add what lies
around them. ``HYPOTHESIS_PROFILE=fuzz`` (or ``HOSTILE_EXAMPLES=N``) runs many more examples."""

from __future__ import annotations

import os
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tuireader.core.document import Document
from tuireader.core.extract import html_to_document
from tuireader.core.models import Article, Direction, ParsedFeed
from tuireader.core.parse import FeedParseError, parse_feed
from tuireader.core.reading import ArticleLayout
from tuireader.text.bidi import BIDI_CONTROLS
from tuireader.text.clusters import CLUSTER

FEEDS = Path(__file__).parent.parent / "data" / "feeds"
SEEDS = sorted(p for p in FEEDS.iterdir() if p.suffix in (".xml", ".json"))
NOW = datetime(2026, 11, 29, tzinfo=UTC)
# 150 examples per property in the normal run; HYPOTHESIS_PROFILE=fuzz gives 20,000, and
# HOSTILE_EXAMPLES=N any number.
FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "20000" if FUZZ else "150"))
FAST = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# Characters that break things: controls, escapes, bidi controls, markup, entities, Arabic.
NASTY = (
    "\x00\x01\x07\x08\t\n\r\x0b\x0c\x1b\x7f\x85\x9b\x9c\x9d\u00ad\u200b\u200e\u200f\u202a"
    "\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u2028\u2029"
    "[]/@=&;#<>\"' \\ابةى\u064b\u0640\ufefb\u05d0 x1"
)
# Lone surrogates cannot be in feed bytes; test_html_to_document_on_a_lone_surrogate covers str.
nasty_text = st.text(
    alphabet=st.one_of(st.sampled_from(NASTY), st.characters(exclude_categories=["Cs"])),
    max_size=60,
)


def unsafe(text: str) -> list[str]:
    """Characters no shown string may hold: controls but newline, and LRO/RLO."""
    return [
        f"U+{ord(c):04X}"
        for c in text
        if (unicodedata.category(c) == "Cc" and c != "\n") or c in "\u202d\u202e"
    ]


def feed_strings(feed: ParsedFeed) -> list[str]:
    out = [feed.title]
    for entry in feed.entries:
        out += [entry.title, entry.author, entry.summary, entry.content, *entry.categories]
    return out


def assert_parses_or_fails_in_words(body: bytes) -> None:
    try:
        feed = parse_feed(body, url="https://feeds.example/x/feed.xml", now=NOW)
    except FeedParseError as error:
        assert error.message and "\n" not in error.message and not unsafe(error.message)
        return
    for text in feed_strings(feed):
        assert not unsafe(text), (unsafe(text), text[:80])
    for entry in feed.entries:
        for url in (entry.link, entry.image):
            assert url is None or url.startswith(("http://", "https://")), url


# --- the parser --------------------------------------------------------------------------------


@st.composite
def mutated_feed(draw: st.DrawFn) -> bytes:
    """A real feed from tests/data/feeds with a few bytes flipped, cut, inserted or repeated."""
    body = bytearray(draw(st.sampled_from(SEEDS)).read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(len(body) - 1, 0)))
        action = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "truncate"]))
        if action == "flip" and body:
            body[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del body[at : at + draw(st.integers(1, 64))]
        elif action == "insert":
            body[at:at] = draw(st.binary(max_size=16) | nasty_text.map(str.encode))
        elif action == "repeat":
            body[at:at] = body[at : at + draw(st.integers(1, 200))] * draw(st.integers(2, 5))
        else:
            del body[at:]
    return bytes(body)


@FAST
@given(mutated_feed())
def test_mutated_real_feeds_parse_or_fail_in_words(body: bytes) -> None:
    assert_parses_or_fails_in_words(body)


@st.composite
def feed_with_hostile_fields(draw: st.DrawFn) -> bytes:
    """A well-formed RSS or JSON feed whose every string is arbitrary hostile text."""
    from xml.sax.saxutils import escape

    fields = [draw(nasty_text) for _ in range(5)]
    if draw(st.booleans()):
        import json

        item = {
            "id": fields[0] or "x",
            "title": fields[1],
            "content_html": fields[2],
            "authors": [{"name": fields[3]}],
            "tags": [fields[4]],
            "url": "https://a.example/1",
        }
        return json.dumps(
            {"version": "https://jsonfeed.org/version/1.1", "title": fields[0], "items": [item]}
        ).encode()
    clean = [escape(f) for f in fields]
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{clean[0]}</title><item><title>{clean[1]}</title><guid>{clean[0]}</guid>"
        f"<description>{clean[2]}</description><author>{clean[3]}</author>"
        f"<category>{clean[4]}</category></item></channel></rss>"
    ).encode()


@FAST
@given(feed_with_hostile_fields())
def test_hostile_field_text_never_comes_out_unsafe(body: bytes) -> None:
    assert_parses_or_fails_in_words(body)


# --- HTML to document --------------------------------------------------------------------------

TAGS = [
    "p",
    "b",
    "i",
    "a",
    "div",
    "span",
    "h1",
    "h3",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "br",
    "hr",
    "img",
    "table",
    "tr",
    "td",
    "figure",
    "figcaption",
    "script",
    "style",
    "svg",
    "iframe",
    "template",
    "bdo",
    "bdi",
]
ATTRS = [
    ' href="javascript:alert(1)"',
    ' href="file:///etc/passwd"',
    ' href="https://x.example/"',
    ' href="/rel"',
    ' src="data:image/png;base64,AA"',
    ' dir="rtl"',
    ' dir="ltr"',
    ' lang="ar"',
    " hidden",
    ' style="display:none"',
    ' alt="[@click=app.quit]"',
    "",
]


@st.composite
def html_soup(draw: st.DrawFn) -> str:
    """Tag soup: random open and close tags, attributes, entities and hostile text."""
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 4))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            parts.append(f"<{tag}{draw(st.sampled_from(ATTRS))}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(
                draw(
                    st.sampled_from(
                        [
                            "&amp;",
                            "&#27;",
                            "&#x9b;",
                            "&#0;",
                            "&lt;b&gt;",
                            "&nbsp;",
                            "&#xD800;",
                            "&unknown;",
                            "&#1114112;",
                        ]
                    )
                )
            )
        else:
            parts.append(draw(nasty_text))
    return "".join(parts)


def test_html_to_document_on_a_lone_surrogate() -> None:
    assert html_to_document("<p>a\ud800b</p>").blocks[0].text == "ab"


def document_strings(document: Document) -> list[str]:
    out = []
    for block in document.blocks:
        out.append(block.text)
        out += [inline.text for inline in block.inlines]
    return out


@FAST
@given(st.one_of(html_soup(), nasty_text), st.sampled_from(list(Direction)))
def test_html_to_document_never_raises_and_emits_only_safe_text(
    html: str, direction: Direction
) -> None:
    document = html_to_document(html, base_url="https://site.example/a/", direction=direction)
    for text in document_strings(document):
        assert not unsafe(text), (unsafe(text), text)
    for block in document.blocks:
        links = [inline.link for inline in block.inlines if inline.link] + [block.src or ""]
        for link in filter(None, links):
            assert link.startswith(("http://", "https://", "mailto:")), link
    assert Document.from_json(document.to_json()) == document


# --- the article layout ------------------------------------------------------------------------


def article(title: str, html: str, direction: Direction) -> Article:
    return Article(
        id=1,
        feed_id=1,
        feed_title="feed",
        feed_url="https://site.example/feed",
        guid="g",
        link="https://site.example/a/1",
        title=title,
        author="",
        published=NOW,
        updated=None,
        summary=html,
        content="",
        full_text=None,
        full_text_error=None,
        language=None,
        direction=direction,
        categories=(),
        section="s",
        read=False,
        starred=False,
        first_seen=NOW,
    )


def fits(line: str, width: int) -> bool:
    """Within ``width`` cells, or one cluster wider than the width on its own."""
    visible = [c for c in CLUSTER.findall(line) if cell_len(c) and c.strip()]
    return cell_len(line) <= width or len(visible) <= 1


@FAST
@given(
    nasty_text,
    st.one_of(html_soup(), nasty_text),
    st.sampled_from(list(Direction)),
    st.integers(1, 300),
    st.sampled_from(["app", "terminal", "off"]),
    st.sampled_from(["auto", "on", "off"]),
    st.lists(nasty_text, max_size=2),
)
def test_article_layout_lines_fit_and_are_safe(
    title: str,
    html: str,
    direction: Direction,
    width: int,
    bidi: str,
    shape: str,
    highlight: list[str],
) -> None:
    layout = ArticleLayout(
        article(title, html, direction), bidi=bidi, shape=shape, meta=title, highlight=highlight
    )
    columns = max(width, 8)  # the layout's own minimum
    for line in layout.lines(width):
        text = line.text
        assert not unsafe(text) and not any(c in BIDI_CONTROLS for c in text), unsafe(text)
        assert "\n" not in text
        assert fits(text, columns), (cell_len(text), columns, text)
        for segment in line.segments:
            for style in segment.styles:
                if style.startswith("link:"):
                    assert style[5:].startswith(("http://", "https://", "mailto:")), style
