"""A refresh killed at any moment leaves a consistent database and loses no read state."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.feedgen import rss, rss_item
from tests.feedserver import FeedServer, Response
from tuireader.core.config import FeedConfig, add_feeds
from tuireader.core.store import ArticleQuery, Store

FEEDS = 12
ITEMS = 150
KILLS = 6


def refresh_process(config: Path, data: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path.cwd() / "src"), str(Path.cwd())])}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tuireader",
            "--config",
            str(config),
            "--data-dir",
            str(data),
            "refresh",
            "--json",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )


def test_kill_nine_during_refresh(tmp_path: Path) -> None:
    rng = random.Random(20261129)
    config, data = tmp_path / "config.toml", tmp_path / "data"
    with FeedServer() as server:
        version = {"n": 0}

        def feed(number: int):  # type: ignore[no-untyped-def]
            def answer(_request):  # type: ignore[no-untyped-def]
                # Every refresh sees changed items, so every run writes.
                start = number * 1000 + version["n"] * 7
                # Staggered answers spread the writes over the whole refresh.
                body = rss([rss_item(start + i) for i in range(ITEMS)])
                return Response(body=body, delay=0.2 * number)

            return answer

        for number in range(FEEDS):
            server.routes[f"/f{number}.xml"] = feed(number)
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
            process = refresh_process(config, data)
            time.sleep(rng.uniform(0.6, 2.6))
            killed_running += process.poll() is None
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            with Store(data / "tuireader.db") as store:
                assert store.integrity_ok()
                still = {r.id for r in store.articles(ArticleQuery(starred=True), limit=1000)}
                assert starred <= still
                assert store.count() - store.count(ArticleQuery(unread=True)) >= read

        assert killed_running >= KILLS // 2  # the kills really landed mid-refresh
        last = refresh_process(config, data)
        assert last.wait(timeout=120) == 0
        with Store(data / "tuireader.db") as store:
            assert store.integrity_ok()
            assert starred <= {r.id for r in store.articles(ArticleQuery(starred=True), limit=1000)}
