"""The first run: no feeds yet. Add a feed URL, import an OPML file, or open the demo."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Label

from tuireader.core.config import Config, ConfigError, FeedConfig, add_feeds, load_config
from tuireader.core.opml import OPMLError, read_opml
from tuireader.core.urls import is_feed_url
from tuireader.tui.app import TuiReader
from tuireader.tui.widgets.reader import ArticleView


class WelcomeScreen(Screen[None]):
    """Shown when there is nothing to read yet."""

    BINDINGS = [Binding("ctrl+d", "demo", "Open the demo", id="demo", priority=True)]

    def compose(self) -> ComposeResult:
        app = self.reader_app
        with Vertical(id="welcome-box"):
            yield Label(app.strings("welcome_title"), id="welcome-title", markup=False)
            yield ArticleView(id="welcome-body")
            yield Input(placeholder=app.strings("feed_url"), id="welcome-url")
            yield Label("", id="welcome-error", markup=False)
        yield Footer()

    reader_app = getters.app(TuiReader)

    def on_mount(self) -> None:
        app = self.reader_app
        app.localize(self)
        self.query_one(ArticleView).show(app.painter.message_layout(app.strings("welcome_body")))
        self.query_one(Input).focus()

    @on(Input.Submitted, "#welcome-url")
    def add(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        app = self.reader_app
        error = self.query_one("#welcome-error", Label)
        config_file = app.settings.config_file
        try:
            if value.lower().endswith(".opml") and Path(value).expanduser().is_file():
                feeds = read_opml(Path(value).expanduser().read_bytes()).feeds
            elif is_feed_url(value):
                feeds = [FeedConfig(value)]
            else:
                error.update("Enter an http(s) feed URL or the path of an OPML file.")
                return
            if config_file is not None:
                add_feeds(config_file, feeds)
                config = load_config(config_file)
            else:
                config = Config(feeds=tuple(feeds))
        except (OSError, OPMLError, ConfigError) as exc:
            error.update(str(exc))
            return
        if not config.feeds:
            error.update("No http(s) feeds found there.")
            return
        app.use_config(config)

    def action_demo(self) -> None:
        """Read the bundled demo, served on loopback, in a throwaway database."""
        from tuireader.demo.server import DemoSite

        site = DemoSite().__enter__()
        scratch = Path(tempfile.mkdtemp(prefix="tuireader-demo-"))
        self.reader_app.open_demo(site, scratch)
