"""Calibration, the command palette and NO_COLOR, under Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.feedserver import FeedServer
from tests.tui.conftest import make_app
from tuireader.core.config import load_config
from tuireader.tui.screens.main import MainScreen
from tuireader.tui.widgets.article_list import ArticleList


async def test_calibration_saves_the_choice(server: FeedServer, tmp_path: Path) -> None:
    app = make_app(server, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("3")  # "the terminal reorders"
        await pilot.pause()
        assert app.painter.bidi == "terminal" and not app.painter.shape
        assert isinstance(app.screen, MainScreen)
    ui = load_config(tmp_path / "config.toml").ui
    assert (ui.bidi, ui.shape) == ("terminal", "off")


async def test_b_cycles_the_mode_live(server: FeedServer, tmp_path: Path) -> None:
    app = make_app(server, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("j", "enter", "escape")  # open an Arabic article, back to the list
        before = screen.query_one("#reader").text  # type: ignore[attr-defined]
        await pilot.press("b")
        await pilot.pause()
        assert app.painter.bidi == "terminal"
        await pilot.press("enter", "b")  # in the reading pane b pages up instead
        assert app.painter.bidi == "terminal"
        after = screen.query_one("#reader").text  # type: ignore[attr-defined]
        assert before != after  # laid out again, now in logical order
        assert "المغرب" in after or "خبر" in after


async def test_command_palette_goes_to_a_section(server: FeedServer, tmp_path: Path) -> None:
    app = make_app(server, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Business")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.query_one(ArticleList).count == 1


async def test_no_color_is_honoured(
    server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(server, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        svg = app.export_screenshot()
    # Only black, white and greys remain: no hue anywhere on screen.
    import re

    window_buttons = {"ff5f57", "febc2e", "28c840"}  # the SVG's picture of a window frame
    colours = set(re.findall(r"#([0-9a-f]{6})", svg)) - window_buttons
    assert colours
    for colour in colours:
        r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
        assert max(r, g, b) - min(r, g, b) <= 8, colour


async def test_ansi_theme_uses_the_terminal_palette(server: FeedServer, tmp_path: Path) -> None:
    from dataclasses import replace

    from tuireader.core.config import UIConfig
    from tuireader.tui.themes import theme_colors

    app = make_app(server, tmp_path)
    app.settings = replace(
        app.settings, config=replace(app.settings.config, ui=UIConfig(theme="ansi-dark"))
    )
    app.theme = "ansi-dark"
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("j", "enter")
        await pilot.pause()
        colours = theme_colors(app.current_theme)
        # 16-colour terminals get their own palette's names, never a hex the terminal lacks.
        assert all(not value.startswith("#") for value in colours.values()), colours
        assert app.screen.query_one("#reader").text  # type: ignore[attr-defined]
