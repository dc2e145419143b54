"""SVG snapshots of the main screens, from the demo at a fixed moment.

Review changes with `pytest tests/snapshots --snapshot-update` only after looking at
snapshot_report.html: a snapshot is a promise about what users see.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tuireader.core.config import Config
from tuireader.demo.scenes import (
    NOW,
    copy_database,
    demo_app,
    go_to,
    is_arabic_example,
    is_english_example,
    then_press,
)
from tuireader.demo.server import build_demo_database
from tuireader.tui.app import TuiReader


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Config]:
    database = tmp_path_factory.mktemp("demo") / "tuireader.db"
    return database, build_demo_database(database, NOW)


@pytest.fixture
def make(demo_database: tuple[Path, Config], tmp_path: Path) -> Callable[..., TuiReader]:
    def build(**options: Any) -> TuiReader:
        return demo_app(copy_database(demo_database[0], tmp_path), demo_database[1], **options)

    return build


def test_main_screen_arabic_article(snap_compare: Any, make: Any) -> None:
    assert snap_compare(make(), terminal_size=(120, 36), run_before=go_to(is_arabic_example))


def test_main_screen_english_article(snap_compare: Any, make: Any) -> None:
    assert snap_compare(make(), terminal_size=(120, 36), run_before=go_to(is_english_example))


def test_narrow_layout_reader(snap_compare: Any, make: Any) -> None:
    steps = then_press(go_to(is_arabic_example), "enter")
    assert snap_compare(make(), terminal_size=(60, 24), run_before=steps)


def test_help_screen(snap_compare: Any, make: Any) -> None:
    assert snap_compare(make(), terminal_size=(100, 30), press=["question_mark"])


def test_mirrored_arabic_interface(snap_compare: Any, make: Any) -> None:
    app = make(language="ar")
    assert snap_compare(app, terminal_size=(130, 36), run_before=go_to(is_arabic_example))


@pytest.mark.parametrize("bidi", ["app", "terminal", "off"])
def test_each_bidi_mode_on_one_article(snap_compare: Any, make: Any, bidi: str) -> None:
    app = make(bidi=bidi, shape=bidi == "app")
    assert snap_compare(app, terminal_size=(100, 30), run_before=go_to(is_arabic_example))


def test_calibration_screen(snap_compare: Any, make: Any) -> None:
    assert snap_compare(make(), terminal_size=(100, 30), press=["c"])
