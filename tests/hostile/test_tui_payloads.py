"""The real reader with hostile feeds: in a pseudo-terminal, every byte it writes is checked
for the payloads' escape sequences; under Pilot, markup-looking text is shown as written."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, Label

from tests.feedgen import rss
from tests.feedserver import FeedServer, Response
from tests.hostile.payloads import PAYLOADS, forbidden_in, hostile_atom, hostile_json, hostile_rss
from tests.terminal import plain_terminal
from tests.tui.conftest import reader_app
from tuireader.core.config import FeedConfig, add_feeds
from tuireader.core.store import ArticleQuery, Store
from tuireader.tui.app import AppSettings, TuiReader
from tuireader.tui.screens.main import MainScreen
from tuireader.tui.widgets.article_list import ArticleList
from tuireader.tui.widgets.reader import ArticleView

PATHS = ("/hostile.rss", "/hostile.atom", "/hostile.json", "/good.xml")
CTRL_Q = b"\x11"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        s.routes["/hostile.rss"] = Response(body=hostile_rss())
        s.routes["/hostile.atom"] = Response(body=hostile_atom())
        s.routes["/hostile.json"] = Response(body=hostile_json())
        s.routes["/good.xml"] = Response(body=rss(range(1, 4), title="Good feed"))
        yield s


# --- a real terminal ---------------------------------------------------------------------------


class PtySession:
    """tuireader running in a pseudo-terminal; everything it writes is kept in ``output``."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.output = b""
        self.status: int | None = None
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become tuireader
            os.execvpe(sys.executable, [sys.executable, "-m", "tuireader", *args], env)

    def read_for(self, seconds: float) -> None:
        """Collect output for ``seconds`` (or until the app exits)."""
        end = time.monotonic() + seconds
        while self.status is None and time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    self._reap()
                    return
                self.output += chunk

    def wait_for(self, needle: bytes, timeout: float) -> bool:
        """Read until ``needle`` has been written; False on timeout."""
        end = time.monotonic() + timeout
        while needle not in self.output and time.monotonic() < end and self.status is None:
            self.read_for(0.1)
        return needle in self.output

    def press(self, *keys: bytes, pause: float = 0.25) -> None:
        for key in keys:
            os.write(self.fd, key)
            self.read_for(pause)

    def finish(self, timeout: float) -> int | None:
        """Wait for the exit; kill after ``timeout``. The exit status, None when killed."""
        self.read_for(timeout)
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)
        return self.status

    def _reap(self) -> None:
        _, status = os.waitpid(self.pid, 0)
        self.status = os.waitstatus_to_exitcode(status)


@pytest.fixture
def env() -> dict[str, str]:
    return plain_terminal(120, 36)


def test_hostile_feeds_in_a_real_terminal(
    server: FeedServer, tmp_path: Path, env: dict[str, str]
) -> None:
    config = tmp_path / "config.toml"
    add_feeds(config, [FeedConfig(server.url(p)) for p in PATHS])
    session = PtySession(
        ["--config", str(config), "--data-dir", str(tmp_path / "data"), "--bidi", "app"], env
    )
    try:
        assert session.wait_for(b"HX", timeout=30), session.output[-2000:]
        session.read_for(1.5)  # the refresh ends and the list repaints
        session.press(b"j", b"j", b"j", b"\r", b"j", b"j", b" ")  # open an article, scroll
        session.press(b"\t", b"G", b"\r", b"\x1b")  # another pane, the last article
        session.press(b"/", *[bytes([c]) for c in b"HXMC"], b"\r", pause=0.1)
        session.press(b"\x1b", b"?", b"\x1b", b"b", b"b", b"b", b"g", b"\r", b"t")
        session.press(*(b"j\r" for _ in range(6)), pause=0.3)
    finally:
        session.press(CTRL_Q, pause=0.1)
        status = session.finish(timeout=15)
    assert status == 0, session.output[-3000:]
    found = forbidden_in(session.output)
    assert not found, found
    # The app did draw hostile titles (their markers got through, without the escapes).
    seen = [p.id for p in PAYLOADS if p.marker.encode() in session.output]
    assert len(seen) >= 8, seen
    with Store(tmp_path / "data" / "tuireader.db") as store:
        assert store.integrity_ok()
        assert store.count() == 63
        assert store.count(ArticleQuery(unread=True)) < 63  # the articles opened were marked


# --- Pilot: what the screen shows --------------------------------------------------------------


def make_app(server: FeedServer, tmp_path: Path) -> TuiReader:
    return reader_app([server.url(p) for p in PATHS], tmp_path)


async def test_markup_titles_are_shown_literally_and_do_nothing(
    server: FeedServer, tmp_path: Path
) -> None:
    app = make_app(server, tmp_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        articles = screen.query_one(ArticleList)
        assert articles.count == 63
        source = articles._source
        assert source is not None
        rows = [source.row(i) for i in range(articles.count)]
        titles = [row.title for row in rows if row is not None]
        assert len(titles) == 63
        for payload in PAYLOADS:
            if payload.literal is None:
                continue
            indexes = [
                i for i, t in enumerate(titles) if t == f"{payload.marker} {payload.literal}"
            ]
            assert len(indexes) == 3, (payload.id, titles)
            articles.cursor = indexes[0]
            await pilot.pause()
            shot = app.export_screenshot()
            assert _in_svg(payload.literal, shot), payload.id
            await pilot.press("enter")
            await pilot.pause()
            view = screen.query_one(ArticleView)
            assert str(payload.literal) in view.text, payload.id
            await pilot.press("escape")
            articles.focus()
        # Click all along the visible "[@click=app.quit]" titles: had it been read as markup,
        # a click on it would quit.
        articles.cursor = 0
        await pilot.pause()
        visible = [i for i in range(min(articles.size.height, 36)) if titles[i].startswith("HXMC")]
        assert visible
        for y in visible:
            for x in range(2, min(articles.size.width, 80), 12):
                await pilot.click(ArticleList, offset=(x, y))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        for index in range(articles.count):
            assert "\x1b" not in titles[index] and "\x9b" not in titles[index]


def _in_svg(text: str, svg: str) -> bool:
    """Whether ``text`` is in an SVG screenshot, which escapes XML and uses &#160; for spaces."""
    from xml.sax.saxutils import escape

    return escape(text).replace(" ", "&#160;") in svg


async def test_welcome_screen_accepts_only_http_feed_urls(tmp_path: Path) -> None:
    config_file = tmp_path / "config.toml"
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline text="a" xmlUrl="exec:touch /tmp/HXPWN"/>'
        '<outline text="b" xmlUrl="file:///etc/passwd"/></body></opml>',
        encoding="utf-8",
    )
    settings = AppSettings(
        database=tmp_path / "tuireader.db", config_file=config_file, language="en"
    )
    app = TuiReader(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for typed in ("file:///etc/passwd", "exec:rm -rf ~", "javascript:alert(1)", str(opml)):
            field = app.screen.query_one("#welcome-url", Input)
            field.value = typed
            await pilot.press("enter")
            await pilot.pause()
            error = app.screen.query_one("#welcome-error", Label)
            assert "http" in str(error.render()), typed
            assert not isinstance(app.screen, MainScreen)
    assert_no_feed_saved(config_file)


def assert_no_feed_saved(config_file: Path) -> None:
    assert not config_file.exists() or "[[feed]]" not in config_file.read_text(encoding="utf-8")
    assert not Path("/tmp/HXPWN").exists()
