"""layout_text and the app-wide modes: app, terminal, off; shape auto, on, off."""

from __future__ import annotations

import pytest

from tuireader.text import BidiMode, BidiParagraph, ParagraphLayout, layout_text
from tuireader.text.bidi import BaseDir, resolve_paragraph

TEXT = "قال (CNN)\nHello\n\u202eabc\u202c"


def test_app_mode_reorders_and_aligns() -> None:
    assert layout_text(TEXT, 12, shape="off") == ["   (CNN) لاق", "Hello       ", "abc         "]


def test_app_mode_shapes_unless_shape_is_off() -> None:
    shaped = layout_text("قال", 5)
    assert shaped == layout_text("قال", 5, shape="on") == ["  \ufedd\ufe8e\ufed7"]
    assert layout_text("قال", 5, shape="off") == ["  لاق"]


def test_terminal_mode_is_logical_unshaped_and_aligned() -> None:
    lines = layout_text(TEXT, 12, bidi="terminal", shape="on")
    assert lines == ["   قال (CNN)", "Hello       ", "abc         "]


def test_terminal_mode_wraps_in_logical_order() -> None:
    lines = layout_text("أعلنت شركة Apple يوم 2025", 20, bidi="terminal")
    assert lines == ["أعلنت شركة Apple يوم", "                2025"]


def test_off_mode_is_plain_logical_text_without_controls() -> None:
    assert layout_text(TEXT + "\x1b[2J", 12, bidi="off") == ["قال (CNN)", "Hello", "abc[2J"]


def test_empty_paragraphs_are_blank_lines() -> None:
    assert layout_text("a\n\nب", 3, shape="off") == ["a  ", "   ", "  ب"]


def test_unknown_modes_are_refused() -> None:
    with pytest.raises(ValueError, match="bidi mode"):
        layout_text("a", 10, bidi="auto")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="shape mode"):
        ParagraphLayout.for_mode("a", shape="yes")  # type: ignore[arg-type]


def test_for_mode_builds_the_same_lines_as_layout_text() -> None:
    text = "قال المتحدث (CNN) إن الاجتماع انتهى"
    modes: tuple[BidiMode, ...] = ("app", "terminal")
    for bidi in modes:
        paragraph = ParagraphLayout.for_mode(text, bidi=bidi)
        assert [line.text for line in paragraph.lines(16)] == layout_text(text, 16, bidi=bidi)


def test_off_mode_layout_is_logical_and_left_aligned() -> None:
    (line,) = ParagraphLayout.for_mode("قال \u202eabc\u202c", bidi="off").lines(10)
    assert line.text == "قال abc   "


def test_functions_reuse_the_levels_of_recent_paragraphs(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def counting(text: str, base_dir: BaseDir = "auto") -> BidiParagraph:
        calls.append(text)
        return resolve_paragraph(text, base_dir)

    monkeypatch.setattr("tuireader.text.layout.resolve_paragraph", counting)
    text = "نص لم يعرض من قبل في هذه الاختبارات (CNN) 2025"
    first = layout_text(text, 20)
    assert layout_text(text, 30) != first
    assert layout_text(text, 20) == first
    assert len(calls) == 1
