"""The reader's start: the first frame shows the whole screen (the article follows at once)."""

from __future__ import annotations

import gc
import re
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.segment import ControlType
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.screen import Screen
from textual.widgets._footer import FooterKey

from tuireader.core.config import Config
from tuireader.core.store import Store
from tuireader.demo.scenes import NOW, copy_database, demo_app
from tuireader.demo.server import build_demo_database
from tuireader.tui.app import TuiReader
from tuireader.tui.screens.main import MainScreen
from tuireader.tui.widgets.footer import ReaderFooter
from tuireader.tui.widgets.reader import ArticleView
from tuireader.tui.widgets.sections import SectionsPane, count_places


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Config]:
    database = tmp_path_factory.mktemp("demo") / "tuireader.db"
    return database, build_demo_database(database, NOW)


@pytest.fixture
def app(demo_database: tuple[Path, Config], tmp_path: Path) -> TuiReader:
    return demo_app(copy_database(demo_database[0], tmp_path), demo_database[1])


class TerminalText:
    """The text a terminal shows, kept up to date from Textual's screen updates (full frames
    and the partial ones that change a few spans)."""

    def __init__(self, width: int, height: int) -> None:
        self.rows = [[" "] * width for _ in range(height)]

    def apply(self, update: LayoutUpdate | ChopsUpdate, console: Console) -> None:
        x = y = 0
        for segment in console.render(update):
            for code in segment.control or ():
                if code[0] == ControlType.CURSOR_MOVE_TO:
                    x, y = int(code[1]), int(code[2])  # type: ignore[misc]
            if segment.control or segment.text == "\n":
                continue
            for char in segment.text:
                width = cell_len(char)
                if width == 0 and x:  # a combining mark stays with its base
                    self.rows[y][x - 1] += char
                    continue
                if x < len(self.rows[y]):
                    self.rows[y][x] = char
                    if width == 2 and x + 1 < len(self.rows[y]):
                        self.rows[y][x + 1] = ""
                x += width

    def lines(self) -> list[str]:
        return ["".join(row) for row in self.rows]


def record_frames(app: TuiReader, width: int, height: int) -> list[list[str]]:
    """What the terminal shows after each frame the app hands to it, in order (Textual
    composes frames headless too, and drops those made inside a batch of updates)."""
    frames: list[list[str]] = []
    terminal = TerminalText(width, height)
    display = app._display

    def recording(screen: Screen[Any], renderable: RenderableType | None) -> None:
        if isinstance(renderable, LayoutUpdate | ChopsUpdate) and not app._batch_count:
            terminal.apply(renderable, app.console)
            frames.append(terminal.lines())
        display(screen, renderable)

    app._display = recording  # type: ignore[method-assign]
    return frames


async def test_the_first_frame_shows_the_whole_screen_and_the_article_follows(
    app: TuiReader,
) -> None:
    frames = record_frames(app, 120, 36)
    with Store(app.settings.database) as store:
        _total, unread, _starred = store.totals()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert frames, "no frame reached the terminal"
        first = frames[0]
        text = "\n".join(first)
        assert "◆" in first[0] and "tuireader" in first[0]  # the header, icon included
        # The sections' labels fit the pane: name and count on one line, not wrapped.
        assert any(re.search(rf"│ All +{unread} +│", line) for line in first), text
        assert "Related" in text  # the sidebar, shown at 120 columns
        assert "Quit" in first[-1]  # the footer's keys
        # The article under the cursor follows in the frames right after (laying it out would
        # hold back the first); the pane is blank until then, never another article.
        shown = screen.query_one(ArticleView).text.splitlines()
        opening = [line.strip() for line in shown if line.strip()][:2]
        assert opening and not any(line in text for line in opening), text
        with_article = [
            index
            for index, frame in enumerate(frames)
            if all(line in "\n".join(frame) for line in opening)
        ]
        assert with_article and with_article[0] <= 3, [len(frames), with_article]


async def test_section_labels_are_laid_out_at_the_width_they_are_drawn(app: TuiReader) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        sections = screen.query_one(SectionsPane)
        for width in (120, 70):  # a pane of 26 columns, then the whole narrow screen
            await pilot.resize_terminal(width, 30)
            screen.focus_pane("sections")
            await pilot.pause()
            content = sections.scrollable_content_region.width
            line = sections.render_line(0).text
            assert len(line) == content
            assert re.fullmatch(rf" ?All +{sections._places[0].unread} *", line), line


async def test_counts_begun_at_start_are_used_once(app: TuiReader) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.first_counts() == count_places(app.store)  # counted afresh now
        with Store(app.settings.database) as store:
            unread = store.articles(limit=3)
            store.set_read([row.id for row in unread], True)
        _total, unread_now, _starred = app.first_counts().totals
        assert unread_now == count_places(app.store).totals[1]
        screen = app.screen
        assert isinstance(screen, MainScreen)
        places = screen.query_one(SectionsPane)._places
        assert places[0].unread == unread_now + 3  # the pane shows what was counted at start


async def test_garbage_collection_is_paused_only_until_the_first_frame(app: TuiReader) -> None:
    paused_at_frames: list[bool] = []
    display = app._display

    def recording(screen: Screen[Any], renderable: RenderableType | None) -> None:
        if isinstance(renderable, LayoutUpdate | ChopsUpdate) and not app._batch_count:
            paused_at_frames.append(not gc.isenabled())
        display(screen, renderable)

    app._display = recording  # type: ignore[method-assign]
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert paused_at_frames[0]
        assert gc.isenabled()
    assert gc.isenabled()


async def test_garbage_collection_resumes_on_the_welcome_screen(tmp_path: Path) -> None:
    from tuireader.tui.app import AppSettings
    from tuireader.tui.screens.welcome import WelcomeScreen

    app = TuiReader(AppSettings(database=tmp_path / "tuireader.db", language="en"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert gc.isenabled()


async def test_the_footer_is_composed_again_only_when_its_keys_change(app: TuiReader) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(ReaderFooter)
        keys = list(footer.query(FooterKey))
        for _ in range(3):  # every pane shows the screen's keys
            await pilot.press("tab")
            await pilot.pause()
        assert list(footer.query(FooterKey)) == keys  # the same widgets: no recompose
        app.set_keymap({"star": "x"})
        await pilot.pause()
        shown = [(key.key, key.description) for key in footer.query(FooterKey)]
        assert ("x", "Star") in shown and ("s", "Star") not in shown
