"""`tuireader --demo` as a user runs it without a terminal, and where files go by default."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.terminal import child_env
from tuireader.demo.server import PREFERRED_PORT


def tuireader(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "tuireader", *args],
        capture_output=True,
        text=True,
        env=env or child_env(),
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """An environment whose config and data directories (XDG) are inside ``tmp_path``."""
    return {
        **child_env(),
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
    }


def test_demo_refreshes_three_sources_into_a_kept_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = tuireader("--config", str(tmp_path / "none.toml"), "--demo", "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    total = int(lines[0].split()[0])
    assert total >= 60 and lines[0].endswith(f"{total} unread, 0 starred")
    section_lines = [line for line in lines if " · " in line and "unread)" in line]
    assert len(section_lines) >= 6
    with sqlite3.connect(data / "tuireader.db") as db:
        feeds = db.execute("SELECT id, url, language FROM feeds ORDER BY id").fetchall()
        assert len(feeds) >= 3
        by_url = {
            url: db.execute(
                "SELECT count(*), sum(length(content) > 0), max(direction)"
                " FROM articles WHERE feed_id = ?",
                (feed_id,),
            ).fetchone()
            for feed_id, url, _ in feeds
        }
    [english] = [counts for url, counts in by_url.items() if url.endswith(".atom")]
    assert english[2] == "ltr"  # the English source, in Atom
    arabic = [counts for url, counts in by_url.items() if url.endswith(".xml")]
    assert all(direction == "rtl" for _, _, direction in arabic)
    # One Arabic source with full content, one with summaries only (pages for full text).
    assert sorted(with_content == count for count, with_content, _ in arabic) == [False, True]


def test_demo_without_a_data_dir_leaves_nothing_behind(
    tmp_path: Path, home: dict[str, str]
) -> None:
    done = tuireader("--demo", env=home, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "unread" in done.stdout
    assert not list(tmp_path.rglob("*.db"))


def test_demo_with_a_data_dir_refuses_another_port(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # past a TIME_WAIT
        try:
            taken.bind(("127.0.0.1", PREFERRED_PORT))
        except OSError:
            pass  # already taken by something else: the same case
        else:
            taken.listen()
        done = tuireader("--demo", "--data-dir", str(tmp_path / "data"))
    assert done.returncode == 2
    assert f"port {PREFERRED_PORT} is in use" in done.stderr
    assert not (tmp_path / "data" / "tuireader.db").exists()


def test_config_and_data_follow_the_xdg_variables(tmp_path: Path, home: dict[str, str]) -> None:
    added = tuireader("feeds", "add", "https://news.example/feed", env=home)
    assert added.returncode == 0, added.stderr
    config = tmp_path / "xdg-config" / "tuireader" / "config.toml"
    assert "https://news.example/feed" in config.read_text(encoding="utf-8")
    assert tuireader("articles", env=home).returncode == 0
    assert (tmp_path / "xdg-data" / "tuireader" / "tuireader.db").exists()
    assert not (tmp_path / "home").exists()


def test_every_demo_article_has_a_page_whose_text_is_extracted(tmp_path: Path) -> None:
    import asyncio

    from tuireader.core.config import Config
    from tuireader.core.refresh import fetch_full_text_now, refresh
    from tuireader.core.store import Store
    from tuireader.demo.server import DemoSite

    with DemoSite() as site:
        database, config = tmp_path / "tuireader.db", Config(feeds=tuple(site.feeds()))
        asyncio.run(refresh(database, config))
        with Store(database) as store:
            rows = store.articles(limit=200)
        first_of_each = {row.feed_title: row for row in reversed(rows)}
        assert len(first_of_each) == 3
        for row in first_of_each.values():
            result = asyncio.run(fetch_full_text_now(database, config, row.id))
            assert result.error is None and result.document is not None, row.feed_title
            text = " ".join(block.text for block in result.document.blocks)
            assert len(text) > 200
            for frame in ("الرئيسية", "اتصل بنا", "Contact", "Share"):
                assert frame not in text


@pytest.mark.parametrize(
    "target",
    [
        "%2F%2Fetc/passwd",
        "/%2F%2Fetc/passwd",
        "//etc/passwd",
        "/../../../../etc/passwd",
        "/..%2F..%2F..%2F..%2Fetc/passwd",
        "/feeds/..%5C..%5Cetc/passwd",
    ],
)
def test_the_demo_server_serves_nothing_outside_its_site(target: str) -> None:
    from tuireader.demo.server import DemoSite

    with DemoSite() as site:
        port = int(site.base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(f"GET {target} HTTP/1.0\r\n\r\n".encode())
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
    assert answer.startswith(b"HTTP/1.0 404")
    assert b"root:" not in answer
