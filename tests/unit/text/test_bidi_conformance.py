"""The Unicode 15.0 BidiCharacterTest.txt (91,707 cases) through our levels and line reordering.

Each case is one paragraph shown as one line: levels after L1 and the visual order after L2
must match. Both resolvers run every case: the default dispatch (our implicit rules, python-bidi
for embeddings and overrides) and python-bidi alone, which also guards our parser of its dump.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from tuireader.text import bidi, python_bidi
from tuireader.text.bidi import BidiParagraph, resolve_paragraph

DATA = Path(__file__).parents[2] / "data" / "bidi"
BASE_DIRS: dict[str, bidi.BaseDir] = {"0": "ltr", "1": "rtl", "2": "auto"}


class Case(NamedTuple):
    line: int
    text: str
    base_dir: bidi.BaseDir
    paragraph_level: int
    levels: list[int | None]  # None: removed by X9
    order: list[int]


def read_cases() -> Iterator[Case]:
    with gzip.open(DATA / "BidiCharacterTest-15.0.0.txt.gz", "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.startswith("#") or not line.strip():
                continue
            points, direction, level, levels, order = line.rstrip("\n").split(";")
            yield Case(
                number,
                "".join(chr(int(cp, 16)) for cp in points.split()),
                BASE_DIRS[direction],
                int(level),
                [None if value == "x" else int(value) for value in levels.split()],
                [int(index) for index in order.split()],
            )


def failures(resolve: Callable[[str, bidi.BaseDir], BidiParagraph]) -> tuple[int, list[str]]:
    count, failed = 0, []
    for case in read_cases():
        count += 1
        paragraph = resolve(case.text, case.base_dir)
        levels = paragraph.line_levels(0, len(case.text))
        ok = (
            paragraph.base_level == case.paragraph_level
            and all(e is None or e == got for e, got in zip(case.levels, levels, strict=True))
            and paragraph.visual_order(0, len(case.text)) == case.order
        )
        if not ok:
            failed.append(f"line {case.line}: {case.text!r}")
    return count, failed


def test_every_case_passes() -> None:
    count, failed = failures(resolve_paragraph)
    assert count == 91_707
    assert failed == [], f"{len(failed)} failures, first: {failed[:5]}"


def test_every_case_passes_with_python_bidi_levels(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bidi, "resolve_implicit", lambda text, classes, level: None)
    count, failed = failures(resolve_paragraph)
    assert count == 91_707
    assert failed == [], f"{len(failed)} failures, first: {failed[:5]}"


def test_both_resolvers_are_used_by_the_test_data(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"python-bidi": 0}
    real = python_bidi.python_bidi_levels

    def counting(text: str, level: int) -> bytes:
        calls["python-bidi"] += 1
        return real(text, level)

    monkeypatch.setattr(bidi, "python_bidi_levels", counting)
    cases = list(read_cases())
    for case in cases[:20_000]:
        resolve_paragraph(case.text, case.base_dir)
    assert 0 < calls["python-bidi"] < 20_000


def test_python_bidi_dump_format_canary() -> None:
    """Fails loudly when python-bidi's debug dump changes (we pin 0.6.12 and parse it)."""
    from importlib.metadata import version

    assert version("python-bidi") == "0.6.12", "re-check the dump parser, then update this pin"
    text = "a\u202bب (c) ١٢\u202c d"
    # RLE and PDF (removed by X9) get whatever level python-bidi gives them: 0 and 2 today.
    expected = [0, 0, 1, 1, 1, 2, 1, 1, 2, 2, 2, 0, 0]
    assert list(python_bidi.python_bidi_levels(text, 0)) == expected
    # The dump quotes the text: text that looks like the dump must not confuse the parser.
    tricky = "levels: [\n    levels: [\n ب"
    expected = [2] * 6 + [1] * 8 + [2] * 6 + [1] * 6
    assert list(python_bidi.python_bidi_levels(tricky, 1)) == expected


def test_a_changed_dump_raises_instead_of_guessing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(python_bidi, "get_display", lambda *args, **kwargs: "BidiInfo { }")
    with pytest.raises(python_bidi.BidiDumpError):
        python_bidi.python_bidi_levels("\u202bب", 0)
