"""Every hostile string, in every field of an RSS, an Atom and a JSON feed, through every CLI
command that prints feed text: nothing unsafe reaches the terminal, markup is shown as
written, and a good feed beside them is stored as usual."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.feedgen import rss
from tests.feedserver import FeedServer, Response
from tests.hostile.cli_runner import Cli, assert_clean
from tests.hostile.payloads import PAYLOADS, hostile_atom, hostile_json, hostile_rss

FEEDS = {
    "/hostile.rss": (hostile_rss, "application/rss+xml"),
    "/hostile.atom": (hostile_atom, "application/atom+xml"),
    "/hostile.json": (hostile_json, "application/feed+json"),
}
MARKUP = [p for p in PAYLOADS if p.literal is not None]


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cli, list[dict]]]:  # type: ignore[type-arg]
    """A data dir holding the three hostile feeds and a good one, refreshed once."""
    root = tmp_path_factory.mktemp("hostile-cli")
    cli = Cli(root / "config.toml", root / "data")
    with FeedServer() as server:
        for path, (make, kind) in FEEDS.items():
            server.routes[path] = Response(body=make(), headers={"Content-Type": kind})
        server.routes["/good.xml"] = Response(body=rss(range(1, 4), title="Good feed"))
        for path in [*FEEDS, "/good.xml"]:
            assert_clean(cli("feeds", "add", server.url(path)))
        report = json.loads(assert_clean(cli("refresh", "--json")))
        yield cli, report


def test_refresh_stores_every_feed(refreshed: tuple[Cli, list[dict]]) -> None:  # type: ignore[type-arg]
    _cli, report = refreshed
    assert {r["outcome"] for r in report} == {"ok"}, report
    news = {r["url"].rsplit("/", 1)[1]: r["new"] for r in report}
    assert news == {"hostile.rss": 20, "hostile.atom": 20, "hostile.json": 20, "good.xml": 3}


def test_plain_refresh_output_is_clean(refreshed: tuple[Cli, list[dict]]) -> None:  # type: ignore[type-arg]
    cli, _ = refreshed
    assert "4 feeds refreshed" in assert_clean(cli("refresh"))


def test_articles_lists_every_payload_safely(refreshed: tuple[Cli, list[dict]]) -> None:  # type: ignore[type-arg]
    cli, _ = refreshed
    out = assert_clean(cli("articles", "--limit", "1000"))
    for payload in PAYLOADS:
        assert out.count(payload.marker) >= 3, payload.id
    for payload in MARKUP:
        assert out.count(str(payload.literal)) >= 3, payload.id


def test_articles_json_is_clean_and_literal(refreshed: tuple[Cli, list[dict]]) -> None:  # type: ignore[type-arg]
    cli, _ = refreshed
    rows = json.loads(assert_clean(cli("articles", "--json", "--limit", "1000")))
    assert len(rows) == 63
    titles = [r["title"] for r in rows]
    for payload in MARKUP:
        assert sum(t == f"{payload.marker} {payload.literal}" for t in titles) == 3, payload.id
    text = json.dumps(rows, ensure_ascii=False)
    assert "\\u001b" not in text and "\\u009b" not in text and "\\u0007" not in text


def test_sections_and_overview_are_clean(refreshed: tuple[Cli, list[dict]]) -> None:  # type: ignore[type-arg]
    cli, _ = refreshed
    overview = assert_clean(cli())
    assert "63 articles" in overview
    assert "[bold red]HXMS[/]" in overview  # a category named in markup, shown as written


def test_feeds_list_is_clean(refreshed: tuple[Cli, list[dict]]) -> None:  # type: ignore[type-arg]
    cli, _ = refreshed
    listed = assert_clean(cli("feeds", "list"))
    assert listed.count("HXFT") == 3 and "Good feed" in listed
    as_json = json.loads(assert_clean(cli("feeds", "list", "--json")))
    assert all("\x1b" not in f["title"] for f in as_json)


def test_read_every_article_at_several_widths(refreshed: tuple[Cli, list[dict]]) -> None:  # type: ignore[type-arg]
    cli, _ = refreshed
    rows = json.loads(assert_clean(cli("articles", "--json", "--limit", "1000")))
    for row in rows:
        for width in ("1", "37", "300"):
            out = assert_clean(cli("read", str(row["id"]), "--width", width))
            assert out.strip(), row["title"]
    markup = next(r for r in rows if r["title"].startswith("HXMC"))
    assert "[@click=app.quit]HXMC[/]" in assert_clean(
        cli("read", str(markup["id"]), "--width", "100")
    )


def test_read_from_standard_input(refreshed: tuple[Cli, list[dict]]) -> None:  # type: ignore[type-arg]
    cli, _ = refreshed
    text = "\n".join(p.text for p in PAYLOADS)
    for bidi in ("app", "terminal", "off"):
        result = Cli(cli.config, cli.data)("--bidi", bidi, "read", "-", "--width", "60", input=text)
        assert_clean(result)


@pytest.mark.parametrize("payload", PAYLOADS, ids=[p.id for p in PAYLOADS])
def test_search_for_each_marker(refreshed: tuple[Cli, list[dict]], payload) -> None:  # type: ignore[no-untyped-def, type-arg]
    cli, _ = refreshed
    out = assert_clean(cli("search", payload.marker))
    assert payload.marker in out or payload.id in ("zero-width",), out
    assert_clean(cli("search", "--json", payload.text[:80] or "x"), codes=(0, 2))


def test_related_of_hostile_articles(refreshed: tuple[Cli, list[dict]]) -> None:  # type: ignore[type-arg]
    cli, _ = refreshed
    rows = json.loads(assert_clean(cli("articles", "--json", "--limit", "1000")))
    for row in rows[::3]:
        assert_clean(cli("related", str(row["id"])))
        related = json.loads(assert_clean(cli("related", "--json", str(row["id"]))))
        assert all(r["id"] != row["id"] for r in related)


def test_export_escapes_hostile_titles(refreshed: tuple[Cli, list[dict]]) -> None:  # type: ignore[type-arg]
    cli, _ = refreshed
    exported = assert_clean(cli("export"))
    assert exported.count("<outline") >= 4
