"""The reader's first frame and keystroke latency on a cache of 20,000 articles, beside newsboat.

Run from the repository root:

    python3 bench/startup.py [--feeds 100] [--items 200] [--repeat 5] [--keys 200]
                             [--pty-keys 40] [--rebuild] [--profile]

The cache (bench/_startup_cache.py): N generated Arabic feeds of M items (bench/_feeds.py)
are served on loopback once, and both tools fill their own cache through their real path
(``tuireader refresh``, ``newsboat -x reload``). It is kept in the temp dir, keyed by size and
seed, for later runs; ``--rebuild`` builds it again. Every run below works on a fresh copy of
tuireader's database, so no run sees what an earlier one wrote.

Measured, medians (and 95th percentiles) of R runs after one untimed warm-up run:

- first frame, process: ``python -m tuireader --config C --data-dir D --bidi app --shape on``
  in a pseudo-terminal of 120x36 (TERM=xterm-256color) that answers Textual's query for
  synchronized output as kitty, foot or WezTerm do. The clock runs from the fork to the
  arrival of the end of the first frame that shows the list: at least five unread marks
  (``●``, drawn only by article rows) and the "All" count (the number of articles), and the
  frame's synchronized-update end. Two configurations: "offline", the N feeds subscribed but
  nothing listening on their port any more (the reader starts its refresh at mount and it
  fails behind the first frame), and "cache only", no feeds in the configuration (no
  refresh). Also the end of the first frame of the whole screen: the list and the count,
  and the related sidebar's title and the footer's keys; and of the first frame with the
  article under the cursor in the reading pane (drawn in the frames right after the first).
  Phases seen from the terminal: the CLI's explicit-bidi-mode sequence (written just before
  ``App.run()``), the driver's switch to the alternate screen, the frame; and the CPU time
  the reader had used by its first frame (``/proc``, all threads). tuireader's modules are
  byte-compiled before each round, as an installed package is: none of the runs measures
  Python compiling the sources.
- keystrokes, process: in the cache-only reader, ``j`` (then as many ``k``) typed once the
  reader is idle (no output, CPU time no longer advancing), timed to the end of the next
  frame; then ``j`` held down (a keystroke every 40 ms, or as soon as the last frame came).
- first paint, in process: a child that imports the reader, builds ``TuiReader`` and runs it
  headless (``App.run_test``); imports, construction, and construction to the first
  ``ArticleList.render_line`` that returns a row, cache only and offline.
- keystrokes, in process: K presses of ``j`` then K of ``k``, timed from the key event to the
  end of the next compositor pass (``App._display``, reached headless too) with the app idle
  before each; and ``await pilot.press(key)`` + ``await pilot.pause()``, which also wait for
  the whole process to go idle in 20 ms sleeps (the related-articles thread included): an
  unbound key shows that floor. The parts of a keystroke: ``render_line`` for every visible
  row after a cursor move (cached rows) and for a page never shown (every row laid out), a
  page of rows from SQLite at the top and the bottom of the list, ``MainScreen.show_article``
  (read, lay out, start the related thread), the related articles of one article, and the
  document frequencies read once per session.
- newsboat: ``newsboat -u urls -c cache.db -C config -x print-unread`` (it loads the whole
  cache before printing the count), wall and CPU time (``os.wait4``).

Targets: first frame at most 0.6 s and at most a fifth of newsboat's load (also shown in CPU
time, which the load of a shared machine disturbs less); a keystroke handled within one frame
(16 ms median, typed in the terminal). ``--profile`` (also run when a target is missed)
prints the slowest imports (``-X importtime``) and a cProfile of the in-process start.
The exit status is 1 when a check failed: a run without its frame, a crash or error exit of
the reader, a cursor not where the keys put it, newsboat not counting every article.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import cProfile
import errno
import fcntl
import json
import os
import pstats
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _startup_cache import REPOSITORY, StartupCache, ensure_cache, isolated_env, tuireader_env

COLUMNS, ROWS = 120, 36
FIRST_FRAME_TARGET = 0.6  # seconds
NEWSBOAT_RATIO_TARGET = 1 / 5
KEY_TARGET_MS = 16.0
FIRST_FRAME_TIMEOUT = 30.0
RUN_TIMEOUT = 120.0
QUIET = 0.25  # seconds without output that count as "the screen has settled"
SETTLE_LIMIT = 5.0
KEY_REPEAT = 0.04  # seconds between the keystrokes of a held key (25 per second)

UNREAD_MARK = "●".encode()  # drawn only by ArticleList rows
MIN_ROWS_SHOWN = 5
# The rest of the screen at 120 columns in English: the related sidebar's title and a key of
# the footer. A frame can show the list before them (Textual fills some widgets a frame late).
WHOLE_SCREEN = (b"Related", b"Quit")
# The article under the cursor, which the reader draws in the frame after the first: its
# links are OSC 8 hyperlinks (every generated article has one), drawn by nothing else.
ARTICLE_SHOWN = b"\x1b]8;id="
SYNC_QUERY = b"\x1b[?2026$p"  # DECRQM: does the terminal support synchronized output?
SYNC_REPLY = b"\x1b[?2026;2$y"  # DECRPM: supported, currently reset
SYNC_BEGIN = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"
# Milestones of a start, seen from the terminal: the CLI writes the explicit bidi mode just
# before ``App.run()`` (so the reader is built), Textual's driver switches to the alternate
# screen once the app's message loop runs.
APP_RUN = b"\x1b[8l"  # tuireader.core.terminal.EXPLICIT_MODE
DRIVER_START = b"\x1b[?1049h"
MILESTONES = (APP_RUN, DRIVER_START)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile (nearest rank) of ``values``."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


# --- a pseudo-terminal for the reader ----------------------------------------------------------


class PtyTerminal:
    """A child process on a pseudo-terminal of a fixed size; output chunks arrive timestamped.

    It answers Textual's query for synchronized output (mode 2026) as kitty, foot, WezTerm or
    iTerm2 do, so that every frame is framed by a begin and an end sequence.
    """

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal, then become the command
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
                os.execvpe(command[0], command, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.output = bytearray()
        self.closed = False
        self.seen: dict[bytes, float] = {}  # milestone -> seconds after the fork
        self._tail = b""

    def read(self, timeout: float) -> tuple[float, bytes] | None:
        """The next chunk and the moment it arrived; b"" on timeout, None once the child is gone."""
        if self.closed:
            return None
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0.0))
        if not ready:
            return time.perf_counter(), b""
        try:
            chunk = os.read(self.fd, 65536)
        except OSError as exc:  # EIO: the child closed its side
            if exc.errno != errno.EIO:
                raise
            chunk = b""
        arrived = time.perf_counter()
        if not chunk:
            self.closed = True
            return None
        self.output += chunk
        recent = self._tail + chunk
        if SYNC_QUERY in recent:
            os.write(self.fd, SYNC_REPLY)
        for milestone in MILESTONES:
            if milestone not in self.seen and milestone in recent:
                self.seen[milestone] = arrived - self.started
        self._tail = chunk[-16:]
        return arrived, chunk

    def cpu_seconds(self) -> float | None:
        """CPU time (user + system, all threads) the child has used so far, from /proc."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        # Fields 14 and 15 of proc(5) (utime, stime), counted after the command name.
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def write(self, data: bytes) -> float:
        """Send ``data`` as typed input; the moment it was sent."""
        os.write(self.fd, data)
        return time.perf_counter()

    def settle(self, quiet: float = QUIET, limit: float = SETTLE_LIMIT) -> bool:
        """Read until nothing arrives for ``quiet`` seconds (False if ``limit`` passes first)."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            got = self.read(quiet)
            if got is None:
                return False
            if not got[1]:
                return True
        return False

    def close(self) -> int:
        """Quit the reader with ``q`` (killing it if it does not go), and its exit code."""
        deadline = time.perf_counter() + 10.0
        if not self.closed:
            with suppress(OSError):
                self.write(b"q")
        while not self.closed and time.perf_counter() < deadline:
            self.read(0.2)
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        while pid == 0 and time.perf_counter() < deadline:
            time.sleep(0.05)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        if pid == 0:  # the child is still ours (not reaped), so its pid is too
            os.kill(self.pid, signal.SIGKILL)
            _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)


class FirstFrame:
    """Watches the output for the first complete frame that shows the article list (and,
    with ``also``, those texts as well)."""

    def __init__(self, count_text: bytes, also: tuple[bytes, ...] = ()) -> None:
        self._needed = (count_text, *also)
        self.shown = False

    def complete(self, output: bytes | bytearray) -> bool:
        """Whether ``output`` (all of it so far) holds that frame, ended."""
        if not self.shown:
            self.shown = output.count(UNREAD_MARK) >= MIN_ROWS_SHOWN and all(
                text in output for text in self._needed
            )
            if not self.shown:
                return False
        return output.rfind(SYNC_BEGIN) <= output.rfind(SYNC_END)


@dataclass(frozen=True, slots=True)
class FrameTimes:
    """Seconds from the fork to the end of the first frame with the list, to the end of the
    first frame of the whole screen and to that of the first frame with the article under
    the cursor, and the CPU seconds used by the first; None for what did not come in time."""

    first: float | None
    whole: float | None
    article: float | None
    first_cpu: float | None


def wait_first_frame(terminal: PtyTerminal, count_text: bytes) -> FrameTimes:
    """Read the reader's output until the whole screen has been drawn (or time is up)."""
    first, whole = FirstFrame(count_text), FirstFrame(count_text, WHOLE_SCREEN)
    article = FirstFrame(count_text, (ARTICLE_SHOWN,))
    seen: dict[FirstFrame, float] = {}
    cpu: float | None = None
    deadline = terminal.started + FIRST_FRAME_TIMEOUT
    while time.perf_counter() < deadline and len(seen) < 3:
        got = terminal.read(deadline - time.perf_counter())
        if got is None:
            break
        arrived, chunk = got
        if not chunk:
            continue
        for frame in (first, whole, article):
            if frame not in seen and frame.complete(terminal.output):
                seen[frame] = arrived - terminal.started
                if frame is first:
                    cpu = terminal.cpu_seconds()
    return FrameTimes(seen.get(first), seen.get(whole), seen.get(article), cpu)


def settle_idle(terminal: PtyTerminal, limit: float = SETTLE_LIMIT) -> None:
    """Wait until the reader is idle: no output, and its CPU time has stopped advancing (the
    related-articles thread works silently before it paints)."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        terminal.settle(quiet=0.1, limit=max(deadline - time.perf_counter(), 0.0))
        before = terminal.cpu_seconds()
        got = terminal.read(0.2)
        after = terminal.cpu_seconds()
        if got is None or before is None or after is None:
            return
        if not got[1] and after - before < 0.015:
            return


def key_latency(terminal: PtyTerminal, key: bytes, timeout: float = 2.0) -> float | None:
    """Milliseconds from typing ``key`` to the end of the next frame; None if none came."""
    start = len(terminal.output)
    sent = terminal.write(key)
    deadline = sent + timeout
    while time.perf_counter() < deadline:
        got = terminal.read(deadline - time.perf_counter())
        if got is None:
            return None
        arrived, chunk = got
        if chunk and SYNC_END in terminal.output[max(start - len(SYNC_END), 0) :]:
            return (arrived - sent) * 1000
    return None


def type_keys(terminal: PtyTerminal, keys: int, *, held: bool) -> tuple[list[float], str | None]:
    """Latencies of ``keys`` keystrokes: j then k, each typed once the reader is idle; or, when
    ``held``, j repeated as a held key does (every 40 ms, or as soon as the last frame came)."""
    latencies: list[float] = []
    for number in range(keys):
        if held:
            key = b"j"
        else:
            settle_idle(terminal)
            key = b"j" if number < keys // 2 else b"k"
        sent = time.perf_counter()
        latency = key_latency(terminal, key)
        if latency is None:
            return latencies, "a keystroke got no frame within 2 s"
        latencies.append(latency)
        while held and time.perf_counter() < sent + KEY_REPEAT:
            terminal.read(sent + KEY_REPEAT - time.perf_counter())
    return latencies, None


# --- runs of the reader as a process -----------------------------------------------------------


@dataclass(slots=True)
class ProcessRun:
    """One start of the reader in a pseudo-terminal."""

    first_frame: float | None
    whole_screen: float | None = None  # seconds to the first frame of the whole screen
    article: float | None = None  # seconds to the first frame with the article in its pane
    app_run: float | None = None  # seconds to App.run() (imports, CLI, TuiReader built)
    driver_start: float | None = None  # seconds to Textual's driver taking the screen
    first_frame_cpu: float | None = None  # CPU seconds the reader had used by its first frame
    key_ms: list[float] = field(default_factory=list)  # j and k, each typed when idle
    held_ms: list[float] = field(default_factory=list)  # j held down (auto-repeat)
    exit_code: int = 0
    problems: list[str] = field(default_factory=list)


@contextmanager
def fresh_copy(cache: StartupCache, scratch: Path, feeds: bool) -> Iterator[tuple[Path, Path]]:
    """(config file, data dir) over a copy of tuireader's cache, removed afterwards."""
    directory = Path(tempfile.mkdtemp(prefix="run-", dir=scratch))
    try:
        data = directory / "data"
        data.mkdir()
        shutil.copy2(cache.tuireader_database, data / cache.tuireader_database.name)
        config = directory / "config.toml"
        subscriptions = cache.tuireader_config.read_text(encoding="utf-8") if feeds else ""
        config.write_text('[ui]\nlanguage = "en"\n\n' + subscriptions, encoding="utf-8")
        yield config, data
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def reader_command(config: Path, data: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "tuireader",
        "--config",
        str(config),
        "--data-dir",
        str(data),
        "--bidi",
        "app",
        "--shape",
        "on",
    ]


def terminal_env(cache: StartupCache) -> dict[str, str]:
    env = tuireader_env(cache.home, TERM="xterm-256color", LANG="C.UTF-8")
    for name in ("TERM_PROGRAM", "COLORTERM", "NO_COLOR", "TUIREADER_BIDI", "TUIREADER_SHAPE"):
        env.pop(name, None)
    for name in [name for name in env if name.startswith("TEXTUAL")]:
        env.pop(name)
    return env


def run_reader(cache: StartupCache, scratch: Path, *, feeds: bool, keys: int) -> ProcessRun:
    """Start the reader, time its first frame, then ``keys`` keystrokes (j, then k), and quit."""
    with fresh_copy(cache, scratch, feeds) as (config, data):
        terminal = PtyTerminal(reader_command(config, data), terminal_env(cache))
        times = wait_first_frame(terminal, str(cache.articles).encode())
        run = ProcessRun(times.first, times.whole, times.article, first_frame_cpu=times.first_cpu)
        run.app_run, run.driver_start = (terminal.seen.get(m) for m in MILESTONES)
        if run.first_frame is None or run.whole_screen is None:
            tail = bytes(terminal.output[-300:]).decode(errors="replace")
            what = "the list" if run.first_frame is None else "the whole screen"
            run.problems.append(
                f"no frame with {what} within {FIRST_FRAME_TIMEOUT:.0f} s: {tail!r}"
            )
        else:
            if run.article is None:
                run.problems.append("the article under the cursor never reached its pane")
            run.key_ms, problem = type_keys(terminal, keys, held=False)
            if problem is None:
                settle_idle(terminal)
                run.held_ms, problem = type_keys(terminal, keys, held=True)
            run.problems += [problem] if problem else []
        settle_idle(terminal)  # quit once idle, as a person would (quitting busy can crash)
        run.exit_code = terminal.close()
        if run.exit_code != 0:
            run.problems.append(f"the reader exited with status {run.exit_code}")
        return run


# --- in process: first paint and Pilot keystrokes (a child role) -------------------------------


def child_app(config_file: Path, data: Path, keys: int, profile: bool) -> None:
    """Time imports, construction and first paint headless, then ``keys`` j and k presses;
    print the figures as one JSON line."""
    started = time.perf_counter()
    import tuireader.cli  # noqa: F401 - what the command imports before the app
    from tuireader.core.config import load_config
    from tuireader.tui.app import AppSettings, TuiReader
    from tuireader.tui.screens import main as main_screen
    from tuireader.tui.widgets.article_list import ArticleList

    imported = time.perf_counter()
    painted: list[float] = []
    render_line = ArticleList.render_line

    def timed_render_line(widget: ArticleList, y: int) -> Any:
        strip = render_line(widget, y)
        if not painted and widget.count:
            painted.append(time.perf_counter())
        return strip

    setattr(ArticleList, "render_line", timed_render_line)  # noqa: B010 - a method, on purpose
    profiler = cProfile.Profile() if profile else None  # imports: see print_import_times
    if profiler is not None:
        profiler.enable()
    config = load_config(config_file)
    settings = AppSettings(
        database=data / "tuireader.db",
        config=config,
        bidi="app",
        shape=True,
        language="en",
        refresh_on_start=bool(config.feeds),  # subscribed feeds: a refresh that fails behind
    )
    app = TuiReader(settings)
    constructed = time.perf_counter()
    figures: dict[str, Any] = {}

    async def drive() -> None:
        async with app.run_test(size=(COLUMNS, ROWS)) as pilot:
            await pilot.pause()
            if profiler is not None:
                profiler.disable()
            if not painted:
                raise RuntimeError("the article list painted no row")
            setattr(ArticleList, "render_line", render_line)  # noqa: B010
            if keys:
                screen = app.screen
                assert isinstance(screen, main_screen.MainScreen)
                figures.update(await press_keys(app, pilot, screen.query_one(ArticleList), keys))
                figures.update(await widget_parts(app, screen, screen.query_one(ArticleList)))
                await pilot.pause()
            # Quitting while the related-articles thread reads the store can crash the process
            # (the store is closed under it), so the figures wait for it; see the report.
            await workers_done(app)

    asyncio.run(drive())
    figures.update(
        imports=imported - started,
        construct=constructed - imported,
        first_paint=painted[0] - constructed,
    )
    if profiler is not None:
        profiler.dump_stats(str(data / "first-paint.prof"))
    print(json.dumps(figures))


async def press_keys(app: Any, pilot: Any, articles: Any, keys: int) -> dict[str, Any]:
    """``keys`` presses of j then of k, each timed two ways, with the cursor checked:

    - from the key event to the end of the next compositor pass (``App._display``, called
      headless too, before the driver would write), with the app idle before each key;
    - ``await pilot.press(key)`` + ``await pilot.pause()``, which also wait for the process to
      go idle (Textual's ``wait_for_idle``: sleeps of 20 ms until CPU time stops advancing, so
      it includes the related-articles thread); an unbound key gives that harness's floor.
    """
    from textual import events

    displayed = asyncio.Event()
    moments: list[float] = []
    display = app._display

    def recording_display(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None:
            moments.append(time.perf_counter())
            displayed.set()

    app._display = recording_display
    to_frame: list[float] = []
    problems: list[str] = []
    for key, expected in (("j", keys), ("k", 0)):
        for _ in range(keys):
            await workers_done(app)
            await pilot.pause()
            displayed.clear()
            event = events.Key(key, key)
            event.set_sender(app)
            sent = time.perf_counter()
            app._driver.send_message(event)
            try:
                await asyncio.wait_for(displayed.wait(), 2.0)
            except TimeoutError:
                problems.append(f"no frame within 2 s of {key}")
                break
            to_frame.append((moments[-1] - sent) * 1000)
        if articles.cursor != expected:
            problems.append(f"cursor at {articles.cursor} after the {key}s, expected {expected}")
    app._display = display

    pilot_ms: dict[str, list[float]] = {"j": [], "k": [], "x": []}
    for key, count in (("j", keys), ("k", keys), ("x", min(keys, 50))):
        for _ in range(count):
            started = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            pilot_ms[key].append((time.perf_counter() - started) * 1000)
    if articles.cursor != 0:
        problems.append(f"cursor at {articles.cursor} after Pilot's j and k, expected 0")
    return {
        "key_to_frame_ms": to_frame,
        "press_ms": pilot_ms["j"] + pilot_ms["k"],
        "press_unbound_ms": pilot_ms["x"],
        "key_problems": problems,
    }


async def workers_done(app: Any, attempts: int = 50) -> None:
    """Wait for the app's workers; one cancelled meanwhile (an exclusive worker replaced by a
    newer one, as the related-articles lookup is) is not a failure, the newer one is awaited."""
    from textual.worker import WorkerCancelled

    for _ in range(attempts):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            await asyncio.sleep(0.01)
        else:
            return
    raise RuntimeError("the workers never settled")


def _timed_ms(action: Callable[..., object], *args: Any) -> float:
    started = time.perf_counter()
    action(*args)
    return (time.perf_counter() - started) * 1000


async def widget_parts(app: Any, screen: Any, articles: Any) -> dict[str, Any]:
    """Where a keystroke's time goes: painting rows, reading pages, showing the article."""
    from tuireader.core.similar import TermStats
    from tuireader.core.store import ArticleQuery

    await workers_done(app)
    height = articles.scrollable_content_region.height
    width = articles.scrollable_content_region.width

    def screenful() -> None:
        for y in range(height):
            articles.render_line(y)

    articles.scroll_to(y=0, animate=False, immediate=True)
    screenful()
    warm = []
    for step in range(100):  # move the cursor within the screen, as j and k do
        articles.set_reactive(type(articles).cursor, 1 + step % max(height - 1, 1))
        warm.append(_timed_ms(screenful))

    def paint(rows: list[Any]) -> None:
        for row in rows:
            articles._paint_row(row, width, False)

    # A page never shown: every row is read and laid out (titles included) for the first time.
    cold = []
    for page in range(20):
        offset = 1000 + page * height
        rows = [articles._source.row(offset + y) for y in range(height)]  # fetched, not timed
        cold.append(_timed_ms(paint, [row for row in rows if row is not None]))
    store = app.store
    top = [_timed_ms(lambda: store.articles(ArticleQuery(), limit=200)) for _ in range(20)]
    last = max(articles.count - 200, 0)
    bottom = [
        _timed_ms(lambda: store.articles(ArticleQuery(), limit=200, offset=last)) for _ in range(20)
    ]
    rows = store.articles(ArticleQuery(), limit=60, offset=5000)
    term_stats = [_timed_ms(lambda: TermStats().refresh(store)) for _ in range(3)]
    related = [_timed_ms(app.related, row.id) for row in rows[:20]]
    show = [_timed_ms(screen.show_article, row) for row in rows]
    return {
        "rows_on_screen": height,
        "render_warm_ms": warm,
        "render_cold_ms": cold,
        "page_top_ms": top,
        "page_bottom_ms": bottom,
        "show_article_ms": show,
        "related_ms": related,
        "term_stats_ms": term_stats,
    }


def run_child_app(
    cache: StartupCache, scratch: Path, *, keys: int, feeds: bool = False, profile: bool = False
) -> dict[str, Any]:
    """The in-process figures, from a fresh interpreter on a fresh copy of the cache; with
    ``feeds``, the feeds are subscribed (and unreachable) and the reader refreshes at start."""
    with fresh_copy(cache, scratch, feeds=feeds) as (config, data):
        command = [sys.executable, str(Path(__file__).resolve()), "--child-app"]
        command += [str(config), str(data), str(keys)] + (["--profile"] if profile else [])
        result = subprocess.run(
            command,
            env=tuireader_env(cache.home, LANG="C.UTF-8"),
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT * 5,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"the in-process child failed ({result.returncode}): {result.stderr[-2000:]}"
            )
        figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
        if profile:
            print_profile(data / "first-paint.prof", "offline" if feeds else "cache only")
        return figures


# --- newsboat ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewsboatRun:
    """One ``newsboat -x print-unread``: wall and CPU seconds, and what went wrong."""

    seconds: float
    cpu: float
    problem: str | None


def newsboat_load(cache: StartupCache, executable: str) -> NewsboatRun:
    """``newsboat -x print-unread`` on its cache (it loads every article to count them)."""
    command = [executable, "-u", str(cache.newsboat_urls), "-c", str(cache.newsboat_cache)]
    command += ["-C", str(cache.newsboat_config), "-x", "print-unread"]
    with tempfile.TemporaryFile() as sink:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, env=isolated_env(cache.home), stdin=subprocess.DEVNULL, stdout=sink
        )
        _, status, usage = os.wait4(process.pid, 0)  # not reaped before: the pid stays ours
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        sink.seek(0)
        printed = sink.read().decode(errors="replace").strip()
    problem = None
    if process.returncode != 0 or f"{cache.articles} unread articles" not in printed:
        problem = f"newsboat: exit {process.returncode}, printed {printed[-200:]!r}"
    return NewsboatRun(seconds, usage.ru_utime + usage.ru_stime, problem)


def python_start(repeat: int) -> float:
    """Median seconds for this interpreter to start and exit doing nothing (a floor)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - started)
    return median(times)


# --- profiles ----------------------------------------------------------------------------------


def print_import_times(cache: StartupCache, top: int = 14) -> None:
    """The slowest top-level imports of the reader (``python -X importtime``)."""
    code = "import tuireader.cli, tuireader.tui.app, tuireader.tui.screens.main"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        env=tuireader_env(cache.home),
        capture_output=True,
        text=True,
        check=False,
    )
    rows: list[tuple[int, str]] = []
    for line in result.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2].rstrip()
        depth = (len(name) - len(name.lstrip())) // 2
        if depth <= 1:  # what the code imports directly, and its first level
            rows.append((int(parts[1]), name.strip() if depth == 0 else "  " + name.strip()))
    total = sum(us for us, name in rows if not name.startswith(" "))
    print(f"\nimports of the reader: {total / 1e6:.2f} s in all; slowest (cumulative, s):")
    for us, name in sorted(rows, reverse=True)[:top]:
        print(f"  {us / 1e6:7.3f}  {name}")


def print_profile(path: Path, label: str) -> None:
    """The in-process start after the imports, main thread, by cumulative then own time."""
    stats = pstats.Stats(str(path))
    print(f"\ncProfile of the in-process start, {label}: TuiReader() until idle, main thread")
    print("tuireader's own functions, by cumulative time:")
    stats.sort_stats("cumulative").print_stats("tuireader/", 15)
    print("everything, by own time:")
    stats.sort_stats("tottime").print_stats(12)


# --- the report --------------------------------------------------------------------------------


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def _line(label: str, values: list[float], unit: str) -> None:
    """One row of the table: median and 95th percentile of ``values``."""
    if not values:
        print(f"{label:<64}{'n/a':>11}")
        return
    digits = 3 if unit == "s" else 1
    mid, high = (
        f"{median(values):.{digits}f} {unit}",
        f"{percentile(values, 0.95):.{digits}f} {unit}",
    )
    print(f"{label:<64}{mid:>11}{high:>11}")


@dataclass(slots=True)
class Results:
    """Every figure of a benchmark run."""

    offline: list[ProcessRun] = field(default_factory=list)
    cache_only: list[ProcessRun] = field(default_factory=list)
    headless: list[dict[str, Any]] = field(default_factory=list)
    headless_refresh: list[dict[str, Any]] = field(default_factory=list)
    newsboat: list[NewsboatRun] = field(default_factory=list)
    keys: dict[str, Any] = field(default_factory=dict)
    python_floor: float = float("nan")


def frames(runs: list[ProcessRun]) -> list[float]:
    return [run.first_frame for run in runs if run.first_frame is not None]


def cpu(runs: list[ProcessRun]) -> list[float]:
    return [run.first_frame_cpu for run in runs if run.first_frame_cpu is not None]


def print_start(results: Results) -> None:
    """The rows about the first frame, with the phases of a start."""
    _line("first frame, process, offline (its refresh fails behind)", frames(results.offline), "s")
    _line("first frame, process, cache only (no refresh)", frames(results.cache_only), "s")
    _line(
        "  the whole screen (sidebar title, footer keys too), cache only",
        [run.whole_screen for run in results.cache_only if run.whole_screen is not None],
        "s",
    )
    _line(
        "  the article under the cursor too (drawn a frame later), cache only",
        [run.article for run in results.cache_only if run.article is not None],
        "s",
    )
    runs = [
        run for run in results.cache_only if run.first_frame and run.app_run and run.driver_start
    ]
    _line(
        "  fork to App.run() (python, imports, CLI, TuiReader built)",
        [run.app_run or 0 for run in runs],
        "s",
    )
    _line(
        "  App.run() to Textual's driver start (alternate screen)",
        [(run.driver_start or 0) - (run.app_run or 0) for run in runs],
        "s",
    )
    _line(
        "  driver start to the end of the first frame with the list",
        [(run.first_frame or 0) - (run.driver_start or 0) for run in runs],
        "s",
    )
    headless, refreshing = results.headless, results.headless_refresh
    _line("  python -c pass (interpreter start and exit: a floor)", [results.python_floor], "s")
    _line("  imports (tuireader.cli, tui.app, screens.main)", [c["imports"] for c in headless], "s")
    _line(
        "  load_config + TuiReader(...) (open the store, sync feeds)",
        [c["construct"] for c in headless],
        "s",
    )
    _line(
        "  TuiReader(...) to first article row, headless", [c["first_paint"] for c in headless], "s"
    )
    _line(
        "  the same, offline, refresh starting at mount",
        [c["first_paint"] for c in refreshing],
        "s",
    )
    _line("  CPU time used by then, offline", cpu(results.offline), "s")
    _line("  CPU time used by then, cache only", cpu(results.cache_only), "s")
    newsboat = results.newsboat
    _line("newsboat -x print-unread (loads the whole cache)", [n.seconds for n in newsboat], "s")
    _line("  its CPU time", [n.cpu for n in newsboat], "s")


def print_keys(results: Results) -> None:
    """The rows about keystrokes and the work behind one."""
    keys = results.keys
    typed = [ms for run in results.cache_only for ms in run.key_ms]
    rows = keys["rows_on_screen"]
    held = [ms for run in results.cache_only for ms in run.held_ms]
    _line(f"keystroke j/k, process: typed to frame end ({len(typed)} keys)", typed, "ms")
    _line(f"  j held down (25/s): each key to frame end ({len(held)} keys)", held, "ms")
    _line(
        f"keystroke j/k, in process: key event to compositor ({len(keys['key_to_frame_ms'])})",
        keys["key_to_frame_ms"],
        "ms",
    )
    _line(
        f"keystroke j/k, Pilot press + pause ({len(keys['press_ms'])} keys)", keys["press_ms"], "ms"
    )
    _line("  Pilot press + pause of an unbound key (harness floor)", keys["press_unbound_ms"], "ms")
    _line(f"  render_line x {rows} rows after a cursor move", keys["render_warm_ms"], "ms")
    _line(f"  a page never shown: {rows} rows laid out", keys["render_cold_ms"], "ms")
    _line("  200 rows from SQLite, top of the list", keys["page_top_ms"], "ms")
    _line("  200 rows from SQLite, bottom of the list (OFFSET)", keys["page_bottom_ms"], "ms")
    _line("  MainScreen.show_article (read, lay out, start related)", keys["show_article_ms"], "ms")
    _line("  related articles of one article (in its thread)", keys["related_ms"], "ms")
    _line("  TermStats().refresh (document frequencies, once)", keys["term_stats_ms"], "ms")


def print_targets(results: Results) -> bool:
    """Each target, met or missed; whether all were met."""
    first = max(median(frames(results.offline)), median(frames(results.cache_only)))
    ratio = first / median([n.seconds for n in results.newsboat])
    cpu_first = max(median(cpu(results.offline)), median(cpu(results.cache_only)))
    cpu_ratio = cpu_first / median([n.cpu for n in results.newsboat])
    typed = [ms for run in results.cache_only for ms in run.key_ms]
    key_ms = median(typed or results.keys["key_to_frame_ms"])
    targets = [
        (f"first frame {first:.3f} s <= {FIRST_FRAME_TARGET} s", first <= FIRST_FRAME_TARGET),
        (
            f"first frame / newsboat load = {ratio:.2f} <= {NEWSBOAT_RATIO_TARGET:.2f}",
            ratio <= NEWSBOAT_RATIO_TARGET,
        ),
        (
            f"the same in CPU time (less sensitive to load) = {cpu_ratio:.2f}"
            f" <= {NEWSBOAT_RATIO_TARGET:.2f}",
            cpu_ratio <= NEWSBOAT_RATIO_TARGET,
        ),
        (
            f"keystroke typed to frame end, median {key_ms:.1f} ms <= {KEY_TARGET_MS:.0f} ms",
            key_ms <= KEY_TARGET_MS,
        ),
    ]
    print()
    for words, met in targets:
        print(f"target: {words}: {verdict(met)}")
    return all(met for _, met in targets)


def compile_sources() -> None:
    """Byte-compile the checkout's modules that changed, as an install does (pip compiles the
    package; an editable one compiles on first import unless PYTHONDONTWRITEBYTECODE is set):
    a start that compiled tuireader's sources again would measure the compiler."""
    compileall.compile_dir(REPOSITORY / "src" / "tuireader", quiet=1)


def measure_rounds(
    cache: StartupCache, scratch: Path, options: argparse.Namespace, executable: str
) -> tuple[Results, list[str]]:
    """Every tool in turn per round (so drifting load hits all), then the keystrokes."""
    results = Results()
    problems: list[str] = []
    for round_number in range(options.repeat + 1):  # round 0 warms caches up, untimed
        compile_sources()  # again each round: others may be editing the checkout meanwhile
        offline = run_reader(cache, scratch, feeds=True, keys=0)
        typed = options.pty_keys if round_number == options.repeat else 0
        cache_only = run_reader(cache, scratch, feeds=False, keys=typed)
        newsboat = newsboat_load(cache, executable)
        headless = run_child_app(cache, scratch, keys=0)
        refreshing = run_child_app(cache, scratch, keys=0, feeds=True)
        problems += (
            offline.problems
            + cache_only.problems
            + ([newsboat.problem] if newsboat.problem else [])
        )
        if round_number == 0:
            continue
        results.offline.append(offline)
        results.cache_only.append(cache_only)
        results.newsboat.append(newsboat)
        results.headless.append(headless)
        results.headless_refresh.append(refreshing)
        print(
            f"  run {round_number}: first frame offline {offline.first_frame or 0:.3f} s,"
            f" cache only {cache_only.first_frame or 0:.3f} s; newsboat {newsboat.seconds:.3f} s;"
            f" headless first paint {headless['first_paint']:.3f} s",
            flush=True,
        )
    compile_sources()
    results.keys = run_child_app(cache, scratch, keys=options.keys)
    problems += results.keys["key_problems"]
    results.python_floor = python_start(options.repeat)
    return results, problems


def run_benchmark(options: argparse.Namespace) -> int:
    """Build or reuse the cache, measure, print the table; 1 if a check failed."""
    executable = shutil.which("newsboat")
    if executable is None:
        print("newsboat is needed to fill its cache: apt-get install newsboat")
        return 1
    cache = ensure_cache(
        options.feeds,
        options.items,
        seed=options.seed,
        hosts=options.hosts,
        newsboat=executable,
        rebuild=options.rebuild,
    )
    version = subprocess.run([executable, "--version"], capture_output=True, text=True).stdout
    print(
        f"{cache.articles} cached articles ({options.feeds} feeds x {options.items}) in"
        f" {cache.root}; {COLUMNS}x{ROWS}; median of {options.repeat} after a warm-up;"
        f" {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f};"
        f" {version.splitlines()[0] if version else 'newsboat'}"
    )
    with tempfile.TemporaryDirectory(prefix="tuireader-startup-") as scratch_name:
        scratch = Path(scratch_name)
        results, problems = measure_rounds(cache, scratch, options, executable)
        print(f"\n{'measure':<64}{'median':>11}{'p95':>11}")
        print_start(results)
        print_keys(results)
        all_met = print_targets(results)
        print(f"load average now {os.getloadavg()[0]:.1f}")
        if options.profile or not all_met:
            print_import_times(cache)
            run_child_app(cache, scratch, keys=0, profile=True)
            run_child_app(cache, scratch, keys=0, feeds=True, profile=True)
    for problem in problems:
        print(f"CHECK FAILED: {problem}")
    return 1 if problems else 0


def main() -> None:
    """Parse the options and run the benchmark (or its in-process child)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--feeds", type=int, default=100, help="feeds (N)")
    parser.add_argument("--items", type=int, default=200, help="items per feed (M)")
    parser.add_argument("--repeat", type=int, default=5, help="runs; medians are shown")
    parser.add_argument("--keys", type=int, default=200, help="Pilot presses of j, then of k")
    parser.add_argument("--pty-keys", type=int, default=40, help="keystrokes typed in the pty")
    parser.add_argument("--hosts", type=int, default=20, help="loopback hosts serving the feeds")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated feeds")
    parser.add_argument("--rebuild", action="store_true", help="build the cache again")
    parser.add_argument("--profile", action="store_true", help="profile imports and first paint")
    parser.add_argument("--child-app", nargs=3, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child_app:
        config, data, keys = options.child_app
        child_app(Path(config), Path(data), int(keys), options.profile)
        return
    if options.feeds < 1 or options.items < 1 or options.repeat < 1:
        parser.error("--feeds, --items and --repeat must be at least 1")
    if options.keys < 1 or options.keys >= options.feeds * options.items:
        parser.error("--keys must be at least 1 and less than the number of articles")
    sys.exit(run_benchmark(options))


if __name__ == "__main__":
    main()
