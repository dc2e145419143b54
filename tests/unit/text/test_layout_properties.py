"""Properties of the layout over arbitrary Unicode text (hypothesis)."""

from __future__ import annotations

import unicodedata
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tuireader.text import ParagraphLayout, layout_paragraph, layout_text, sanitize_text
from tuireader.text.bidi import BIDI_CONTROLS, mirror
from tuireader.text.clusters import CLUSTER

# Characters that exercise the algorithm, mixed with arbitrary ones.
INTERESTING = (
    "ab Z09 .,:-/+%$#()[]{}<>«»\u2329\u232a\u3008\u3009 "
    "\u0627\u0644\u0628\u0629\u0645\u0621\u0622\u0623\u0625\u0640\u064b\u064e\u0651\u0670"
    "\u0660\u0661\u06f1\u05d0\u05d1\u05b0\u0301\u20aa"
    "\u061c\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\t\n\r\x1b\x9b\x00\u00ad\u200b\ufeff\u2028\u2029\ufefb\ufdf2\ufe8d"
    "\u4e2d\u3042\U0001f600\U0001d167\u0903"
)
texts = st.text(
    alphabet=st.one_of(st.sampled_from(INTERESTING), st.characters()),
    max_size=80,
)
widths = st.integers(min_value=1, max_value=30)
base_dirs = st.sampled_from(["auto", "ltr", "rtl"])


def fits(line: str, width: int) -> bool:
    """A line fits, or holds one visible cluster that is wider than ``width`` by itself."""
    visible = [cluster for cluster in CLUSTER.findall(line) if cell_len(cluster)]
    return cell_len(line) <= width or len(visible) == 1


def no_controls(line: str) -> bool:
    return not any(unicodedata.category(c) == "Cc" or c in BIDI_CONTROLS for c in line)


def mirror_class(text: str) -> Counter[str]:
    """Characters of ``text`` counted up to mirroring (a bracket and its mirror are one)."""
    return Counter(min(c, mirror(c)) for c in text)


@settings(max_examples=300, deadline=None)
@given(texts, widths, base_dirs, st.booleans())
def test_every_line_fits_and_has_no_controls(
    text: str, width: int, base_dir: str, shaping: bool
) -> None:
    lines = layout_paragraph(text, width, base_dir=base_dir, shaping=shaping)  # type: ignore[arg-type]
    assert lines
    for line in lines:
        assert fits(line, width), (line, width)
        assert no_controls(line), line


@settings(max_examples=300, deadline=None)
@given(texts, widths, base_dirs, st.booleans())
def test_logical_lines_join_back_to_the_sanitized_paragraph(
    text: str, width: int, base_dir: str, shaping: bool
) -> None:
    layout = ParagraphLayout(text, base_dir=base_dir, shaping=shaping)  # type: ignore[arg-type]
    ranges = layout.ranges(width)
    logical = layout.logical_lines(width)
    joined = logical[0]
    for (_, end), (start, _), line in zip(ranges[:-1], ranges[1:], logical[1:], strict=True):
        gap = layout.display[end:start]
        assert gap in ("", " ")
        joined += gap + line
    assert joined == sanitize_text(text).replace("\n", " ")


@settings(max_examples=300, deadline=None)
@given(texts, widths, base_dirs)
def test_each_visual_line_is_a_permutation_of_its_logical_line(
    text: str, width: int, base_dir: str
) -> None:
    layout = ParagraphLayout(text, base_dir=base_dir)  # type: ignore[arg-type]
    visual = layout.visual_lines(width)
    for (start, end), line in zip(layout.ranges(width), visual, strict=True):
        logical = "".join(c for c in layout.display[start:end] if c not in BIDI_CONTROLS)
        assert mirror_class(line) == mirror_class(logical)


@settings(max_examples=200, deadline=None)
@given(
    texts,
    widths,
    st.sampled_from(["app", "terminal", "off"]),
    st.sampled_from(["auto", "on", "off"]),
)
def test_layout_text_pads_to_width_and_emits_no_controls(
    text: str, width: int, bidi: str, shape: str
) -> None:
    lines = layout_text(text, width, bidi=bidi, shape=shape)  # type: ignore[arg-type]
    paragraphs = sanitize_text(text).count("\n") + 1
    assert len(lines) == paragraphs if bidi == "off" else len(lines) >= paragraphs
    for line in lines:
        assert no_controls(line)
        if bidi != "off":
            assert cell_len(line) == width or (cell_len(line) > width and fits(line.strip(), width))


@settings(max_examples=200, deadline=None)
@given(texts, widths)
def test_styled_lines_carry_the_same_text_as_plain_lines(text: str, width: int) -> None:
    source = sanitize_text(text).replace("\n", " ")
    spans = []
    if len(source) > 2:
        spans = [
            __import__("tuireader.text").text.Span(1, len(source) - 1, "bold"),
            __import__("tuireader.text").text.Span(0, 2, "link:https://example.com/"),
        ]
    layout = ParagraphLayout(source, spans=spans, shaping=True)
    for line, plain in zip(
        layout.lines(width, align=False), layout.visual_lines(width), strict=True
    ):
        assert line.text == plain
        assert "".join(segment.text for segment in line.segments) == plain
