"""The command line end to end: click's runner, a real local server, a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.feedgen import rss, rss_item
from tests.feedserver import FeedServer, Response, redirect
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


def test_refresh_json_accounts_for_every_feed(server: FeedServer, tui: Tui) -> None:
    server.routes["/a.xml"] = Response(body=rss(range(1, 3)))
    server.routes["/gone.xml"] = Response(status=410)
    tui("feeds", "add", server.url("/a.xml"))
    tui("feeds", "add", server.url("/gone.xml"))
    assert tui("refresh").exit_code == 1  # a 410 is a failure the first time
    again = tui("refresh", "--json")
    assert again.exit_code == 0
    outcomes = {r["url"]: (r["outcome"], r["warning"]) for r in json.loads(again.output)}
    assert outcomes[server.url("/a.xml")][0] == "ok"
    outcome, why = outcomes[server.url("/gone.xml")]
    assert outcome == "skipped" and "gone (410)" in why
    plain = tui("refresh")
    assert "1 feed refreshed, 0 new, 1 skipped" in plain.output
    assert f"skipped {server.url('/gone.xml')}: gone (410)" in plain.output


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


def test_doctor_runs_with_a_broken_config_and_says_what_is_wrong(tui: Tui) -> None:
    tui.config.write_text("[ui]\nbidi = 'upside-down'\n", encoding="utf-8")
    result = tui("doctor")
    assert result.exit_code == 2
    assert "line 2, key 'ui.bidi'" in result.output
    assert "bidi" in result.output and "database" in result.output


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


def test_a_moved_or_unconfigured_feed_can_be_removed_by_the_url_listed(
    server: FeedServer, tui: Tui
) -> None:
    server.routes["/new.xml"] = Response(body=rss(range(1, 3)))
    server.routes["/old.xml"] = redirect(server.url("/new.xml"), status=301)
    server.routes["/b.xml"] = Response(body=rss(range(10, 12)))
    tui("feeds", "add", server.url("/old.xml"))
    tui("feeds", "add", server.url("/b.xml"))
    assert tui("refresh").exit_code == 0
    listed = tui("feeds", "list").output
    assert f"{server.url('/new.xml')} (configured as {server.url('/old.xml')})" in listed
    assert tui("feeds", "remove", server.url("/new.xml")).exit_code == 0
    assert "old.xml" not in tui.config.read_text(encoding="utf-8")

    tui.config.write_text("", encoding="utf-8")  # the other feed taken out by hand
    [orphan] = json.loads(tui("feeds", "list", "--json").output)
    assert (orphan["url"], orphan["configured"], orphan["articles"]) == (
        server.url("/b.xml"),
        False,
        2,
    )
    assert "not in the config" in tui("feeds", "list").output
    assert tui("feeds", "remove", server.url("/b.xml")).exit_code == 0
    assert json.loads(tui("feeds", "list", "--json").output) == []
    assert tui("feeds", "remove", server.url("/b.xml")).exit_code == 2


def test_mark_takes_both_kinds_of_state_and_refuses_contradictions(
    server: FeedServer, tui: Tui
) -> None:
    server.routes["/a.xml"] = Response(body=rss(range(1, 3)))
    tui("feeds", "add", server.url("/a.xml"))
    tui("refresh")
    first = json.loads(tui("articles", "--json").output)[0]["id"]
    marked = tui("mark", str(first), "--read", "--star")
    assert (marked.exit_code, marked.output) == (0, "marked 1 article read and starred\n")
    [row] = json.loads(tui("articles", "--starred", "--json").output)
    assert (row["id"], row["read"], row["starred"]) == (first, True, True)
    assert tui("mark", str(first), "--unread", "--read").exit_code == 2
    assert tui("mark", str(first), "--star", "--unstar").exit_code == 2
    assert tui("mark", str(first)).exit_code == 2
    assert "no such article: 999" in tui("read", "999").output


def test_an_unknown_section_is_an_error_naming_the_known_ones(server: FeedServer, tui: Tui) -> None:
    server.routes["/a.xml"] = Response(body=rss(range(1, 3)))
    tui("feeds", "add", server.url("/a.xml"))
    tui("refresh")
    for command in (["articles"], ["search", "المغرب"]):
        result = tui(*command, "--section", "nonexistent")
        assert result.exit_code == 2
        assert "no such section: nonexistent (sections: سياسة)" in result.output


def test_unusable_files_give_one_line_not_a_traceback(tui: Tui, tmp_path: Path) -> None:
    directory = tmp_path / "a-directory"
    directory.mkdir()
    not_utf8 = tmp_path / "latin1.toml"
    not_utf8.write_bytes(b'[ui]\ntheme = "caf\xe9"\n')
    for config in (directory, not_utf8):
        for command in (["feeds", "add", "https://a.example/feed"], ["feeds", "remove", "x"]):
            runner = CliRunner()
            result = runner.invoke(main, ["--config", str(config), *command])
            assert result.exit_code == 2, result.output
            assert result.exception is None or isinstance(result.exception, SystemExit)
            assert str(config) in result.output
    exported = tui("export", str(tmp_path / "missing" / "out.opml"))
    assert exported.exit_code == 2
    assert "cannot write" in exported.output


def test_config_strings_are_sanitized_in_the_file_and_the_output(
    server: FeedServer, tui: Tui
) -> None:
    server.routes["/a.xml"] = Response(body=rss(range(1, 2)))
    hostile = "Bad\x1b[31mTitle\x07 \u009b2J"
    tui("feeds", "add", server.url("/a.xml"), "--title", hostile, "--section", "\x1b]0;x\x07سياسة")
    written = tui.config.read_text(encoding="utf-8")
    assert "\\u001b" not in written and "\\u0007" not in written
    assert 'title = "Bad[31mTitle 2J"' in written
    assert tui("export").exit_code == 0
    # Also what was written into the file by hand.
    tui.config.write_text(
        f'[[feed]]\nurl = "{server.url("/a.xml")}"\ntitle = "A\\u009bB\\u001b[2J"\n',
        encoding="utf-8",
    )
    tui("refresh")
    for output in (tui("feeds", "list", "--json").output, tui("refresh", "--json").output):
        assert "\\u009b" not in output and "\\u001b" not in output and "\x9b" not in output
    assert '"title": "AB[2J"' in tui("feeds", "list", "--json").output


def test_read_lays_out_standard_input_paragraph_by_paragraph(tui: Tui) -> None:
    from tuireader.text import layout_paragraph

    modes = ["--bidi", "app", "--shape", "off"]

    def read(text: str) -> str:
        arguments = ["--config", str(tui.config), *modes, "read", "-", "--width", "24"]
        result = CliRunner().invoke(main, arguments, input=text)
        assert result.exit_code == 0, result.output
        return result.output

    assert read("abc\n") == "abc\n"
    assert read("") == ""
    arabic = "قال المتحدث (CNN) إن الاجتماع انتهى"
    expected = [line.rjust(24).rstrip() for line in layout_paragraph(arabic, 24)]
    assert read(f"{arabic}\n\nabc").splitlines() == [*expected, "", "abc"]


def test_feeds_edit_changes_a_subscription_and_its_stored_articles(
    server: FeedServer, tui: Tui
) -> None:
    server.routes["/a.xml"] = Response(body=rss(range(1, 4)))
    tui.config.write_text(
        f'# mine\n[[feed]]\nurl = "{server.url("/a.xml")}"  # the morning paper\n',
        encoding="utf-8",
    )
    tui("refresh")
    edited = tui("feeds", "edit", server.url("/a.xml"), "--section", "منوعات", "--title", "الصباح")
    assert edited.exit_code == 0, edited.output
    text = tui.config.read_text(encoding="utf-8")
    assert "# mine" in text and "# the morning paper" in text
    assert {a["section"] for a in json.loads(tui("articles", "--json").output)} == {"منوعات"}
    assert "الصباح" in tui("feeds", "list").output
    tui("feeds", "edit", server.url("/a.xml"), "--section", "")
    assert {a["section"] for a in json.loads(tui("articles", "--json").output)} == {"سياسة"}
    assert tui("feeds", "edit", server.url("/a.xml")).exit_code == 2
    assert tui("feeds", "edit", "https://elsewhere.example/f", "--title", "x").exit_code == 2


def test_feeds_are_named_by_their_configured_url_before_the_one_they_moved_to(
    server: FeedServer, tui: Tui
) -> None:
    server.routes["/a.xml"] = redirect(server.url("/b.xml"), status=301)
    server.routes["/b.xml"] = Response(body=rss(range(1, 3)))
    a, b = server.url("/a.xml"), server.url("/b.xml")
    tui("feeds", "add", a)
    tui("feeds", "add", b)
    tui("refresh")  # a now lives at b's URL too
    assert f"(configured as {a})" in tui("feeds", "list").output
    assert tui("feeds", "edit", b, "--title", "Edited B").exit_code == 0
    tables = tui.config.read_text(encoding="utf-8").split("[[feed]]")
    assert "Edited B" in tables[-1] and "Edited B" not in tables[-2]
    spelled = b.replace("http://", "HTTP://")
    assert tui("feeds", "remove", spelled).exit_code == 0
    assert [f["config_url"] for f in json.loads(tui("feeds", "list", "--json").output)] == [a]
    tui("feeds", "add", b)
    server.routes["/c.xml"] = redirect(server.url("/b.xml"), status=308)
    tui("feeds", "add", server.url("/c.xml"))
    tui("refresh")
    tui("feeds", "remove", b)  # a and c both moved to b: b alone names neither
    ambiguous = tui("feeds", "edit", b, "--title", "x")
    assert ambiguous.exit_code == 2 and "several feeds moved" in ambiguous.output


def test_a_url_a_feed_moved_to_or_an_encoded_spelling_is_no_new_subscription(
    server: FeedServer, tui: Tui
) -> None:
    server.routes["/old.xml"] = redirect(server.url("/new.xml"), status=301)
    server.routes["/new.xml"] = Response(body=rss(range(1, 3)))
    tui("feeds", "add", server.url("/old.xml"))
    tui("refresh")
    again = tui("feeds", "add", server.url("/new.xml"))
    assert again.output.startswith("already subscribed")
    assert "moved" in again.output
    arabic = server.url("/أخبار.xml")
    tui("feeds", "add", arabic)
    encoded = server.url("/%d8%a3%d8%ae%d8%a8%d8%a7%d8%b1.xml")
    assert tui("feeds", "add", encoded).output.startswith("already subscribed")
    assert len(json.loads(tui("feeds", "list", "--json").output)) == 2


def test_feeds_list_says_why_a_feed_failed_even_without_an_http_status(tui: Tui) -> None:
    tui("feeds", "add", "http://127.0.0.1:9/feed.xml")  # nothing listens on port 9
    tui("feeds", "add", "http://127.0.0.1:9/other.xml")
    assert "not fetched yet" in tui("feeds", "list").output
    assert tui("refresh").exit_code == 1
    listed = tui("feeds", "list").output
    assert "not fetched yet" not in listed and "connection refused" in listed
