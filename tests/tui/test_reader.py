"""Pilot tests: the reader as a user drives it, by keyboard."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from tests.feedserver import FeedServer
from tests.tui.conftest import make_app
from tuireader.core.store import ArticleQuery, Store
from tuireader.tui.screens.main import MainScreen
from tuireader.tui.widgets.article_list import ArticleList
from tuireader.tui.widgets.bidi_input import BidiInput
from tuireader.tui.widgets.reader import ArticleView
from tuireader.tui.widgets.sections import SectionsPane


async def refreshed(app, pilot) -> MainScreen:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


@asynccontextmanager
async def searching(
    server: FeedServer, tmp_path: Path, query: str, size: tuple[int, int] = (120, 36)
) -> AsyncIterator[tuple[Any, Any, BidiInput]]:
    """The reader with ``query`` typed into its search box: (app, pilot, box)."""
    app = make_app(server, tmp_path)
    async with app.run_test(size=size) as pilot:
        await refreshed(app, pilot)
        await pilot.press("slash", *query)
        await pilot.pause()
        yield app, pilot, app.screen.query_one("#search-input", BidiInput)


async def test_navigate_open_star_and_read(server: FeedServer, tmp_path: Path) -> None:
    app = make_app(server, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await refreshed(app, pilot)
        articles = screen.query_one(ArticleList)
        assert articles.count == 30
        assert articles.has_focus
        await pilot.press("j", "j", "k")
        assert articles.cursor == 1
        await pilot.press("G")
        assert articles.cursor == 29
        await pilot.press("g", "enter")
        opened = screen.current
        assert opened is not None
        assert screen.query_one(ArticleView).has_focus
        assert "Stocks rose on Friday." in screen.query_one(ArticleView).text
        await pilot.press("s")
        app.writes_done()  # read and starred are written in the background
        with Store(tmp_path / "tuireader.db") as store:
            row = store.rows_by_id([opened.id])[0]
            assert row.read and row.starred
        await pilot.press("m")
        app.writes_done()  # read and starred are written in the background
        with Store(tmp_path / "tuireader.db") as store:
            assert not store.rows_by_id([opened.id])[0].read


async def test_sections_filter_the_list(server: FeedServer, tmp_path: Path) -> None:
    app = make_app(server, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await refreshed(app, pilot)
        sections = screen.query_one(SectionsPane)
        names = [p.name for p in sections._places]
        assert names[:3] == ["All", "Unread", "Starred"]
        assert "اقتصاد" in names and "Business" in names
        sections.focus()
        index = names.index("Business")
        sections.highlighted = index
        await pilot.pause()
        assert screen.query_one(ArticleList).count == 1
        await pilot.press("enter")
        assert screen.query_one(ArticleList).has_focus


async def test_markup_in_titles_is_shown_as_written(server: FeedServer, tmp_path: Path) -> None:
    app = make_app(server, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await refreshed(app, pilot)
        articles = screen.query_one(ArticleList)
        titles = [articles.row(i).title for i in range(articles.count)]  # type: ignore[union-attr]
        english = titles.index("[Breaking] Markets rally as a [/b rates fall")
        articles.cursor = english
        await pilot.press("enter")
        text = screen.query_one(ArticleView).text
        assert "[Breaking] Markets rally as a [/b rates fall" in text
        hostile = next(t for t in titles if "مهم" in t)
        assert "\x1b" not in hostile and "\x07" not in hostile
        assert "[bold]" in hostile


async def test_a_failing_feed_is_reported_and_the_others_load(
    server: FeedServer, tmp_path: Path
) -> None:
    app = make_app(server, tmp_path, broken=True)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await refreshed(app, pilot)
        assert screen.query_one(ArticleList).count == 30
        messages = [n.message for n in app._notifications]
        assert any("500" in m for m in messages), messages
        assert "1 failed" in (screen.sub_title or "")


async def test_widths_fold_the_panes(server: FeedServer, tmp_path: Path) -> None:
    app = make_app(server, tmp_path)
    async with app.run_test(size=(130, 36)) as pilot:
        screen = await refreshed(app, pilot)
        related = screen.query_one("#related-pane")
        assert screen.has_class("-wide") and related.display
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert screen.has_class("-medium") and not related.display
        await pilot.press("t")
        await pilot.pause()
        assert related.display
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert screen.has_class("-narrow")
        visible = [
            p
            for p in ("sections", "articles", "reader", "related-pane")
            if screen.query_one(f"#{p}").display
        ]
        assert len(visible) == 1
        await pilot.press("escape")  # back to the articles from the related pane
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one("#reader").display and not screen.query_one("#articles").display
        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one("#articles").display
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert screen.query_one(ArticleList).count == 30


async def test_the_related_sidebar_is_laid_out_for_its_width_when_shown(
    server: FeedServer, tmp_path: Path
) -> None:
    from rich.cells import cell_len

    app = make_app(server, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await refreshed(app, pilot)
        related = screen.query_one("#related", OptionList)
        for _ in range(50):  # ranked off the UI thread, and laid out while hidden
            await pilot.pause(0.05)
            if related.option_count:
                break
        await pilot.press("t")
        await pilot.pause()
        width = related.scrollable_content_region.width - 1
        first_lines = [
            related.get_option_at_index(i).prompt.plain.split("\n")[0]  # type: ignore[union-attr]
            for i in range(related.option_count)
        ]
        assert first_lines and all(cell_len(line) == width for line in first_lines)


async def test_search_opens_a_match(server: FeedServer, tmp_path: Path) -> None:
    app = make_app(server, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await refreshed(app, pilot)
        await pilot.press("slash")
        await pilot.press(*"مراكش")
        await pilot.pause()
        results = app.screen.query_one("#search-results", OptionList)
        assert results.option_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.current is not None and "مراكش" in screen.current.title
        assert app.highlight_terms == ("مراكش",)


async def test_the_search_box_shows_arabic_in_visual_order_with_the_cursor_in_place(
    server: FeedServer, tmp_path: Path
) -> None:
    from tuireader.text import layout_paragraph

    async with searching(server, tmp_path, "قمة (OPEC+) 2025") as (app, pilot, box):
        box._cursor_visible = False
        shown = box.render_line(0).text
        visual = layout_paragraph("قمة (OPEC+) 2025", 200)[0]
        assert shown.rstrip().endswith(visual)  # right-aligned, read right to left
        assert shown.rstrip().startswith(" ") and len(shown.rstrip()) > len(visual)
        await pilot.press(*["left"] * 11)  # onto the "O" of OPEC+ (index 5 of 16)
        box._cursor_visible = True
        strip = box.render_line(0)
        cursor_style = box.get_component_rich_style("input--cursor")
        under_cursor = [
            seg.text
            for seg in strip
            if seg.style and cursor_style.bgcolor and seg.style.bgcolor == cursor_style.bgcolor
        ]
        assert under_cursor == ["O"]
        box.value = "قمة"
        await pilot.pause()
        await pilot.press("down")  # straight onto the first result
        results = app.screen.query_one("#search-results", OptionList)
        assert results.has_focus and results.highlighted == 0


async def test_help_lists_the_keys(server: FeedServer, tmp_path: Path) -> None:
    app = make_app(server, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await refreshed(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        rows = dict((description, keys) for keys, description in app.screen.rows)  # type: ignore[attr-defined]
        for words in ("Star", "Refresh", "Full text", "Search", "Next unread", "Bidi mode"):
            assert words in rows
        assert rows["Star"] == "s" and rows["Search"] == "/"
        # Only tuireader's keys: none of Textual's widget bindings repeating them.
        for textual_only in ("First", "Last", "Page Up", "Scroll Left", "Select"):
            assert textual_only not in rows
        assert "Command palette" in rows
        await pilot.press("escape")


async def test_welcome_adds_a_feed(server: FeedServer, tmp_path: Path) -> None:
    from tuireader.core.config import Config, load_config
    from tuireader.tui.app import AppSettings, TuiReader

    app = TuiReader(
        AppSettings(
            database=tmp_path / "db.sqlite",
            config=Config(),
            config_file=tmp_path / "config.toml",
            language="en",
        )
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*server.url("/en.atom"), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one(ArticleList).count == 1
    assert [f.url for f in load_config(tmp_path / "config.toml").feeds] == [server.url("/en.atom")]
    with Store(tmp_path / "db.sqlite") as store:
        assert store.count(ArticleQuery()) == 1


async def test_the_mouse_works_too(server: FeedServer, tmp_path: Path) -> None:
    app = make_app(server, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await refreshed(app, pilot)
        articles = screen.query_one(ArticleList)
        await pilot.click(ArticleList, offset=(10, 4))  # the border is row 0
        await pilot.pause()
        assert articles.cursor == 3
        assert screen.current is not None and screen.current.id == articles.current.id  # type: ignore[union-attr]
        app.writes_done()  # read and starred are written in the background
        with Store(tmp_path / "tuireader.db") as store:
            assert store.rows_by_id([screen.current.id])[0].read


async def test_the_related_sidebar_opens_an_article(server: FeedServer, tmp_path: Path) -> None:
    app = make_app(server, tmp_path)
    async with app.run_test(size=(130, 36)) as pilot:
        screen = await refreshed(app, pilot)
        await pilot.press("j", "enter")  # an Arabic article about Morocco, like its neighbours
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        related = screen.query_one("#related", OptionList)
        assert related.option_count >= 3
        first = related.get_option_at_index(0)
        assert first.id is not None
        opened_before = screen.current
        related.focus()
        related.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current is not None and opened_before is not None
        assert screen.current.id == int(first.id) != opened_before.id
        assert screen.query_one(ArticleView).has_focus


async def test_the_list_shows_read_and_starred_at_once(server: FeedServer, tmp_path: Path) -> None:
    app = make_app(server, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await refreshed(app, pilot)
        articles = screen.query_one(ArticleList)
        await pilot.press("enter", "s", "escape")
        await pilot.pause()
        row = articles.row(0)
        assert row is not None and row.read and row.starred
        line = articles.render_line(0).text
        assert line.startswith(" ★")  # no unread dot, a star
        await pilot.press("j")
        assert articles.render_line(1).text.startswith("● ")


async def test_n_and_p_go_to_unread_articles(server: FeedServer, tmp_path: Path) -> None:
    app = make_app(server, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await refreshed(app, pilot)
        articles = screen.query_one(ArticleList)
        with Store(tmp_path / "tuireader.db") as store:
            store.set_read([articles.row(i).id for i in (1, 2)])  # type: ignore[union-attr]
        screen.show_query(screen.article_query)
        await pilot.press("enter", "escape")  # read the first one
        await pilot.press("n")
        assert articles.cursor == 3 and screen.current is not None
        assert screen.current.id == articles.row(3).id  # type: ignore[union-attr]
        await pilot.press("p")  # the ones above are all read now
        assert articles.cursor == 3


def test_every_binding_id_can_be_set_in_the_config_and_no_other() -> None:
    import inspect

    from textual.binding import Binding
    from textual.dom import DOMNode

    from tuireader.core.config import KEY_IDS
    from tuireader.tui import app, screens, widgets

    modules = [app, *_submodules(screens), *_submodules(widgets)]
    ids = {
        binding.id
        for module in modules
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, DOMNode) and cls.__module__ == module.__name__
        for binding in cls.BINDINGS
        if isinstance(binding, Binding) and binding.id
    }
    assert ids == KEY_IDS


def _submodules(package):  # type: ignore[no-untyped-def]
    import importlib
    import pkgutil

    return [
        importlib.import_module(f"{package.__name__}.{m.name}")
        for m in pkgutil.iter_modules(package.__path__)
    ]


async def test_an_unknown_theme_is_said_and_one_refresh_reads_as_one(
    server: FeedServer, tmp_path: Path
) -> None:
    from tuireader.core.config import Config, FeedConfig, FetchConfig, UIConfig
    from tuireader.tui.app import AppSettings, TuiReader

    config = Config(
        feeds=(FeedConfig(server.url("/ar.xml")),),
        fetch=FetchConfig(deadline=5, timeout=2),
        ui=UIConfig(theme="no-such-theme"),
    )
    settings = AppSettings(
        database=tmp_path / "tuireader.db", config=config, bidi="app", shape=False, language="en"
    )
    app = TuiReader(settings)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await refreshed(app, pilot)
        told = [str(n.message) for n in app._notifications]
        assert any("There is no theme no-such-theme" in message for message in told)
        assert screen.sub_title.startswith("1 feed refreshed, ")


async def test_help_lists_the_same_keys_in_the_arabic_interface(
    server: FeedServer, tmp_path: Path
) -> None:
    from tuireader.core.config import Config, FeedConfig
    from tuireader.tui.app import AppSettings, TuiReader

    counts = {}
    for language in ("en", "ar"):
        settings = AppSettings(
            database=tmp_path / f"{language}.db",
            config=Config(feeds=(FeedConfig(server.url("/ar.xml")),)),
            bidi="app",
            shape=False,
            language=language,
        )
        app = TuiReader(settings)
        async with app.run_test(size=(120, 36)) as pilot:
            await refreshed(app, pilot)
            await pilot.press("question_mark")
            await pilot.pause()
            rows = app.screen.rows  # type: ignore[attr-defined]
            counts[language] = len(rows)
            if language == "ar":
                descriptions = " ".join(description for _, description in rows)
                assert "Star" not in descriptions and "Command palette" not in descriptions
    assert counts["ar"] == counts["en"] >= 20


def test_the_search_box_knows_what_each_cell_stands_for() -> None:
    from tuireader.tui.widgets.bidi_input import _cursor_cell, visual_chars

    chars, direction = visual_chars("السلام", True)  # a lam-alef is joined into one glyph
    assert direction == "rtl" and len(chars) == 6
    assert [_cursor_cell(chars, position) for position in range(7)] == [5, 4, 3, 2, 2, 1, 0]
    chars, direction = visual_chars("abc عربي", False)
    assert direction == "ltr"
    assert "".join(char for char, _ in chars) == "abc يبرع "
    assert [index for _, index in chars] == [0, 1, 2, 3, 7, 6, 5, 4, 8]


async def test_a_click_in_the_search_box_lands_on_the_letter_clicked(
    server: FeedServer, tmp_path: Path
) -> None:
    async with searching(server, tmp_path, "قمة مراكش") as (_app, pilot, box):
        content, region = box.content_region, box.region
        # Right-aligned: the last cell of the value is its first letter, ق.
        rightmost = content.x - region.x + content.width - 1
        await pilot.click(box, offset=(rightmost, content.y - region.y))
        assert box.cursor_position == 0
        await pilot.click(box, offset=(rightmost - 4, content.y - region.y))  # م of مراكش
        assert box.cursor_position == 4
        await pilot.click(box, offset=(content.x - region.x, content.y - region.y))
        assert box.cursor_position == len("قمة مراكش")  # left of it: its logical end


async def test_a_long_search_keeps_its_view_through_the_cursor_blink(
    server: FeedServer, tmp_path: Path
) -> None:
    query = ("قمة مراكش تبحث تمويل مشاريع الماء " * 3).strip()
    async with searching(server, tmp_path, query, size=(60, 24)) as (_app, pilot, box):
        await pilot.press("home")
        await pilot.pause()
        box._cursor_visible = True
        shown = box.render_line(0).text
        box._cursor_visible = False
        assert box.render_line(0).text == shown
        assert shown.rstrip().endswith("ةمق")  # the start of the text, where the cursor is


async def test_the_related_sidebar_keeps_its_place_through_a_resize(tmp_path: Path) -> None:
    import asyncio

    from tuireader.demo.scenes import NOW, demo_app, go_to, is_arabic_example
    from tuireader.demo.server import build_demo_database

    database = tmp_path / "tuireader.db"
    config = await asyncio.to_thread(build_demo_database, database, NOW)
    app = demo_app(database, config)
    async with app.run_test(size=(130, 36)) as pilot:
        await go_to(is_arabic_example)(pilot)
        related = app.screen.query_one("#related", OptionList)
        for _ in range(50):
            await pilot.pause(0.05)
            if related.option_count > 2:
                break
        related.highlighted = 2
        for size in ((130, 40), (124, 40)):  # taller, then narrower
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert related.highlighted == 2


@pytest.mark.parametrize("language", ["ar", "en"])
async def test_the_related_sidebar_shown_with_t_fills_its_width(
    tmp_path: Path, language: str
) -> None:
    import asyncio

    from rich.cells import cell_len

    from tuireader.demo.scenes import NOW, demo_app
    from tuireader.demo.server import build_demo_database

    database = tmp_path / "tuireader.db"
    config = await asyncio.to_thread(build_demo_database, database, NOW)
    app = demo_app(database, config, language=language)
    async with app.run_test(size=(100, 30)) as pilot:
        related = app.screen.query_one("#related", OptionList)
        for _ in range(50):  # ranked while the sidebar is hidden
            await pilot.pause(0.05)
            if related.option_count:
                break
        await pilot.press("t")
        await pilot.pause(0.3)
        width = related.scrollable_content_region.width - 1
        first = related.get_option_at_index(0).prompt.plain.split("\n")[0]  # type: ignore[union-attr]
        assert width > 20 and cell_len(first) == width
