"""Only http and https feed URLs are accepted anywhere; the others are reported in words, no
file is read and nothing is run."""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from tests.hostile.cli_runner import Cli, assert_clean
from tuireader.core.config import load_config

REFUSED = [
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    "exec:rm -rf ~",
    "filter:/usr/bin/id",
    "javascript:alert(1)",
    "data:application/rss+xml,<rss/>",
    "ftp://example.org/feed",
    "/etc/passwd",
    "~/.ssh/id_rsa",
    "$(touch /tmp/HXPWN)",
    "`touch /tmp/HXPWN`",
    "|touch /tmp/HXPWN",
    "http://example.org/feed; touch /tmp/HXPWN",
    "https://example.org/\x1b]0;HXTI\x07",
    "http:///no-host",
    "https://exa mple.org/",
]


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "config.toml", tmp_path / "data")


@pytest.mark.parametrize("url", REFUSED)
def test_feeds_add_refuses(cli: Cli, url: str) -> None:
    result = cli("feeds", "add", url)
    assert_clean(result, codes=(2,))
    assert "only http and https feed URLs are supported" in result.stderr
    assert load_config(cli.config).feeds == ()
    assert not Path("/tmp/HXPWN").exists()


def test_a_config_with_a_file_url_is_refused_naming_the_line(cli: Cli) -> None:
    cli.config.write_text(
        '[[feed]]\nurl = "https://ok.example/feed"\n\n[[feed]]\nurl = "file:///etc/passwd"\n',
        encoding="utf-8",
    )
    for command in (["refresh"], ["articles"], ["feeds", "list"]):
        result = cli(*command)
        assert_clean(result, codes=(2,))
        assert "line 5, key 'feed[2].url': only http and https" in result.stderr
        assert "root:" not in result.output
    if (cli.data / "tuireader.db").exists():
        assert (
            json.loads(
                assert_clean(
                    cli("--config", str(cli.data / "none.toml"), "feeds", "list", "--json")
                )
            )
            == []
        )


def test_opml_import_keeps_http_and_reports_the_rest(cli: Cli, tmp_path: Path) -> None:
    outlines = "".join(
        f'<outline text="x{n}" xmlUrl={quoteattr(url)}/>'
        for n, url in enumerate(REFUSED)
        if "\x1b" not in url
    )
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body><outline text="Folder">'
        f'<outline text="ok" xmlUrl="https://ok.example/feed"/>{outlines}'
        '<outline text="esc" xmlUrl="https://e.example/&#x1b;]0;HXTI&#x7;"/>'
        "</outline></body></opml>",
        encoding="utf-8",
    )
    result = cli("import", str(opml))
    assert_clean(result)
    assert "imported 2 feeds" in result.stdout
    assert result.stderr.count("tuireader: skipped ") >= len(REFUSED) - 3
    assert "skipped exec:rm -rf ~: only http and https" in result.stderr
    assert "skipped filter:/usr/bin/id" in result.stderr
    # The escape sequence in the last URL lost its controls: what is left is a plain http URL.
    assert [f.url for f in load_config(cli.config).feeds] == [
        "https://ok.example/feed",
        "https://e.example/]0;HXTI",
    ]
    assert not Path("/tmp/HXPWN").exists()


def test_opml_with_external_entities_reads_no_file(cli: Cli, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("HXSECRET-opml", encoding="utf-8")
    opml = tmp_path / "xxe.opml"
    opml.write_text(
        f'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY s SYSTEM "file://{secret}">]>'
        '<opml version="2.0"><body><outline text="&s;" xmlUrl="https://ok.example/&s;"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    result = cli("import", str(opml))
    assert_clean(result, codes=(0, 2))
    assert (
        "HXSECRET" not in result.output and "HXSECRET" not in cli.config.read_text(encoding="utf-8")
        if cli.config.exists()
        else True
    )
