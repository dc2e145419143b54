"""A cache of N x M generated articles for both tuireader and newsboat, kept between runs.

The generated Arabic feeds of ``bench/_feeds.py`` are served on loopback once, and each tool
fills its own cache through its real path: ``tuireader --config C --data-dir D refresh`` and
``newsboat -u urls -c cache.db -C config -x reload`` (``reload-threads 8``). The caches live in
a directory of the system's temp dir named by size and seed; ``meta.json`` is written last, so
a directory without it (a build that was interrupted) is built again. The feed URLs (and so
the port) are recorded there: they are the subscriptions of both caches, and once the server
has stopped nothing listens on them, so a reader started on the cache finds its feeds
unreachable.

API:

- ``StartupCache``: where the files of one cache are (``tuireader_config``,
  ``tuireader_data``, ``tuireader_database``, ``newsboat_urls``, ``newsboat_cache``,
  ``newsboat_config``, ``home``) and what ``meta.json`` says (``urls``, ``articles``).
- ``ensure_cache(feeds, items, *, seed, hosts, newsboat, rebuild, say) -> StartupCache``: the
  cache, built first when it is missing, incomplete or ``rebuild`` is set, and tuireader's
  database brought to the checkout's schema (``migrate_tuireader_cache(cache)``).
- ``count_rows(database, table) -> int``: rows of a table, read-only (-1 if unreadable).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
NEWSBOAT_THREADS = 8
BUILD_TIMEOUT = 1800.0  # seconds for one tool to fill its cache


@dataclass(frozen=True, slots=True)
class StartupCache:
    """The files of one cache of ``feeds`` x ``items`` articles."""

    root: Path
    feeds: int
    items: int
    seed: int
    urls: tuple[str, ...] = ()

    @property
    def articles(self) -> int:
        return self.feeds * self.items

    @property
    def tuireader_config(self) -> Path:
        return self.root / "tuireader" / "config.toml"

    @property
    def tuireader_data(self) -> Path:
        return self.root / "tuireader" / "data"

    @property
    def tuireader_database(self) -> Path:
        return self.tuireader_data / "tuireader.db"

    @property
    def newsboat_urls(self) -> Path:
        return self.root / "newsboat" / "urls"

    @property
    def newsboat_cache(self) -> Path:
        return self.root / "newsboat" / "cache.db"

    @property
    def newsboat_config(self) -> Path:
        return self.root / "newsboat" / "config"

    @property
    def home(self) -> Path:
        """A throwaway HOME (and XDG dirs), so that no tool reads or writes the user's."""
        return self.root / "home"

    @property
    def meta(self) -> Path:
        return self.root / "meta.json"


def cache_root(feeds: int, items: int, seed: int) -> Path:
    """The directory of the cache of this size and seed."""
    return Path(tempfile.gettempdir()) / f"tuireader-bench-startup-{feeds}x{items}-seed{seed}"


def count_rows(database: Path, table: str) -> int:
    """Rows of ``table`` in the SQLite file, or -1 if it cannot be read."""
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
            return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    except sqlite3.Error:
        return -1


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """This process's environment with HOME and the XDG dirs pointed at ``home``."""
    env = dict(os.environ, **extra)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "xdg-config"),
        XDG_DATA_HOME=str(home / "xdg-data"),
        XDG_CACHE_HOME=str(home / "xdg-cache"),
    )
    return env


def tuireader_env(home: Path, **extra: str) -> dict[str, str]:
    """The isolated environment with this checkout's ``src`` first on PYTHONPATH."""
    paths = (str(REPOSITORY / "src"), os.environ.get("PYTHONPATH"))
    return isolated_env(home, PYTHONPATH=os.pathsep.join(p for p in paths if p), **extra)


def _load(root: Path, feeds: int, items: int, seed: int) -> StartupCache | None:
    """The cache described by ``root/meta.json``, if it is complete and of this size."""
    try:
        meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (meta.get("feeds"), meta.get("items"), meta.get("seed")) != (feeds, items, seed):
        return None
    cache = StartupCache(root, feeds, items, seed, tuple(str(url) for url in meta["urls"]))
    complete = (
        count_rows(cache.tuireader_database, "articles") == cache.articles
        and count_rows(cache.newsboat_cache, "rss_item") == cache.articles
    )
    return cache if complete else None


def _run(command: list[str], env: dict[str, str], log: Path) -> tuple[int, float]:
    """Run a command to completion with its output in ``log``; (exit status, seconds)."""
    with log.open("wb") as sink:
        started = time.perf_counter()
        result = subprocess.run(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            timeout=BUILD_TIMEOUT,
            check=False,
        )
    return result.returncode, time.perf_counter() - started


def _fill(cache: StartupCache, urls: list[str], newsboat: str, say: Callable[[str], None]) -> None:
    """Write both tools' subscriptions and let each fetch every feed once."""
    cache.home.mkdir(parents=True)
    cache.tuireader_data.mkdir(parents=True)
    cache.newsboat_cache.parent.mkdir(parents=True)
    # The URLs are our own loopback ones (digits, dots, slashes): no TOML escaping needed.
    feeds = "".join(f'[[feed]]\nurl = "{url}"\n\n' for url in urls)
    cache.tuireader_config.write_text(feeds, encoding="utf-8")
    cache.newsboat_urls.write_text("".join(f"{url}\n" for url in urls), encoding="utf-8")
    cache.newsboat_config.write_text(f"reload-threads {NEWSBOAT_THREADS}\n", encoding="utf-8")

    tuireader = [
        sys.executable,
        "-m",
        "tuireader",
        "--config",
        str(cache.tuireader_config),
        "--data-dir",
        str(cache.tuireader_data),
        "refresh",
    ]
    status, seconds = _run(tuireader, tuireader_env(cache.home), cache.root / "tuireader.log")
    say(f"  tuireader refresh: exit {status}, {seconds:.1f} s")
    reload = [
        newsboat,
        "-u",
        str(cache.newsboat_urls),
        "-c",
        str(cache.newsboat_cache),
        "-C",
        str(cache.newsboat_config),
        "-x",
        "reload",
    ]
    status, seconds = _run(reload, isolated_env(cache.home), cache.root / "newsboat.log")
    say(f"  newsboat -x reload: exit {status}, {seconds:.1f} s")


def ensure_cache(
    feeds: int,
    items: int,
    *,
    seed: int,
    hosts: int,
    newsboat: str,
    rebuild: bool = False,
    say: Callable[[str], None] = print,
) -> StartupCache:
    """The cache of ``feeds`` x ``items`` articles, built first if needed. Raises RuntimeError
    when a tool did not store every article."""
    root = cache_root(feeds, items, seed)
    cached = None if rebuild else _load(root, feeds, items, seed)
    if cached is not None:
        migrate_tuireader_cache(cached)
        return cached
    shutil.rmtree(root, ignore_errors=True)
    say(f"building the cache of {feeds} x {items} articles in {root} (once; --rebuild redoes it)")
    from _feeds import FeedServer

    with FeedServer(feeds, items, hosts=hosts, seed=seed) as server:
        cache = StartupCache(root, feeds, items, seed, tuple(server.urls))
        _fill(cache, server.urls, newsboat, say)
    stored = {
        "tuireader": count_rows(cache.tuireader_database, "articles"),
        "newsboat": count_rows(cache.newsboat_cache, "rss_item"),
    }
    if any(count != cache.articles for count in stored.values()):
        raise RuntimeError(
            f"the cache is incomplete: {stored} articles stored, expected {cache.articles}"
            f" each (logs in {root})"
        )
    meta = {"feeds": feeds, "items": items, "seed": seed, "urls": list(cache.urls), **stored}
    cache.meta.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return cache


def migrate_tuireader_cache(cache: StartupCache) -> None:
    """Bring tuireader's cached database to this checkout's schema (nothing to do when it is
    there already): every run starts on a copy of it, and a schema step added since the cache
    was built would otherwise be timed in each run, where a user's database takes it once."""
    code = (
        "import sys; from pathlib import Path; from tuireader.core.store import Store;"
        " Store(Path(sys.argv[1])).close()"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(cache.tuireader_database)],
        env=tuireader_env(cache.home),
        check=True,
    )
