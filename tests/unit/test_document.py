"""The document model: plain text, links, and the stored JSON form."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuireader.core.document import (
    CELL_SEPARATOR,
    JSON_VERSION,
    Block,
    BlockKind,
    Document,
    Inline,
    merge_inlines,
    safe_url,
)
from tuireader.core.models import Direction


def _sample() -> Document:
    return Document(
        blocks=(
            Block(BlockKind.HEADING, (Inline("عنوان "), Inline("فرعي", bold=True)), level=2),
            Block(
                BlockKind.PARAGRAPH,
                (
                    Inline("قال "),
                    Inline("Reuters", italic=True, link="https://example.com/r"),
                    Inline(" إن "),
                    Inline("x = 1", code=True),
                ),
                direction=Direction.RTL,
                lang="ar",
            ),
            Block(BlockKind.LIST_ITEM, (Inline("أولا"),), level=1, ordered=True, number=3),
            Block(BlockKind.RULE),
            Block(BlockKind.IMAGE, (Inline("صورة"),), src="https://example.com/i.jpg"),
            Block(
                BlockKind.TABLE_ROW,
                (Inline("أ", bold=True), Inline(CELL_SEPARATOR), Inline("ب", bold=True)),
            ),
            Block(BlockKind.PRE, (Inline("  a\n    b"),)),
        ),
        title="عنوان المقال",
        published=datetime(2026, 11, 27, 9, 45, tzinfo=timezone(timedelta(hours=1))),
        source_url="https://example.com/a",
    )


def test_block_text_joins_inlines() -> None:
    block = Block(BlockKind.PARAGRAPH, (Inline("a "), Inline("b", bold=True), Inline(" c")))
    assert block.text == "a b c"
    assert Block(BlockKind.RULE).text == ""


def test_plain_text_separates_blocks_by_blank_lines_and_skips_empty_ones() -> None:
    text = _sample().plain_text()
    assert text.split("\n\n")[:3] == ["عنوان فرعي", "قال Reuters إن x = 1", "أولا"]
    assert "\n\n\n" not in text  # the rule left no empty paragraph
    assert text.endswith("  a\n    b")


def test_json_round_trip_keeps_everything() -> None:
    document = _sample()
    restored = Document.from_json(document.to_json())
    assert restored.blocks == document.blocks
    assert restored.title == document.title
    assert restored.source_url == document.source_url
    assert restored.published == datetime(2026, 11, 27, 8, 45, tzinfo=UTC)
    assert restored.published is not None and restored.published.utcoffset() == timedelta(0)


def test_json_is_versioned_compact_and_stable() -> None:
    text = _sample().to_json()
    payload = json.loads(text)
    assert payload["v"] == JSON_VERSION == 1
    assert "عنوان" in text  # stored as UTF-8, not \\u escapes
    assert text == _sample().to_json()
    # defaults are left out, so a plain paragraph is small
    small = Document((Block(BlockKind.PARAGRAPH, (Inline("x"),)),)).to_json()
    assert small == '{"v":1,"blocks":[{"k":"paragraph","in":[{"t":"x"}]}]}'


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "not json",
        "[]",
        "null",
        '{"blocks": []}',
        '{"v": 2, "blocks": []}',
        '{"v": 1}',
        '{"v": 1, "blocks": {}}',
        '{"v": 1, "blocks": [1]}',
        '{"v": 1, "blocks": [{"k": "marquee"}]}',
        '{"v": 1, "blocks": [{"k": "paragraph", "dir": "up"}]}',
        '{"v": 1, "blocks": [{"k": "paragraph", "in": "text"}]}',
        '{"v": 1, "blocks": [{"k": "paragraph", "in": [{"t": 5}]}]}',
        '{"v": 1, "blocks": [{"k": "paragraph", "in": [{"t": "x", "b": "yes"}]}]}',
        '{"v": 1, "blocks": [{"k": "paragraph", "in": [{"t": "x", "a": "javascript:x()"}]}]}',
        '{"v": 1, "blocks": [{"k": "image", "src": "data:image/png;base64,AAAA"}]}',
        '{"v": 1, "blocks": [{"k": "list_item", "lv": "1"}]}',
        '{"v": 1, "blocks": [{"k": "list_item", "lv": true}]}',
        '{"v": 1, "blocks": [{"k": "list_item", "n": 1.5}]}',
        '{"v": 1, "blocks": [{"k": "paragraph", "lang": "ar\\u001b[31m"}]}',
        '{"v": 1, "blocks": [], "title": 7}',
        '{"v": 1, "blocks": [], "published": "yesterday"}',
        '{"v": 1, "blocks": [], "published": "2026-11-27T09:45:00"}',
        "[" * 100_000,
    ],
)
def test_from_json_of_garbage_raises_value_error(garbage: str) -> None:
    with pytest.raises(ValueError):
        Document.from_json(garbage)


@pytest.mark.parametrize(
    ("href", "base", "expected"),
    [
        ("https://example.com/a?b=1#c", None, "https://example.com/a?b=1#c"),
        ("/x/y", "https://example.com/a/b", "https://example.com/x/y"),
        ("c", "https://example.com/a/b", "https://example.com/a/c"),
        ("//cdn.example.com/i.png", "https://example.com/", "https://cdn.example.com/i.png"),
        ("  https://example.com/\n", None, "https://example.com/"),
        ("mailto:desk@example.com", None, "mailto:desk@example.com"),
        ("HTTP://EXAMPLE.COM/", None, "HTTP://EXAMPLE.COM/"),
        ("/relative", None, None),
        ("javascript:alert(1)", "https://example.com/", None),
        ("JaVaScRiPt:alert(1)", None, None),
        ("data:text/html,<b>x</b>", None, None),
        ("file:///etc/passwd", None, None),
        ("ftp://example.com/f", None, None),
        ("https://exa mple.com/", None, None),
        ("https://example.com/\x1b[31m", None, None),
        ("https://example.com/\x85", None, None),
        ("https:///nohost", None, None),
        ("http://[::1", None, None),
        ("", "https://example.com/", None),
        ("https://example.com/" + "a" * 5000, None, None),
    ],
)
def test_safe_url(href: str, base: str | None, expected: str | None) -> None:
    assert safe_url(href, base) == expected


def test_merge_inlines_joins_same_style_and_drops_empty_runs() -> None:
    merged = merge_inlines(
        [Inline("a"), Inline(""), Inline("b"), Inline("c", bold=True), Inline("d", bold=True)]
    )
    assert merged == (Inline("ab"), Inline("cd", bold=True))


_texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
_links = st.one_of(st.none(), st.sampled_from(["https://example.com/x", "mailto:a@b.example"]))
_inlines = st.builds(Inline, _texts, st.booleans(), st.booleans(), st.booleans(), _links)
_blocks = st.builds(
    Block,
    st.sampled_from(list(BlockKind)),
    st.lists(_inlines, max_size=4).map(tuple),
    level=st.integers(0, 6),
    ordered=st.booleans(),
    number=st.one_of(st.none(), st.integers(-5, 10_000)),
    direction=st.sampled_from(list(Direction)),
    lang=st.one_of(st.none(), st.sampled_from(["ar", "en-GB", "fa"])),
    src=st.one_of(st.none(), st.just("https://example.com/i.png")),
)


@given(
    blocks=st.lists(_blocks, max_size=6).map(tuple),
    title=st.one_of(st.none(), _texts),
    published=st.one_of(
        st.none(), st.datetimes(timezones=st.just(UTC), min_value=datetime(1971, 1, 1))
    ),
)
def test_json_round_trip_property(
    blocks: tuple[Block, ...], title: str | None, published: datetime | None
) -> None:
    document = Document(blocks, title=title, published=published, source_url=None)
    restored = Document.from_json(document.to_json())
    assert restored == document
