"""Scenes of the demo for screenshots and snapshot tests: the app at a fixed moment, driven
to a known state. Shared so the README's pictures and the tests show the same thing."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tuireader.core.config import Config, UIConfig
from tuireader.tui.app import AppSettings, TuiReader

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def demo_app(
    database: Path, config: Config, *, language: str = "en", bidi: str = "app", shape: bool = True
) -> TuiReader:
    """The reader on a copy-free demo database, frozen at NOW, with no refresh at start."""
    return TuiReader(
        AppSettings(
            database=database,
            config=Config(feeds=config.feeds, ui=UIConfig(language=language)),
            bidi=bidi,
            shape=shape,
            language=language,
            refresh_on_start=False,
            clock=lambda: NOW,
        )
    )


def copy_database(source: Path, directory: Path) -> Path:
    target = directory / "tuireader.db"
    shutil.copy(source, target)
    return target


async def settle(pilot: Any) -> None:
    """Wait until delayed work has started (related articles wait for the cursor to rest),
    workers are done and the screen is drawn."""
    await pilot.pause(0.3)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def is_arabic_example(title: str) -> bool:
    return "IMF" in title


def is_english_example(title: str) -> bool:
    return title.startswith("Kestrel ultraviolet")


def go_to(predicate: Callable[[str], bool]) -> Callable[[Any], Any]:
    """A run_before step that puts the list's cursor on the first article matching."""

    async def run_before(pilot: Any) -> None:
        from tuireader.tui.widgets.article_list import ArticleList

        await settle(pilot)
        articles = pilot.app.screen.query_one(ArticleList)
        for index in range(articles.count):
            row = articles.row(index)
            if row is not None and predicate(row.title):
                articles.cursor = index
                break
        else:
            raise LookupError("no demo article matches")
        await settle(pilot)

    return run_before


def then_press(first: Callable[[Any], Any], *keys: str) -> Callable[[Any], Any]:
    """A run_before step followed by key presses."""

    async def run_before(pilot: Any) -> None:
        await first(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return run_before
