"""The styled API: spans follow their characters, alignment, source offsets, cached levels."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from tuireader.text import ParagraphLayout, Segment, Span, layout
from tuireader.text.bidi import resolve_paragraph

BOLD = frozenset({"bold"})
NONE: frozenset[str] = frozenset()


def test_a_span_becomes_non_contiguous_and_follows_its_characters() -> None:
    # "قال Ap" is one logical span; on screen it is "Ap" on the left and " لاق" on the right.
    paragraph = ParagraphLayout("قال Apple يوم", spans=[Span(0, 6, "bold")])
    (line,) = paragraph.lines(80, align=False)
    assert line.text == "موي Apple لاق"
    assert line.segments == (
        Segment("موي ", NONE),
        Segment("Ap", BOLD),
        Segment("ple", NONE),
        Segment(" لاق", BOLD),
    )


def test_overlapping_spans_give_style_sets() -> None:
    text = "see the news today"
    spans = [Span(4, 12, "link:https://example.com/"), Span(8, 18, "highlight")]
    (line,) = ParagraphLayout(text, spans=spans).lines(80, align=False)
    link = "link:https://example.com/"
    assert line.segments == (
        Segment("see ", NONE),
        Segment("the ", frozenset({link})),
        Segment("news", frozenset({link, "highlight"})),
        Segment(" today", frozenset({"highlight"})),
    )


def test_mirrored_brackets_keep_their_span() -> None:
    (line,) = ParagraphLayout("قال (CNN) إن", spans=[Span(4, 5, "bold")]).lines(80, align=False)
    # the logical "(" (index 4) ends up right of CNN, mirrored to ")", and keeps its style
    assert line.text == "نإ (CNN) لاق"
    assert Segment(")", BOLD) in line.segments


def test_alignment_rtl_right_ltr_left() -> None:
    (rtl,) = ParagraphLayout("قال (CNN)").lines(12)
    assert rtl.text == "   (CNN) لاق" and rtl.segments[0] == Segment("   ", NONE)
    (ltr,) = ParagraphLayout("Hello").lines(8)
    assert ltr.text == "Hello   " and ltr.segments[-1] == Segment("   ", NONE)
    assert all(cell_len(line.text) == 10 for line in ParagraphLayout("كلمة " * 9).lines(10))


def test_lines_know_their_logical_range() -> None:
    text = "أعلنت شركة Apple يوم 2025-02-28"
    paragraph = ParagraphLayout(text)
    lines = paragraph.lines(20)
    assert [text[line.start : line.end] for line in lines] == ["أعلنت شركة Apple يوم", "2025-02-28"]
    assert paragraph.logical_lines(20) == ["أعلنت شركة Apple يوم", "2025-02-28"]


def test_spans_on_shaped_text_follow_the_ligature() -> None:
    text = "الاجتماع لا"
    paragraph = ParagraphLayout(text, shaping=True, spans=[Span(9, 11, "bold")])
    (line,) = paragraph.lines(80, align=False)
    assert line.segments[0] == Segment("\ufefb", BOLD)
    assert line.start == 0 and line.end == len(text)


def test_spans_need_sanitized_text() -> None:
    with pytest.raises(ValueError, match="sanitized"):
        ParagraphLayout("a\x1bb", spans=[Span(0, 1, "bold")])


def test_a_resize_reuses_the_levels(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def counting(text: str, base_dir: str = "auto") -> object:
        calls.append(text)
        return resolve_paragraph(text, base_dir)  # type: ignore[arg-type]

    monkeypatch.setattr(layout, "resolve_paragraph", counting)
    paragraph = ParagraphLayout("قال المتحدث باسم الحكومة إن الاجتماع انتهى")
    first = paragraph.visual_lines(80)
    narrow = paragraph.lines(12)
    again = paragraph.visual_lines(80)
    assert len(calls) == 1
    assert len(narrow) > 1 and first == again


def test_text_package_stays_pure() -> None:
    code = (
        "import sys, tuireader.text; "
        "bad = [m for m in ('textual', 'sqlite3', 'httpx', 'tuireader.core', 'tuireader.tui') "
        "if m in sys.modules]; print(bad)"
    )
    env_path = str(Path(__file__).parents[3] / "src")
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]"
