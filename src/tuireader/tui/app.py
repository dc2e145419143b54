"""The Textual app: wiring the core and the text engine to the screens."""

from __future__ import annotations

import asyncio
import gc
import importlib
import os
import shutil
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.strip import Strip
from textual.timer import Timer

if TYPE_CHECKING:
    from tuireader.core.refresh import FeedReport
    from tuireader.core.similar import RelatedEntry, TermStats
    from tuireader.demo.server import DemoSite
    from tuireader.tui.screens.main import MainScreen

from tuireader.core.config import Config, ConfigError, set_ui_option
from tuireader.core.models import Article
from tuireader.core.reading import ArticleLayout, meta_line
from tuireader.core.store import ArticleQuery, Store, StoreError
from tuireader.core.terminal import EXPLICIT_MODE, IMPLICIT_MODE, Choice, through_tmux
from tuireader.tui.article_render import TokenStyles
from tuireader.tui.commands import ReaderCommands
from tuireader.tui.i18n import Strings, interface_language, localize_bindings
from tuireader.tui.messages import FeedFailed, RefreshDone, RefreshProgress, WriteDone
from tuireader.tui.textview import TextPainter, reading_strips
from tuireader.tui.themes import ANSI_THEMES, THEMES, theme_colors
from tuireader.tui.widgets.sections import PlaceCounts, count_places


@dataclass(frozen=True, slots=True)
class AppSettings:
    """Everything the app needs to start."""

    database: Path
    config: Config = field(default_factory=Config)
    config_file: Path | None = None  # where feeds added in the app are saved
    bidi: str = "app"  # resolved: app | terminal | off
    shape: bool = False
    language: str = "auto"
    refresh_on_start: bool = True
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))  # for relative times


class TuiReader(App[None]):
    """tuireader's full-screen reader."""

    CSS_PATH = "tuireader.tcss"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    TITLE = "tuireader"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("r", "refresh", "Refresh", id="refresh"),
        Binding("question_mark", "help", "Help", id="help"),
        # In the reading pane b pages up (as in less); B works everywhere.
        Binding("b,B", "cycle_bidi", "Bidi mode", show=False, id="bidi"),
        Binding("c", "calibrate", "Calibrate", show=False, id="calibrate"),
    ]

    def __init__(self, settings: AppSettings) -> None:
        super().__init__()
        self.settings = settings
        self.strings = Strings(interface_language(settings.language))
        self.painter = TextPainter(settings.bidi, settings.shape)
        for theme in THEMES:
            self.register_theme(theme)
        wanted = settings.config.ui.theme
        known = {t.name for t in THEMES} | set(ANSI_THEMES) | set(self.available_themes)
        self.theme = wanted if wanted in known else THEMES[0].name
        self._theme_unknown = wanted if wanted and wanted not in known else None
        self.store = Store(settings.database)
        self.highlight_terms: tuple[str, ...] = ()
        self.term_stats: TermStats | None = None  # made by the first related lookup
        self._demo: tuple[DemoSite, Path] | None = None
        self._next_refresh: Timer | None = None
        # One writer thread: the reader's own changes (read, starred) are applied in order.
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tuireader-write")
        self._writer_store: Store | None = None
        # Whether the terminal is in explicit bidi mode: the CLI switches it on start in app mode.
        self._explicit = settings.bidi == "app"
        self.store.sync_feeds(settings.config.feeds)
        self._reading = bool(settings.config.feeds) or self.store.count() > 0
        # The sections pane's counts, for the first frame, are read in the writer thread while
        # Textual starts (SQLite lets go of the GIL; a cold page cache makes them slow).
        self._first_counts: Future[PlaceCounts] | None = None
        if self._reading:
            self._first_counts = self._writer.submit(lambda: count_places(self._thread_store()))

    def localize(self, root: DOMNode) -> None:
        """Key descriptions of ``root`` and its children in the interface language."""
        for node in (root, *root.query("*")):
            localize_bindings(node, self.strings.language, self.painter.plain)

    def get_default_screen(self) -> Screen[None]:
        """The main screen when there is something to read (the welcome screen is pushed at
        mount otherwise).

        The main screen is the first one rather than pushed at mount: a screen pushed inside
        Textual's start-up batch paints a frame that is thrown away, and what did not change
        after it is then missing from the first frame the terminal gets.
        """
        from tuireader.tui.screens.main import MainScreen

        return MainScreen() if self._reading else Screen(id="_default")

    def on_load(self) -> None:
        # Starting allocates a great deal and frees little: the cyclic garbage collector runs
        # some 85 times before the first frame and finds nothing to free (the start takes
        # about 50 ms less CPU without it at 20,000 articles). It is paused here, before
        # Textual's first stylesheet pass, and resumed once the first screen has been drawn,
        # or when the app ends before that.
        gc.disable()

    def on_mount(self) -> None:
        from tuireader.tui.screens.main import MainScreen

        self.call_after_refresh(gc.enable)
        self.localize(self)
        if self.settings.config.keys:
            self.set_keymap(self.settings.config.keys)
        if self._theme_unknown is not None:
            words = self.strings("unknown_theme", theme=self._theme_unknown, used=self.theme)
            self.tell(words, severity="warning", timeout=8)
        if not isinstance(self.screen, MainScreen):
            from tuireader.tui.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen())
        elif self.settings.refresh_on_start and self.settings.config.feeds:
            self.call_after_refresh(self.run_refresh)  # the cache is painted first

    def use_config(self, config: Config) -> None:
        """Start reading with a new configuration (after the welcome screen added feeds)."""
        from tuireader.tui.screens.main import MainScreen

        self.settings = replace(self.settings, config=config)
        self.store.sync_feeds(config.feeds)
        self._first_counts = None  # counted before these feeds (or this database) were read
        self.switch_screen(MainScreen())
        self.run_refresh()

    def open_demo(self, site: DemoSite, scratch: Path) -> None:
        """Read the demo site in a throwaway data directory (removed on exit)."""
        self._demo = (site, scratch)
        self.store.close()
        self.settings = replace(self.settings, database=scratch / "tuireader.db", config_file=None)
        self.store = Store(self.settings.database)
        self._writer.submit(self._forget_thread_store)  # its next task opens the demo's
        self.use_config(Config(feeds=tuple(site.feeds()), ui=self.settings.config.ui))

    def _switch_terminal_mode(self, mode: str) -> None:
        """Keep a bidi-capable terminal in explicit mode exactly while tuireader reorders, so
        that a mode chosen in the app is not undone by the terminal reordering again."""
        explicit = mode == "app"
        if explicit == self._explicit or self._driver is None or self.is_headless:
            return
        sequence = EXPLICIT_MODE if explicit else IMPLICIT_MODE
        if "TMUX" in os.environ:
            sequence += through_tmux(sequence)
        self._driver.write(sequence)
        self._explicit = explicit

    def write(self, change: Callable[[Store], None], *, then: Callable[[], None]) -> None:
        """Apply ``change`` to the database in the writer thread, after the changes asked
        before it, then call ``then`` on the UI. The UI thread never waits for a write lock."""

        def run() -> None:
            # Messages, not call_from_thread: that would wait for the UI, which waits for this
            # thread when the app closes.
            try:
                change(self._thread_store())
            except StoreError as exc:
                self.post_message(WriteDone(partial(self.tell, str(exc), severity="error")))
            else:
                self.post_message(WriteDone(then))

        self._writer.submit(run)

    def _thread_store(self) -> Store:
        """The writer thread's own connection (only that thread may call this)."""
        if self._writer_store is None:
            self._writer_store = Store(self.settings.database)
        return self._writer_store

    def _forget_thread_store(self) -> None:
        if self._writer_store is not None:
            self._writer_store.close()
            self._writer_store = None

    def first_counts(self) -> PlaceCounts:
        """The sections pane's counts: those begun at start-up the first time, then afresh."""
        started, self._first_counts = self._first_counts, None
        return started.result() if started is not None else count_places(self.store)

    def on_write_done(self, message: WriteDone) -> None:
        message.then()

    def writes_done(self) -> None:
        """Wait until every write asked for so far is in the database (for tests)."""
        self._writer.submit(lambda: None).result()

    def on_unmount(self) -> None:
        gc.enable()
        if self._explicit and self.settings.bidi != "app":
            self._switch_terminal_mode("off")  # the CLI resets only what it set itself
        self._writer.shutdown(wait=True)
        if self._writer_store is not None:
            self._writer_store.close()
        self.store.close()
        if self._demo is not None:
            site, scratch = self._demo
            site.close()
            shutil.rmtree(scratch, ignore_errors=True)

    # --- refresh -------------------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.run_refresh()

    @work(exclusive=True, group="refresh", exit_on_error=False, name="refresh")
    async def run_refresh(self, scheduled: bool = False) -> None:
        """Refresh in the background; progress and errors arrive at the main screen as
        messages. An explicit refresh takes every feed, a scheduled one the feeds due."""

        def post(message: Message) -> None:
            screen = self.main_screen()
            if screen is not None:
                screen.post_message(message)

        def progress(done: int, total: int, feed: FeedReport) -> None:
            post(RefreshProgress(done, total, feed))
            if feed.failed:
                post(FeedFailed(feed))

        # The fetching stack (httpx, the parsers) is imported off the event loop, after the
        # first frame: the reader paints from the cache without waiting for it.
        module = await asyncio.to_thread(importlib.import_module, "tuireader.core.refresh")
        try:
            report = await module.refresh(
                self.settings.database,
                self.settings.config,
                scheduled=scheduled,
                on_progress=progress,
            )
        except StoreError as exc:
            self.tell(str(exc), severity="error", timeout=10)
        else:
            post(RefreshDone(report))
        finally:
            self.schedule_refresh()

    def schedule_refresh(self) -> None:
        """One timer for the next background refresh, counted from the end of the last one."""
        if self._next_refresh is not None:
            self._next_refresh.stop()
        interval = self.settings.config.fetch.refresh_interval * 60
        self._next_refresh = self.set_timer(
            interval, partial(self.run_refresh, scheduled=True), name="next-refresh"
        )

    # --- reading -------------------------------------------------------------------------------

    def article_layout(self, article: Article) -> Callable[[int], list[Strip]]:
        """A function from width to the article's visual lines, prepared once."""
        meta = meta_line(article, self.strings.date(article.published))
        layout = ArticleLayout(
            article,
            bidi=self.painter.bidi,
            shape=self.painter.shape_mode,
            labels=self.strings.reading_labels(),
            meta=meta,
            highlight=self.highlight_terms,
        )

        styles = TokenStyles(theme_colors(self.current_theme))

        def lay_out(width: int) -> list[Strip]:
            return reading_strips(layout.lines(width), styles)

        return lay_out

    def related(self, article_id: int) -> list[RelatedEntry]:
        """The related articles of one article, for a worker thread: it reads through its own
        connection (one per thread; the UI's may be closed under it on quit)."""
        from tuireader.core.similar import TermStats, related_articles

        if self.term_stats is None:
            self.term_stats = TermStats()
        with Store(self.settings.database) as store:
            return related_articles(store, article_id, limit=12, stats=self.term_stats)

    def tell(
        self, message: str, *, severity: SeverityLevel = "information", timeout: float = 5
    ) -> None:
        """A notification, laid out by the text engine in lines that fit a toast, so Textual
        never wraps (and so scrambles) right-to-left text again. Never parsed as markup."""
        width = max(20, min(56, self.size.width // 2 - 4))
        text = "\n".join(line.rstrip() for line in self.painter.lines(message, width))
        self.notify(text, severity=severity, timeout=timeout, markup=False)

    # --- modes ---------------------------------------------------------------------------------

    def action_cycle_bidi(self) -> None:
        """Cycle who reorders right-to-left text: app → terminal → off, live."""
        order = ("app", "terminal", "off")
        self.set_bidi(order[(order.index(self.painter.bidi) + 1) % len(order)])

    def set_bidi(self, mode: str) -> None:
        self.painter.set_modes(mode, self.painter.shape)
        self._switch_terminal_mode(mode)
        self.tell(self.strings("bidi_mode", mode=mode), timeout=3)
        self._relayout_main()

    def main_screen(self) -> MainScreen | None:
        from tuireader.tui.screens.main import MainScreen

        return next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)

    def show_query(self, query: ArticleQuery) -> None:
        """Show the articles of a section or feed (from the command palette)."""
        screen = self.main_screen()
        if screen is not None:
            screen.show_query(query)
            screen.focus_pane("articles")

    def run_screen_action(self, action: str) -> None:
        screen = self.main_screen()
        if screen is not None:
            getattr(screen, f"action_{action}")()

    def action_calibrate(self) -> None:
        from tuireader.tui.screens.calibrate import CalibrationScreen

        # Each sample is shown whole (the end of the sentence is what tells), on one line
        # where the dialog is wide enough. The dialog (84 cells, or the screen) loses 11 to
        # its borders, paddings and the option numbers: lines never wider than what is left.
        width = max(20, min(70, self.size.width - 14))
        self.push_screen(CalibrationScreen(width), self.apply_calibration)

    def apply_calibration(self, choice: Choice | None) -> None:
        """Use the chosen modes now and save them to the config file."""
        if choice is None:
            return
        self.painter.set_modes(choice.bidi, choice.shape)
        self._switch_terminal_mode(choice.bidi)
        message = self.strings("bidi_mode", mode=choice.bidi)
        if self.settings.config_file is not None:
            try:
                set_ui_option(self.settings.config_file, "bidi", choice.bidi)
                set_ui_option(self.settings.config_file, "shape", "on" if choice.shape else "off")
            except ConfigError as exc:
                self.tell(str(exc), severity="error")
            else:
                message += " · " + self.strings("saved", path=self.settings.config_file)
        self.tell(message, timeout=5)
        self._relayout_main()

    def _relayout_main(self) -> None:
        screen = self.main_screen()
        if screen is not None:
            screen.relayout()

    def action_help(self) -> None:
        from tuireader.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())
