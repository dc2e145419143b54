"""A refresh killed at any moment leaves a consistent database and loses no read state; two
refreshes at once both finish; an unusable data dir or a full disk is an error in words."""

from __future__ import annotations

import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from tests.feedgen import rss, rss_item
from tests.feedserver import FeedServer, RecordedRequest, Response
from tests.terminal import child_env
from tuireader.core.config import FeedConfig, add_feeds
from tuireader.core.schema import migrate
from tuireader.core.store import ArticleQuery, Store

FEEDS = 12
ITEMS = 100
KILLS = 20


def tuireader_args(config: Path, data: Path | str, *command: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "tuireader",
        "--config",
        str(config),
        "--data-dir",
        str(data),
        *command,
    ]


def refresh_process(
    config: Path, data: Path, preexec: Callable[[], None] | None = None
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        tuireader_args(config, data, "refresh", "--json"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=child_env(),
        preexec_fn=preexec,
        start_new_session=True,  # its worker processes share its process group
    )


def group_ends(group: int, seconds: float = 10.0) -> bool:
    """Whether every process of a process group has ended within ``seconds``."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def changing_feeds(server: FeedServer, version: dict[str, int], delay: float) -> None:
    """``FEEDS`` feeds whose items change with ``version["n"]`` and whose answers are
    staggered by ``delay`` seconds each, so that the writes spread over the whole refresh."""

    def feed(number: int) -> Callable[[RecordedRequest], Response]:
        def answer(_request: RecordedRequest) -> Response:
            start = number * 1000 + version["n"] * 7
            body = rss([rss_item(start + i) for i in range(ITEMS)])
            return Response(body=body, delay=delay * number)

        return answer

    for number in range(FEEDS):
        server.routes[f"/f{number}.xml"] = feed(number)


def wait_for_requests(server: FeedServer, before: int, timeout: float = 30) -> bool:
    """Wait until the server has had a request more than ``before``."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if len(server.requests()) > before:
            return True
        time.sleep(0.02)
    return False


def test_kill_nine_during_refresh(tmp_path: Path) -> None:
    rng = random.Random(20261129)
    config, data = tmp_path / "config.toml", tmp_path / "data"
    with FeedServer() as server:
        version = {"n": 0}
        changing_feeds(server, version, delay=0.1)
        add_feeds(config, [FeedConfig(server.url(f"/f{n}.xml")) for n in range(FEEDS)])

        first = refresh_process(config, data)
        assert first.wait(timeout=120) == 0, first.stderr.read() if first.stderr else ""
        with Store(data / "tuireader.db") as store:
            rows = store.articles(limit=40)
            store.set_starred([r.id for r in rows[:20]])
            store.set_read([r.id for r in rows[10:40]])
            starred = {r.id for r in store.articles(ArticleQuery(starred=True), limit=1000)}
            read = store.count() - store.count(ArticleQuery(unread=True))

        killed_running = 0
        for _ in range(KILLS):
            version["n"] += 1
            before = len(server.requests())
            process = refresh_process(config, data)
            # Kill at a random moment after the refresh has begun fetching: the staggered
            # answers keep it parsing and writing for well over a second.
            assert wait_for_requests(server, before)
            time.sleep(rng.uniform(0.0, 1.4))
            killed_running += process.poll() is None
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            assert group_ends(process.pid)  # no parsing worker outlives the refresh
            with Store(data / "tuireader.db") as store:
                assert store.integrity_ok()
                still = {r.id for r in store.articles(ArticleQuery(starred=True), limit=1000)}
                assert starred <= still
                assert store.count() - store.count(ArticleQuery(unread=True)) >= read

        assert killed_running >= KILLS * 3 // 4  # the kills really landed mid-refresh
        last = refresh_process(config, data)
        assert last.wait(timeout=120) == 0
        with Store(data / "tuireader.db") as store:
            assert store.integrity_ok()
            assert starred <= {r.id for r in store.articles(ArticleQuery(starred=True), limit=1000)}


def test_two_refreshes_at_once_both_finish(tmp_path: Path) -> None:
    config, data = tmp_path / "config.toml", tmp_path / "data"
    with FeedServer() as server:
        version = {"n": 0}
        changing_feeds(server, version, delay=0.05)
        add_feeds(config, [FeedConfig(server.url(f"/f{n}.xml")) for n in range(FEEDS)])
        # The database exists first: the race of two first opens is the test below.
        assert refresh_process(config, data).wait(timeout=120) == 0
        for round_ in range(3):
            version["n"] = round_ + 1
            both = [refresh_process(config, data), refresh_process(config, data)]
            for process in both:
                code = process.wait(timeout=120)
                errors = process.stderr.read().decode() if process.stderr else ""
                assert "locked" not in errors.lower() and "Traceback" not in errors, errors
                assert code == 0, errors
        with Store(data / "tuireader.db") as store:
            assert store.integrity_ok()
            assert store.count() >= FEEDS * ITEMS


class _Interleaved(sqlite3.Connection):
    """A connection that lets a second connection migrate the same file at the worst moment:
    after this one read the schema version and before it takes the write lock."""

    other: Path | None = None

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql == "BEGIN IMMEDIATE" and self.other is not None:
            path, self.other = self.other, None
            with closing(sqlite3.connect(path, isolation_level=None)) as second:
                migrate(second)
        return super().execute(sql, *args)


def test_two_first_opens_of_a_new_database_both_succeed(tmp_path: Path) -> None:
    path = tmp_path / "tuireader.db"
    db = sqlite3.connect(path, isolation_level=None, factory=_Interleaved)
    db.other = path
    with closing(db):
        migrate(db)
    with Store(path) as store:
        assert store.integrity_ok()


def run_cli(
    config: Path, data: Path | str, *command: str, preexec: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        tuireader_args(config, data, *command),
        capture_output=True,
        text=True,
        env=child_env(),
        preexec_fn=preexec,
        timeout=120,
        check=False,
    )


def assert_error_in_words(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode in (1, 2), (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tuireader: "), done.stderr
    for word in words:
        assert word in lines[0], lines[0]


# Running as root (as CI does), chmod cannot make a directory unwritable; these data dirs
# cannot be created or written by anyone.
UNUSABLE_DATA_DIRS = ["/dev/null/tuireader", "/proc/tuireader", "/proc/self/status/x"]


@pytest.mark.parametrize("data", UNUSABLE_DATA_DIRS)
@pytest.mark.parametrize("command", [["refresh"], ["articles"], ["feeds", "list"], []])
def test_unusable_data_dir_is_an_error_in_words(
    tmp_path: Path, data: str, command: list[str]
) -> None:
    config = tmp_path / "config.toml"
    add_feeds(config, [FeedConfig("http://127.0.0.1:9/feed.xml")])
    done = run_cli(config, data, *command)
    assert done.returncode == 2
    assert_error_in_words(done, "cannot open the database", data)


def test_a_database_that_is_a_directory_is_an_error_in_words(tmp_path: Path) -> None:
    config, data = tmp_path / "config.toml", tmp_path / "data"
    (data / "tuireader.db").mkdir(parents=True)
    done = run_cli(config, data, "articles")
    assert done.returncode == 2
    assert_error_in_words(done, "cannot open the database")


def small_file_limit(size: int) -> Callable[[], None]:
    """A pre-exec hook: files can grow to ``size`` bytes only (writes past it fail with EFBIG,
    as on a full disk; SIGXFSZ is ignored so that the write fails instead of killing)."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


def test_full_disk_is_an_error_in_words_and_loses_nothing(tmp_path: Path) -> None:
    config, data = tmp_path / "config.toml", tmp_path / "data"
    with FeedServer() as server:
        server.routes["/small.xml"] = Response(body=rss(range(1, 6)))
        add_feeds(config, [FeedConfig(server.url("/small.xml"))])
        assert run_cli(config, data, "refresh").returncode == 0
        with Store(data / "tuireader.db") as store:
            [first, *_] = store.articles(limit=5)
            store.set_starred([first.id])
            store.set_read([first.id])
        server.routes["/big.xml"] = Response(body=rss(range(100, 2100)))
        add_feeds(config, [FeedConfig(server.url("/big.xml"))])
        done = run_cli(config, data, "refresh", preexec=small_file_limit(400_000))
        assert_error_in_words(done)
        with Store(data / "tuireader.db") as store:
            assert store.integrity_ok()
            row = store.rows_by_id([first.id])[0]
            assert row.starred and row.read
        assert run_cli(config, data, "refresh").returncode == 0  # with room again, it goes on
