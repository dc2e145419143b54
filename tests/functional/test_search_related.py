"""Search and related articles on the labelled demo corpus, stored through the real pipeline."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest

from tuireader.core.config import Config
from tuireader.core.refresh import refresh
from tuireader.core.search import search
from tuireader.core.similar import TermStats, related_articles
from tuireader.core.store import Store
from tuireader.demo.server import DemoSite


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[int, Any]]]:
    """The demo corpus in a store, with each article's label (by stored id)."""
    database = tmp_path_factory.mktemp("demo") / "tuireader.db"
    labels = json.loads(
        (resources.files("tuireader.demo") / "site" / "labels.json").read_text(encoding="utf-8")
    )["articles"]
    with DemoSite() as site:
        asyncio.run(refresh(database, Config(feeds=tuple(site.feeds()))))
        base = site.base
    store = Store(database)
    by_id = {}
    for row in store.articles(limit=1000):
        article = store.article(row.id)
        assert article is not None and article.guid is not None
        by_id[row.id] = labels[article.guid.replace(base, "{{BASE}}")]
    yield store, by_id
    store.close()


def titles(rows: list[Any]) -> list[str]:
    return [row.title for row in rows]


def test_every_demo_article_is_labelled(demo: tuple[Store, dict[int, Any]]) -> None:
    store, labels = demo
    assert store.count() == len(labels) >= 60


@pytest.mark.parametrize("query", ["مغرب", "المغرب", "الْمَغْرِبُ", "بالمغرب"])
def test_vocalised_and_prefixed_forms_find_the_same(
    demo: tuple[Store, dict[int, Any]], query: str
) -> None:
    store, _ = demo
    expected = {row.id for row in search(store, "المغرب", prefix=False)}
    assert expected
    assert {row.id for row in search(store, query, prefix=False)} == expected


def test_search_ranks_titles_first_and_takes_prefixes(demo: tuple[Store, dict[int, Any]]) -> None:
    store, _ = demo
    summit = search(store, "قمة مراكش", prefix=False)
    assert summit and "مراكش" in summit[0].title
    typing = search(store, "مراك")  # half a word, as typed live
    assert any("مراكش" in t for t in titles(typing))
    assert any("Kestrel" in t for t in titles(search(store, "kestr")))
    assert search(store, '" * ( - ^ : )', prefix=True) == []
    # FTS5 operators typed by a user are plain words, never syntax.
    near = search(store, '" OR * NEAR( -', prefix=True)
    assert [row.title for row in near] == [
        row.title for row in search(store, "or near", prefix=True)
    ]


def test_search_in_one_section(demo: tuple[Store, dict[int, Any]]) -> None:
    store, _ = demo
    sections = {s.name: s.key for s in store.sections()}
    rows = search(store, "Atlas", section_key=sections["Technology"], prefix=False)
    assert rows and all(row.section == "Technology" for row in rows)


def test_related_puts_the_same_story_first(demo: tuple[Store, dict[int, Any]]) -> None:
    store, labels = demo
    stats = TermStats()
    checked, misses = 0, []
    english = {i for i, label in labels.items() if label["source"] == "dispatch"}
    for article_id, label in labels.items():
        story = label["story"]
        siblings = [
            other
            for other, other_label in labels.items()
            if other != article_id
            and other_label["story"] == story
            and (other in english) == (article_id in english)
        ]
        # Word overlap cannot link an English report to Arabic coverage of the same story.
        if story is None or not siblings:
            continue
        entries = related_articles(store, article_id, stats=stats)
        assert article_id not in [e.row.id for e in entries]
        first = entries[0] if entries else None
        shown = [first.row.id, *[row.id for row in first.also]] if first else []
        if not any(labels[i]["story"] == story for i in shown):
            misses.append(store.article(article_id).title)  # type: ignore[union-attr]
        checked += 1
    assert checked >= 30
    # The sidebar opens with the same story for nearly every article of a story.
    assert len(misses) / checked <= 0.1, misses


def test_same_story_entries_come_before_all_others(demo: tuple[Store, dict[int, Any]]) -> None:
    store, labels = demo
    stats = TermStats()
    english = {i for i, label in labels.items() if label["source"] == "dispatch"}
    checked, misses = 0, []
    for article_id, label in labels.items():
        story = {
            other
            for other, other_label in labels.items()
            if other != article_id
            and label["story"] is not None
            and other_label["story"] == label["story"]
            and (other in english) == (article_id in english)
        }
        if not story:
            continue
        checked += 1
        entries = related_articles(store, article_id, limit=8, stats=stats)
        same = [bool({e.row.id, *(r.id for r in e.also)} & story) for e in entries]
        if not (any(same) and all(same[: sum(same)])):
            misses.append(store.article(article_id).title)  # type: ignore[union-attr]
    assert checked >= 30
    # Known misses, both about the IMF mission, whose link to the rate cut is one phrase:
    # its own sidebar puts the budget vote first, and the banks' sidebar shows it only to
    # fill the section. See bench/related.py --show-misses.
    assert len(misses) <= 2, misses


def test_reprints_are_grouped(demo: tuple[Store, dict[int, Any]]) -> None:
    store, labels = demo
    guid_to_id = {}
    for article_id in labels:
        article = store.article(article_id)
        assert article is not None
        guid_to_id[article.guid] = article_id
    pairs = [
        (article_id, label["duplicate_of"])
        for article_id, label in labels.items()
        if label["duplicate_of"]
    ]
    assert len(pairs) >= 2
    stats = TermStats()
    for reprint, _original_guid in pairs:
        entries = related_articles(store, reprint, stats=stats)
        listed = [e.row.id for e in entries]
        # The original is the first entry: reprints are not scattered through the list.
        original = entries[0].row.id
        assert labels[original]["story"] == labels[reprint]["story"]
        assert listed.count(original) == 1


def test_related_is_deterministic(demo: tuple[Store, dict[int, Any]]) -> None:
    store, labels = demo
    some = sorted(labels)[:10]
    first = [[(e.row.id, e.also) for e in related_articles(store, i)] for i in some]
    second = [[(e.row.id, e.also) for e in related_articles(store, i)] for i in some]
    assert first == second
