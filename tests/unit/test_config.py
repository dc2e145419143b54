from pathlib import Path

import pytest

from tuireader.core.config import (
    ConfigError,
    FeedConfig,
    add_feeds,
    edit_feed,
    load_config,
    parse_config,
    remove_feed,
    set_ui_option,
)
from tuireader.core.models import Direction, FullText


def test_missing_file_is_empty_config(tmp_path: Path) -> None:
    config = load_config(tmp_path / "none.toml")
    assert config.feeds == ()
    assert config.fetch.concurrency == 16
    assert config.fetch.per_host == 4
    assert config.fetch.deadline == 20.0
    assert config.ui.bidi == "auto"


def test_full_config_is_read(tmp_path: Path) -> None:
    text = """
[fetch]
refresh_interval = 30
concurrency = 8
per_host = 2
timeout = 5
deadline = 12.5
max_size_mb = 5

[ui]
bidi = "app"
shape = "off"
language = "ar"
theme = "tuireader-light"

[keys]
refresh = "R"

[[feed]]
url = "https://example.org/feed"
title = "مثال"
section = "سياسة"
direction = "rtl"
full_text = "always"

[[feed]]
url = "http://example.com/atom.xml"
"""
    config = parse_config(text, tmp_path / "c.toml")
    assert config.fetch.refresh_interval == 30
    assert config.fetch.deadline == 12.5
    assert config.ui.language == "ar"
    assert config.keys == {"refresh": "R"}
    assert config.feeds[0] == FeedConfig(
        "https://example.org/feed", "مثال", "سياسة", Direction.RTL, FullText.ALWAYS
    )
    assert config.feeds[1].direction is Direction.AUTO


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[ui]\nbidi = 'sideways'\n", "line 2, key 'ui.bidi': must be one of auto, app"),
        ("[fetch]\n\nconcurrency = 0\n", "line 3, key 'fetch.concurrency'"),
        ("[fetch]\ntimeout = 'soon'\n", "line 2, key 'fetch.timeout'"),
        (
            "[[feed]]\nurl = 'https://a.example/f'\n[[feed]]\nurl = 'https://b.example'\n"
            "direction = 'up'\n",
            "line 5, key 'feed[2].direction': must be one of auto, rtl, ltr",
        ),
        ("[[feed]]\nurl = 'file:///etc/passwd'\n", "line 2, key 'feed[1].url': only http"),
        ("[[feed]]\ntitle = 'no url'\n", "key 'feed[1].url': every feed needs a url"),
        ("colour = 'red'\n", "line 1, key 'colour': unknown setting"),
        ("[ui\nbidi = 'app'\n", "line 1"),
        (
            "[[feed]]\nurl = 'https://a.example/f'\n\n[[feed]]  # news\n"
            "url = 'https://b.example'\ndirection = 'up'\n",
            "line 6, key 'feed[2].direction'",
        ),
        ("# setup\nfetch = { timeout = 0 }\n", "line 2, key 'fetch.timeout'"),
        ("fetch.concurrency = 0\n", "line 1, key 'fetch.concurrency'"),
        ("[ fetch ]  # mine\nper_host = 0\n", "line 2, key 'fetch.per_host'"),
        ("[fetch]\n# timeout = 10  # seconds\ntimeout = 0\n", "line 3, key 'fetch.timeout'"),
        ("[keys]\nrefrsh = 'R'\n", "line 2, key 'keys.refrsh': no such key binding (ids: back"),
        ("[keys]\nrefresh = ' '\n", "line 2, key 'keys.refresh': must name a key"),
    ],
)
def test_errors_name_file_line_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(str(path))
    assert expected in str(error.value)


def test_editing_keeps_comments_and_never_touches_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "# my feeds\n[ui]\nbidi = 'app'  # my terminal does nothing\n\n"
        "[[feed]]\n# the one I read first\nurl = 'https://a.example/feed'\n",
        encoding="utf-8",
    )
    added = add_feeds(
        path,
        [
            FeedConfig("https://a.example/feed"),
            FeedConfig("https://b.example/rss", section="اقتصاد", full_text=FullText.NEVER),
        ],
    )
    assert [f.url for f in added] == ["https://b.example/rss"]
    text = path.read_text(encoding="utf-8")
    assert "# my feeds" in text
    assert "# my terminal does nothing" in text
    assert "# the one I read first" in text
    config = load_config(path)
    assert [f.url for f in config.feeds] == ["https://a.example/feed", "https://b.example/rss"]
    assert config.feeds[1].section == "اقتصاد"
    assert config.feeds[1].full_text is FullText.NEVER

    assert remove_feed(path, "https://a.example/feed")
    assert not remove_feed(path, "https://a.example/feed")
    assert "# my feeds" in path.read_text(encoding="utf-8")
    assert [f.url for f in load_config(path).feeds] == ["https://b.example/rss"]

    set_ui_option(path, "bidi", "terminal")
    assert load_config(path).ui.bidi == "terminal"

    path.write_text("[ui\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        add_feeds(path, [FeedConfig("https://c.example/feed")])
    assert path.read_text(encoding="utf-8") == "[ui\n"


COMMENTED = """\
# my subscriptions

# English wire
[[feed]]
url = "https://a.example/atom.xml"
title = "Wire"  # short name

# Arabic news: keep this one
[[feed]]
# read every morning
url = "https://b.example/rss.xml"

[ui]
bidi = "app"

# the end
"""


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://a.example/atom.xml",
            "# my subscriptions\n\n# Arabic news: keep this one\n[[feed]]\n# read every morning"
            '\nurl = "https://b.example/rss.xml"\n\n[ui]\nbidi = "app"\n\n# the end\n',
        ),
        (
            "https://b.example/rss.xml",
            '# my subscriptions\n\n# English wire\n[[feed]]\nurl = "https://a.example/atom.xml"'
            '\ntitle = "Wire"  # short name\n\n[ui]\nbidi = "app"\n\n# the end\n',
        ),
    ],
)
def test_removing_a_feed_takes_its_own_comments_and_leaves_the_others(
    tmp_path: Path, url: str, expected: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    assert remove_feed(path, url)
    assert path.read_text(encoding="utf-8") == expected


def test_editing_a_feed_writes_its_settings_among_its_own_lines(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[[feed]]\nurl = "https://a.example/f"\ntitle = "Old"  # mine\n\n'
        '# About B: my favourite\n[[feed]]\nurl = "https://b.example/f"\n',
        encoding="utf-8",
    )
    assert edit_feed(path, "https://a.example/f", {"title": "T", "section": "S"})
    assert path.read_text(encoding="utf-8") == (
        '[[feed]]\nurl = "https://a.example/f"\ntitle = "T"  # mine\nsection = "S"\n\n'
        '# About B: my favourite\n[[feed]]\nurl = "https://b.example/f"\n'
    )
    assert edit_feed(path, "https://a.example/f", {"title": ""})
    assert load_config(path).feeds[0].title is None
    assert not edit_feed(path, "https://c.example/f", {"title": "x"})
    with pytest.raises(ConfigError):
        edit_feed(path, "https://a.example/f", {"direction": "up"})


def test_removing_a_feed_keeps_a_free_standing_comment_after_it(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[[feed]]\nurl = "https://a.example/f"\n\n# Feeds below were added by tuireader\n\n'
        '[[feed]]\nurl = "https://c.example/f"\n',
        encoding="utf-8",
    )
    assert remove_feed(path, "https://a.example/f")
    assert path.read_text(encoding="utf-8") == (
        '# Feeds below were added by tuireader\n\n[[feed]]\nurl = "https://c.example/f"\n'
    )


def test_removing_the_last_feed_keeps_the_comments_after_it(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[[feed]]\nurl = "https://a.example/f"\n\n# Arabic\n[[feed]]\nurl = "https://b.example/f"'
        "\n\n# more to add later\n",
        encoding="utf-8",
    )
    assert remove_feed(path, "https://b.example/f")
    assert path.read_text(encoding="utf-8") == (
        '[[feed]]\nurl = "https://a.example/f"\n\n# more to add later\n'
    )


def test_a_layout_the_lines_do_not_show_is_edited_through_tomlkit(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    # An inline array of tables: no [[feed]] header line to cut at.
    path.write_text(
        'feed = [{url = "https://a.example/f"}, {url = "https://b.example/f"}]  # two\n',
        encoding="utf-8",
    )
    assert remove_feed(path, "https://a.example/f")
    assert [f.url for f in load_config(path).feeds] == ["https://b.example/f"]
    assert "# two" in path.read_text(encoding="utf-8")


def test_added_feeds_go_at_the_end_after_a_blank_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[ui]\nbidi = "app"  # mine', encoding="utf-8")
    add_feeds(path, [FeedConfig("https://a.example/f", title='say "hi"\\')])
    add_feeds(path, [FeedConfig("https://b.example/f", section="سياسة")])
    assert path.read_text(encoding="utf-8") == (
        '[ui]\nbidi = "app"  # mine\n\n[[feed]]\nurl = "https://a.example/f"\n'
        'title = "say \\"hi\\"\\\\"\n\n[[feed]]\nurl = "https://b.example/f"\nsection = "سياسة"\n'
    )
    assert load_config(path).feeds[0].title == 'say "hi"\\'
    path.write_text('feed = [{url = "https://a.example/f"}]\n', encoding="utf-8")
    add_feeds(path, [FeedConfig("https://b.example/f")])
    assert [f.url for f in load_config(path).feeds] == [
        "https://a.example/f",
        "https://b.example/f",
    ]


def test_first_edit_writes_the_commented_template(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    add_feeds(path, [FeedConfig("https://a.example/feed")])
    text = path.read_text(encoding="utf-8")
    assert "# refresh_interval = 60" in text
    assert load_config(path).feeds[0].url == "https://a.example/feed"


def test_spellings_of_one_feed_url_are_one_subscription(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    spellings = [
        "https://news.example/feed.xml",
        "HTTPS://News.Example/feed.xml",
        "https://news.example:443/feed.xml#latest",
    ]
    added = add_feeds(path, [FeedConfig(url) for url in spellings])
    assert [f.url for f in added] == spellings[:1]
    others = ["http://news.example/feed.xml", "https://news.example/Feed.xml"]
    assert [f.url for f in add_feeds(path, [FeedConfig(url) for url in others])] == others


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("HTTP://Example.ORG:80/a?b=1#top", "http://example.org/a?b=1"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org:8443/f", "https://example.org:8443/f"),
        ("https://user:pw@Example.org/f", "https://user:pw@example.org/f"),
        ("http://[::1]:8080/f", "http://[::1]:8080/f"),
        ("https://a.example/أخبار.xml", "https://a.example/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1.xml"),
        (
            "https://a.example/%d8%a3%d8%ae%d8%a8%d8%a7%d8%b1.xml",
            "https://a.example/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1.xml",
        ),
        ("https://a.example/f?q=a%20b&x=1", "https://a.example/f?q=a%20b&x=1"),
        ("https://a.example/a%2fb?x=%26", "https://a.example/a%2Fb?x=%26"),
    ],
)
def test_same_feed_key(url: str, key: str) -> None:
    from tuireader.core.urls import same_feed_key

    assert same_feed_key(url) == key
