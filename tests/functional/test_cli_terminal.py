"""Article lines printed on a real pseudo-terminal: laid out right to left, letters joined,
each line fitted to the terminal's width; piped output stays whole and in logical order."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.terminal import child_env, plain_terminal, run_in_pty
from tuireader.core.config import FeedConfig
from tuireader.core.models import ParsedEntry, ParsedFeed
from tuireader.core.store import Store
from tuireader.text import layout_paragraph

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
ARABIC = (
    "ارتفاع التضخم إلى 3.5% في (المغرب) حسب تقرير IMF لعام 2024 وتوقعات بتراجعه في السنة المقبلة"
)
ENGLISH = "Kestrel telescope enters safe mode after a gyroscope fault over the weekend"
COLUMNS = 70


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    with Store(tmp_path / "tuireader.db") as store:
        store.sync_feeds([FeedConfig("https://news.example/feed", title="أخبار المدار")])
        entries = [
            ParsedEntry(guid=str(n), link=None, title=title, published=NOW)
            for n, title in enumerate((ARABIC, ENGLISH))
        ]
        feed = ParsedFeed(title="", link=None, language=None, entries=entries)
        store.store_feed(store.feeds()[0], feed, now=NOW)
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    return tmp_path


def args(data_dir: Path) -> list[str]:
    config = str(data_dir / "config.toml")
    return ["--config", config, "--data-dir", str(data_dir), "--bidi", "app", "--shape", "on"]


def on_terminal(arguments: list[str], columns: int = COLUMNS) -> list[str]:
    output = run_in_pty(arguments, plain_terminal(columns, 20), keys=[])
    return output.decode("utf-8").replace("\r\n", "\n").splitlines()


def test_titles_are_laid_out_joined_and_fitted(data_dir: Path) -> None:
    lines = on_terminal([*args(data_dir), "articles"])
    assert len(lines) == 2, lines
    assert all(cell_len(line) <= COLUMNS for line in lines)
    arabic, english = sorted(lines, key=lambda line: "Kestrel" in line)
    # Cut at the logical end, which is the left edge of the right-to-left title; its
    # beginning, shaped and reordered, is at the right, next to the feed.
    title, feed = arabic[28:].split("  ·  ")
    assert title.startswith("…")
    assert title.endswith(layout_paragraph("ارتفاع التضخم", 100, shaping=True)[0])
    assert any("\ufe70" <= char <= "\ufeff" for char in title)  # letters joined
    assert feed == layout_paragraph("أخبار المدار", 100, shaping=True)[0]
    assert english[28:].startswith("Kestrel telescope")
    assert "…" in english


def test_feed_titles_in_feeds_list_are_laid_out(data_dir: Path) -> None:
    [line] = on_terminal([*args(data_dir), "feeds", "list"])
    assert line.startswith(layout_paragraph("أخبار المدار", 100, shaping=True)[0] + "  https://")
    assert "[not in the config]" in line


@pytest.mark.parametrize("columns", [30, 40, 55])
def test_narrow_terminals_get_short_lines_that_never_wrap(data_dir: Path, columns: int) -> None:
    lines = on_terminal([*args(data_dir), "articles"], columns)
    assert len(lines) == 2, lines
    assert all(cell_len(line) <= columns for line in lines)
    assert all("11-29" in line and "2026-" not in line for line in lines)  # a short date


def test_piped_titles_stay_whole_and_logical(data_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tuireader", *args(data_dir), "articles"],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=60,
        check=True,
    )
    assert ARABIC in done.stdout
    assert ENGLISH in done.stdout
