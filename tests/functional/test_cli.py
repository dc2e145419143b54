"""The command line end to end: click's runner, a real local server, a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.feedgen import rss, rss_item
from tests.feedserver import FeedServer, Response
from tuireader.cli import main


class Tui:
    def __init__(self, tmp_path: Path) -> None:
        self.config = tmp_path / "config.toml"
        self.data = tmp_path / "data"

    def __call__(self, *args: str) -> Result:
        runner = CliRunner()
        return runner.invoke(
            main, ["--config", str(self.config), "--data-dir", str(self.data), *args]
        )


@pytest.fixture
def tui(tmp_path: Path) -> Tui:
    return Tui(tmp_path)


def test_add_refresh_list_mark(server: FeedServer, tui: Tui) -> None:
    server.routes["/a.xml"] = Response(body=rss(range(1, 6)))
    url = server.url("/a.xml")
    added = tui("feeds", "add", url, "--section", "سياسة", "--direction", "rtl")
    assert added.exit_code == 0, added.output
    assert tui("feeds", "add", url).output.startswith("already subscribed")

    refreshed = tui("refresh", "--json")
    assert refreshed.exit_code == 0, refreshed.output
    [report] = json.loads(refreshed.output)
    assert (report["outcome"], report["new"], report["error"]) == ("ok", 5, None)

    listed = json.loads(tui("articles", "--json").output)
    assert len(listed) == 5
    first = listed[0]
    assert set(first) >= {
        "id",
        "title",
        "link",
        "feed",
        "section",
        "categories",
        "published",
        "read",
        "starred",
    }
    assert first["title"] == "خبر عاجل رقم 5 عن المغرب"
    assert first["section"] == "سياسة"
    assert first["categories"] == ["سياسة"]
    assert first["published"] == "2026-11-20T08:05:00+00:00"
    assert first["direction"] == "rtl"
    assert first["read"] is False and first["starred"] is False

    assert tui("mark", str(first["id"]), "--star").exit_code == 0
    starred = json.loads(tui("articles", "--starred", "--json").output)
    assert [a["id"] for a in starred] == [first["id"]]
    assert tui("mark", str(first["id"]), "--read").exit_code == 0
    unread = json.loads(tui("articles", "--unread", "--json").output)
    assert first["id"] not in [a["id"] for a in unread] and len(unread) == 4
    assert tui("articles", "--section", "السياسة", "--limit", "2").output.count("\n") == 2
    assert tui("mark", "99999", "--read").exit_code == 2

    feeds = json.loads(tui("feeds", "list", "--json").output)
    assert feeds[0]["articles"] == 5 and feeds[0]["unread"] == 4

    assert tui("feeds", "remove", url).exit_code == 0
    assert json.loads(tui("articles", "--json").output) == []


def test_refresh_exit_code_is_one_when_a_feed_fails(server: FeedServer, tui: Tui) -> None:
    server.routes["/a.xml"] = Response(body=rss(range(1, 3)))
    server.routes["/bad.xml"] = Response(status=404)
    tui("feeds", "add", server.url("/a.xml"))
    tui("feeds", "add", server.url("/bad.xml"))
    result = tui("refresh")
    assert result.exit_code == 1
    assert "404" in result.output
    assert "2 feeds refreshed, 2 new, 1 failed" in result.output


def test_config_errors_exit_two_and_name_the_line(tui: Tui) -> None:
    tui.config.write_text("[ui]\nbidi = 'upside-down'\n", encoding="utf-8")
    result = tui("articles")
    assert result.exit_code == 2
    assert f"{tui.config}: line 2, key 'ui.bidi'" in result.output
    assert tui("feeds", "add", "ftp://example.org/feed").exit_code == 2


def test_opml_import_and_export(server: FeedServer, tui: Tui, tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline text="أخبار"><outline text="A" xmlUrl="https://a.example/feed"/></outline>'
        '<outline text="bad" xmlUrl="exec:rm -rf /"/>'
        '<outline text="B" xmlUrl="https://b.example/rss"/></body></opml>',
        encoding="utf-8",
    )
    result = tui("import", str(opml))
    assert result.exit_code == 0
    assert "imported 2 feeds" in result.output
    assert "skipped exec:rm -rf /" in result.output
    exported = tui("export").output
    assert 'xmlUrl="https://a.example/feed"' in exported
    assert '<outline text="أخبار" title="أخبار">' in exported


def test_printed_strings_are_sanitized(server: FeedServer, tui: Tui) -> None:
    hostile = "\x1b]0;pwned\x07عنوان \x1b[2J[bold red]x[/] \u009b31m"
    server.routes["/h.xml"] = Response(body=rss([rss_item(1, title=hostile)]))
    tui("feeds", "add", server.url("/h.xml"))
    tui("refresh")
    output = tui("articles").output
    assert "\x1b" not in output and "\x07" not in output and "\u009b" not in output
    assert "[bold red]x[/]" in output
