"""SVG snapshots of the main screens, from the demo at a fixed moment.

Review changes with `pytest tests/snapshots --snapshot-update` only after looking at
snapshot_report.html: a snapshot is a promise about what users see.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tuireader.core.config import Config, UIConfig
from tuireader.demo.server import build_demo_database
from tuireader.tui.app import AppSettings, TuiReader

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Config]:
    database = tmp_path_factory.mktemp("demo") / "tuireader.db"
    config = build_demo_database(database, NOW)
    return database, config


@pytest.fixture
def make(demo_database: tuple[Path, Config], tmp_path: Path) -> Callable[..., TuiReader]:
    def build(*, language: str = "en", bidi: str = "app", shape: bool = True) -> TuiReader:
        database = tmp_path / "tuireader.db"
        shutil.copy(demo_database[0], database)
        config = Config(feeds=demo_database[1].feeds, ui=UIConfig(language=language))
        return TuiReader(
            AppSettings(
                database=database,
                config=config,
                bidi=bidi,
                shape=shape,
                language=language,
                refresh_on_start=False,
                clock=lambda: NOW,
            )
        )

    return build


async def settle(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def first_index(app: TuiReader, predicate: Callable[[str], bool]) -> int:
    from tuireader.tui.widgets.article_list import ArticleList

    articles = app.screen.query_one(ArticleList)
    for index in range(articles.count):
        row = articles._source.row(index)
        if row is not None and predicate(row.title):
            return index
    raise AssertionError("no such article")


def go_to(predicate: Callable[[str], bool]) -> Callable[[Any], Any]:
    async def run_before(pilot: Any) -> None:
        from tuireader.tui.widgets.article_list import ArticleList

        await settle(pilot)
        pilot.app.screen.query_one(ArticleList).cursor = first_index(pilot.app, predicate)
        await settle(pilot)

    return run_before


def arabic(title: str) -> bool:
    return "IMF" in title


def english(title: str) -> bool:
    return title.startswith("Kestrel ultraviolet")


def test_main_screen_arabic_article(snap_compare: Any, make: Any) -> None:
    assert snap_compare(make(), terminal_size=(120, 36), run_before=go_to(arabic))


def test_main_screen_english_article(snap_compare: Any, make: Any) -> None:
    assert snap_compare(make(), terminal_size=(120, 36), run_before=go_to(english))


def test_narrow_layout_reader(snap_compare: Any, make: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await go_to(arabic)(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make(), terminal_size=(60, 24), run_before=run_before)


def test_help_screen(snap_compare: Any, make: Any) -> None:
    assert snap_compare(make(), terminal_size=(100, 30), press=["question_mark"])


def test_mirrored_arabic_interface(snap_compare: Any, make: Any) -> None:
    assert snap_compare(make(language="ar"), terminal_size=(130, 36), run_before=go_to(arabic))


@pytest.mark.parametrize("bidi", ["app", "terminal", "off"])
def test_each_bidi_mode_on_one_article(snap_compare: Any, make: Any, bidi: str) -> None:
    app = make(bidi=bidi, shape=bidi == "app")
    assert snap_compare(app, terminal_size=(100, 30), run_before=go_to(arabic))


def test_calibration_screen(snap_compare: Any, make: Any) -> None:
    assert snap_compare(make(), terminal_size=(100, 30), press=["c"])
