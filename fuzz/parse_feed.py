"""Fuzz the feed parser: any bytes give a ParsedFeed with only safe text, or FeedParseError.

python fuzz/parse_feed.py --seconds 60 [--engine atheris|random]
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime

from harness import ROOT, check_safe, main

NOW = datetime(2026, 11, 29, tzinfo=UTC)


def load() -> Callable[[bytes], None]:
    from tuireader.core.parse import FeedParseError, parse_feed

    def target(data: bytes) -> None:
        try:
            feed = parse_feed(data, url="https://feeds.example/a/feed.xml", now=NOW)
        except FeedParseError as error:
            check_safe([error.message])
            return
        strings: list[str | None] = [feed.title, feed.warning]
        for entry in feed.entries:
            strings += [entry.title, entry.author, entry.summary, entry.content, *entry.categories]
            for url in (entry.link, entry.image):
                if url is not None and not url.startswith(("http://", "https://")):
                    raise AssertionError(f"unsafe link {url!r}")
        check_safe(strings)

    return target


def seeds() -> list[bytes]:
    folder = ROOT / "tests" / "data" / "feeds"
    return [p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in (".xml", ".json")]


if __name__ == "__main__":
    sys.exit(main("parse_feed", load, seeds()))
