"""The real app under Pilot, against a real local feed server and a temporary database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.feedgen import rss, rss_item
from tests.feedserver import FeedServer, Response
from tuireader.core.config import Config, FeedConfig, FetchConfig
from tuireader.tui.app import AppSettings, TuiReader

ENGLISH_ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>World Wire</title>
  <id>tag:wire.example,2026:feed</id>
  <updated>2026-11-20T10:00:00Z</updated>
  <entry>
    <title>[Breaking] Markets rally as a [/b rates fall</title>
    <id>tag:wire.example,2026:1</id>
    <link href="https://wire.example/1"/>
    <updated>2026-11-20T09:30:00Z</updated>
    <category term="Business"/>
    <content type="html">&lt;p&gt;Stocks rose on &lt;b&gt;Friday&lt;/b&gt;.&lt;/p&gt;</content>
  </entry>
</feed>
"""


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        s.routes["/ar.xml"] = Response(
            body=rss(
                [
                    rss_item(1, title="المغرب وكازاخستان.. تحالف استراتيجي (OPEC+)"),
                    rss_item(2, title="قمة مراكش تبحث تمويل مشاريع الماء", category="اقتصاد"),
                    rss_item(3, title="\x1b]8;;file:///etc/passwd\x07خبر\x1b]8;;\x07 [bold]مهم[/]"),
                    *[rss_item(n) for n in range(4, 30)],
                ]
            )
        )
        s.routes["/en.atom"] = Response(body=ENGLISH_ATOM)
        s.routes["/broken.xml"] = Response(status=500)
        yield s


def make_app(
    server: FeedServer, tmp_path: Path, *, broken: bool = False, **extra: object
) -> TuiReader:
    urls = [server.url("/ar.xml"), server.url("/en.atom")]
    if broken:
        urls.append(server.url("/broken.xml"))
    return reader_app(urls, tmp_path, **extra)


def reader_app(urls: list[str], tmp_path: Path, **extra: object) -> TuiReader:
    """The reader on these feeds, a temporary database, app mode, English."""
    config = Config(
        feeds=tuple(FeedConfig(u) for u in urls), fetch=FetchConfig(deadline=5, timeout=2)
    )
    settings = AppSettings(
        database=tmp_path / "tuireader.db",
        config=config,
        config_file=tmp_path / "config.toml",
        bidi="app",
        shape=False,
        language="en",
        **extra,  # type: ignore[arg-type]
    )
    return TuiReader(settings)
