"""Related articles: quality on the labelled demo corpus; related, search and indexing speed.

Run from the repository root:

    PYTHONPATH=src python3 bench/related.py [--articles 50000] [--seed 2026] [--rebuild]
        [--profile] [--quality-only | --speed-only] [--show-misses]

Quality. The demo site (``src/tuireader/demo/site``, 66 original articles in 7 topics with 9
story clusters and 2 reprint pairs, labelled in ``labels.json``) is served on loopback and
stored through the real pipeline (``core.refresh.refresh``: fetch, parse, store, full text of
the summary-only feed); each stored article is mapped back to its label by guid. For every
article the sidebar is ``related_articles(store, id)`` (8 entries at most; an entry is an
article with its reprints in ``also``). An entry *shows* its article and its ``also``.

- precision@5 (same topic): for each article with at least 5 other articles of its topic,
  the share of its first 5 entries that show an article of its topic (a missing entry counts
  as not relevant); averaged over those articles. For an article with k < 5 other articles of
  its topic, precision@k over its first k entries instead, printed on its own line.
  Target: precision@5 >= 0.8.
- MRR (same story): for each article of a story cluster, 1 / the rank of the first entry that
  shows an article of the same story (0 when none does); averaged.
- same-story first: the share of story articles whose sidebar shows at least one same-story
  article and whose same-story entries all come before every other entry. Target: 100%.
- same-story recall@8: for each story article, the share of the other articles of its story
  shown anywhere in its sidebar; averaged. "Complete and first" counts the sidebars that show
  every other article of the story, before every other entry. The same four figures are
  printed again counting only the same-language articles of a story (across languages only
  amounts and Latin names in the Arabic text link two reports: the "anchors" of
  ``core.related``); entries that show only other-language articles of the story are then
  left out of the order.
- ``same_story`` flag: of the entries flagged same-story, the share that show a same-story
  article (precision), and of the entries that show one, the share flagged (recall).
- near-duplicates: for each labelled reprint pair (a, b), whether a's sidebar shows b in its
  first entry and b's shows a ("reprint first"), and over all sidebars that show both,
  whether they are in one entry ("grouped").

``--show-misses`` prints every sidebar that fails a same-story or reprint check.

Speed. A store of N synthetic articles (``bench/_corpus.py``: demo sentences recombined with
invented names and numbers, 150-400 words, about 200 feeds, mostly Arabic, some English,
seeded) is built through ``Store.sync_feeds`` + ``Store.store_feed`` in feed documents of 50
entries: "indexing" is the time spent in those calls (storing and indexing; generating the
articles is timed apart). The database is cached in the temporary directory, keyed by N and
the seed (``--rebuild`` builds it again); a cached run prints the indexing figure measured
when it was built. Then:

- related: ``related_articles`` for 200 articles drawn at random (seeded). The first call,
  with a fresh ``TermStats`` (it reads the document frequencies of the whole index), is
  timed apart; the 200 share one ``TermStats`` as the reader does. Median and p95.
  Target at N = 50,000: median <= 30 ms.
- same story at scale: each synthetic article belongs to a synthetic story (about 4
  articles: the same seed article, people, place and numbers); the story of every stored
  article is recovered by replaying ``_corpus``'s draws from its link (checked against the
  stored categories). Over the 200 sidebars: the share of the other articles of the story
  shown (recall@8), the share of sidebars showing the story with all its entries before
  the others ("first"), the share of entries showing the story that are flagged
  ``same_story`` and of flagged entries that show it, and the flagged entries whose title is
  in the other script (each synthetic story is in one language: such a flag is a false
  anchor match unless it shows the story). A guard that speed is not bought with quality;
  no target. Stories of one seed article share half their sentences, so another
  story of the same seed often looks like the same story: a limit of the corpus.
- search: 200 queries of 1-3 content words taken from one demo sentence (so that they occur
  together; 3 Arabic for 1 English), each run as typed in full with ``prefix=False`` and, with
  its last word cut short (as while typing), with ``prefix=True``: 400 searches (limit 100).
  Median and p95. Target: median <= 20 ms.
- indexing: target at N = 50,000: at most 60 s.

Timings are wall clock and CPU time of the process: on a shared machine the CPU time shows
the code's own cost while other processes compete for the cores (the load average is
printed). Targets are judged on both; the exit status is 1 when one is missed by wall clock
(or when a quality target is missed). ``--profile`` then profiles the related and search
loops (cProfile) and prints where a call spends its time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import math
import os
import pstats
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import asdict, dataclass
from functools import partial
from importlib import resources
from pathlib import Path
from typing import TypeVar

import _corpus
from tuireader.core.config import Config
from tuireader.core.refresh import refresh
from tuireader.core.search import search
from tuireader.core.similar import RelatedEntry, TermStats, related_articles
from tuireader.core.store import Store
from tuireader.demo.server import DemoSite

CORPUS_VERSION = 3  # bump when bench/_corpus.py changes what it generates
SIDEBAR = 8
PRECISION_AT = 5
SAMPLES = 200
TARGET_PRECISION = 0.8
TARGET_RELATED_MS = 30.0
TARGET_SEARCH_MS = 20.0
TARGET_INDEX_SECONDS = 60.0
TARGET_SIZE = 50_000  # the speed targets are set for this many articles
T = TypeVar("T")


# --- output ------------------------------------------------------------------------------------


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain text table, first column left-aligned, the others right-aligned."""
    cells = [[str(c) for c in headers], *[[_cell(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        first, *rest = row
        return "  ".join(
            [first.ljust(widths[0]), *(c.rjust(w) for c, w in zip(rest, widths[1:], strict=True))]
        )

    print(f"\n{title}")
    print(line(cells[0]))
    print("  ".join("-" * w for w in widths))
    for row in cells[1:]:
        print(line(row))


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


# --- the labelled demo -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Label:
    """What labels.json says of one article."""

    guid: str
    language: str  # "ar" or "en"
    topic: str
    story: str | None
    duplicate_of: str | None


def load_demo(database: Path) -> dict[int, Label]:
    """Store the demo site in ``database`` through the real refresh; labels by stored id."""
    raw = json.loads(
        (resources.files("tuireader.demo") / "site" / "labels.json").read_text(encoding="utf-8")
    )["articles"]
    with DemoSite() as site:
        report = asyncio.run(refresh(database, Config(feeds=tuple(site.feeds()))))
        base = site.base
    if report.failed:
        raise SystemExit(f"the demo refresh failed: {[f.error for f in report.failed]}")
    labels: dict[int, Label] = {}
    with Store(database) as store:
        for row in store.articles(limit=10_000):
            article = store.article(row.id)
            guid = (article.guid or "") if article else ""
            guid = guid.replace(base, "{{BASE}}")
            if guid not in raw:
                raise SystemExit(f"stored article without a label: {guid!r}")
            entry = raw[guid]
            language = "en" if entry["source"] == "dispatch" else "ar"
            labels[row.id] = Label(
                guid, language, entry["topic"], entry["story"], entry["duplicate_of"]
            )
    if len(labels) != len(raw):
        raise SystemExit(f"{len(raw)} labelled articles, {len(labels)} stored")
    return labels


def shown(entry: RelatedEntry) -> list[int]:
    """The articles an entry shows: its own and its reprints."""
    return [entry.row.id, *(row.id for row in entry.also)]


@dataclass(frozen=True, slots=True)
class TopicPrecision:
    """precision@k (same topic) of one topic's articles; ``k`` < 5 only for small topics."""

    topic: str
    k: int
    articles: int
    strict: float  # relevant entries among the first k / k
    of_shown: float  # relevant entries among the first k / entries shown there (at most k)
    entries: float  # mean sidebar length


@dataclass(frozen=True, slots=True)
class StoryFigures:
    """Same-story figures over the articles of the story clusters."""

    articles: int
    mrr: float
    first: float
    recall: float
    complete_and_first: float


@dataclass(frozen=True, slots=True)
class Quality:
    """The quality figures (see the module docstring)."""

    topics: list[TopicPrecision]
    story: StoryFigures
    story_same_language: StoryFigures
    flag_precision: float
    flag_recall: float
    reprint_first: tuple[int, int]  # (passed, checked)
    grouped: tuple[int, int]
    misses: list[tuple[int, str]]  # (article id, what went wrong)

    def precision(self, k: int = PRECISION_AT) -> tuple[float, float, int]:
        """(strict, of shown) precision@k over the articles of every topic with this k, and
        how many articles that is."""
        chosen = [t for t in self.topics if t.k == k]
        count = sum(t.articles for t in chosen)
        if not count:
            return 0.0, 0.0, 0
        strict = sum(t.strict * t.articles for t in chosen) / count
        of_shown = sum(t.of_shown * t.articles for t in chosen) / count
        return strict, of_shown, count


def _relevant(entry: RelatedEntry, wanted: set[int]) -> bool:
    return any(i in wanted for i in shown(entry))


def topic_precision(
    labels: dict[int, Label], sidebars: dict[int, list[RelatedEntry]]
) -> list[TopicPrecision]:
    """precision@5 (or @k for topics with k < 5 other articles) per topic."""
    found = []
    for topic in sorted({label.topic for label in labels.values()}):
        members = {i for i, label in labels.items() if label.topic == topic}
        k = min(PRECISION_AT, len(members) - 1)
        if k == 0:
            continue
        strict, of_shown, lengths = [], [], []
        for article_id in sorted(members):
            top = sidebars[article_id][:k]
            hits = sum(_relevant(entry, members - {article_id}) for entry in top)
            strict.append(hits / k)
            of_shown.append(hits / len(top) if top else 0.0)
            lengths.append(len(sidebars[article_id]))
        found.append(
            TopicPrecision(
                topic,
                k,
                len(members),
                statistics.fmean(strict),
                statistics.fmean(of_shown),
                statistics.fmean(lengths),
            )
        )
    return found


def story_figures(
    labels: dict[int, Label],
    sidebars: dict[int, list[RelatedEntry]],
    *,
    same_language: bool = False,
    misses: list[tuple[int, str]] | None = None,
) -> StoryFigures:
    """Same-story MRR, first, recall and complete-and-first. With ``same_language``, only
    articles in the target's language count as its story (the ranking does not translate)."""
    reciprocal: list[float] = []
    first: list[bool] = []
    recall: list[float] = []
    complete: list[bool] = []
    for article_id, label in labels.items():
        whole = {
            i
            for i, other in labels.items()
            if label.story is not None and other.story == label.story and i != article_id
        }
        story = {i for i in whole if not same_language or labels[i].language == label.language}
        if not story:
            continue
        # Entries showing only other-language articles of the story are left out of the order.
        entries = [
            e for e in sidebars[article_id] if _relevant(e, story) or not _relevant(e, whole)
        ]
        same = [_relevant(entry, story) for entry in entries]
        rank = same.index(True) + 1 if True in same else 0
        in_front = rank > 0 and all(same[: sum(same)])
        listed = story & {i for entry in entries for i in shown(entry)}
        reciprocal.append(1 / rank if rank else 0.0)
        first.append(in_front)
        recall.append(len(listed) / len(story))
        complete.append(in_front and listed == story)
        if misses is not None and not (in_front and listed == story):
            what = f"story {label.story}: first at rank {rank}, {len(listed)}/{len(story)} shown"
            misses.append((article_id, what + ("" if in_front else ", not all first")))
    return StoryFigures(
        len(reciprocal),
        statistics.fmean(reciprocal) if reciprocal else 0.0,
        statistics.fmean(first) if first else 0.0,
        statistics.fmean(recall) if recall else 0.0,
        statistics.fmean(complete) if complete else 0.0,
    )


def flag_figures(
    labels: dict[int, Label], sidebars: dict[int, list[RelatedEntry]]
) -> tuple[float, float]:
    """(precision, recall) of the ``same_story`` flag against the labels."""
    flagged = flagged_right = showing = 0
    for article_id, label in labels.items():
        story = {i for i, other in labels.items() if label.story and other.story == label.story}
        for entry in sidebars[article_id]:
            right = _relevant(entry, story - {article_id})
            flagged += entry.same_story
            flagged_right += entry.same_story and right
            showing += right
    recall = flagged_right / showing if showing else 0.0
    return (flagged_right / flagged if flagged else 0.0), recall


def reprint_figures(
    labels: dict[int, Label],
    sidebars: dict[int, list[RelatedEntry]],
    misses: list[tuple[int, str]],
) -> tuple[tuple[int, int], tuple[int, int]]:
    """((reprint first, checked), (grouped, sidebars showing both)) for the labelled pairs."""
    by_guid = {label.guid: i for i, label in labels.items()}
    pairs = [(i, by_guid[lab.duplicate_of]) for i, lab in labels.items() if lab.duplicate_of]
    first = grouped = both = 0
    for a, b in pairs:
        for target, other in ((a, b), (b, a)):
            entries = sidebars[target]
            if entries and other in shown(entries[0]):
                first += 1
            else:
                misses.append((target, f"its reprint #{other} is not the first entry"))
        for target, entries in sidebars.items():
            groups = [set(shown(entry)) for entry in entries]
            if target in (a, b) or not all(any(i in g for g in groups) for i in (a, b)):
                continue
            both += 1
            if any({a, b} <= g for g in groups):
                grouped += 1
            else:
                misses.append((target, f"the reprints #{a} and #{b} are separate entries"))
    return (first, 2 * len(pairs)), (grouped, both)


def evaluate(labels: dict[int, Label], sidebars: dict[int, list[RelatedEntry]]) -> Quality:
    """The quality figures of ``sidebars`` (article id -> its related entries)."""
    misses: list[tuple[int, str]] = []
    story = story_figures(labels, sidebars, misses=misses)
    flag_precision, flag_recall = flag_figures(labels, sidebars)
    reprint_first, grouped = reprint_figures(labels, sidebars, misses)
    return Quality(
        topics=topic_precision(labels, sidebars),
        story=story,
        story_same_language=story_figures(labels, sidebars, same_language=True),
        flag_precision=flag_precision,
        flag_recall=flag_recall,
        reprint_first=reprint_first,
        grouped=grouped,
        misses=misses,
    )


def print_quality(quality: Quality, labels: dict[int, Label]) -> bool:
    """Print the quality tables; whether the targets are met."""
    strict, of_shown, count = quality.precision()
    rows: list[list[object]] = [[f"precision@5, same topic ({count} articles)", strict, of_shown]]
    for k in sorted({t.k for t in quality.topics} - {PRECISION_AT}):
        k_strict, k_shown, k_count = quality.precision(k)
        rows.append(
            [f"precision@{k}, same topic ({k_count} articles, {k} available)", k_strict, k_shown]
        )
    for name, figures in (
        ("", quality.story),
        (", same language only", quality.story_same_language),
    ):
        rows += [
            [f"MRR, same story{name} ({figures.articles} articles)", figures.mrr, ""],
            [f"same-story first{name}", figures.first, ""],
            [f"same-story recall@{SIDEBAR}{name}", figures.recall, ""],
            [f"same story complete and first{name}", figures.complete_and_first, ""],
        ]
    rows += [
        ["same_story flag: precision", quality.flag_precision, ""],
        ["same_story flag: recall", quality.flag_recall, ""],
        [
            "reprint pairs: the reprint is the first entry",
            "{}/{}".format(*quality.reprint_first),
            "",
        ],
        ["reprint pairs: one entry where both shown", "{}/{}".format(*quality.grouped), ""],
    ]
    stories = len({lab.story for lab in labels.values() if lab.story})
    topics = len({lab.topic for lab in labels.values()})
    print_table(
        f"Related articles on the demo corpus ({len(labels)} articles, {topics} topics,"
        f" {stories} stories; sidebars of {SIDEBAR})",
        ["metric", "value", "of shown"],
        rows,
    )
    print_table(
        "Same-topic precision by topic",
        ["topic", "articles", "k", "precision@k", "of shown", "mean entries"],
        [
            [t.topic, t.articles, t.k, t.strict, t.of_shown, f"{t.entries:.1f}"]
            for t in quality.topics
        ],
    )
    precision_met = strict >= TARGET_PRECISION
    first_met = quality.story.first == 1.0
    print(
        f"targets: precision@5 >= {TARGET_PRECISION}: {'met' if precision_met else 'MISSED'};"
        f" same-story first for every story article: {'met' if first_met else 'MISSED'}"
    )
    return precision_met and first_met


def print_misses(quality: Quality, store: Store, sidebars: dict[int, list[RelatedEntry]]) -> None:
    """Each sidebar that missed a same-story or reprint check, with its entries."""
    for article_id, what in quality.misses:
        article = store.article(article_id)
        print(f"\n#{article_id} {article.title if article else '?'}: {what}")
        for entry in sidebars[article_id]:
            also = f" (also {[r.id for r in entry.also]})" if entry.also else ""
            flag = "S" if entry.same_story else " "
            print(f"  {flag} #{entry.row.id} {entry.score:.3f} {entry.row.title}{also}")


def run_quality(directory: Path, show_misses: bool) -> bool:
    """Load the demo, compute every sidebar, print the figures; whether targets are met."""
    database = directory / "demo.db"
    labels = load_demo(database)
    with Store(database) as store:
        stats = TermStats()
        sidebars = {i: related_articles(store, i, limit=SIDEBAR, stats=stats) for i in labels}
        quality = evaluate(labels, sidebars)
        met = print_quality(quality, labels)
        if show_misses:
            print_misses(quality, store, sidebars)
    return met


# --- speed -------------------------------------------------------------------------------------


def corpus_database(articles: int, seed: int, rebuild: bool) -> tuple[Path, dict[str, float]]:
    """The cached synthetic store of ``articles`` articles (built when missing or asked) and
    the report of its build."""
    directory = Path(tempfile.gettempdir()) / "tuireader-bench"
    directory.mkdir(exist_ok=True)
    stem = f"related-{articles}-seed{seed}-v{CORPUS_VERSION}"
    database, report_path = directory / f"{stem}.db", directory / f"{stem}.json"
    if database.exists() and report_path.exists() and not rebuild:
        print(f"\nusing the cached store {database} (--rebuild to build it again)")
        return database, json.loads(report_path.read_text())
    partial = directory / f"{stem}.partial.db"
    for path in (database, report_path, partial):
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
    print(f"\nbuilding {articles} articles in {database} ...", flush=True)
    marks = iter(range(articles // 10, articles + 1, max(1, articles // 10)))
    mark = next(marks, articles)

    def progress(done: int) -> None:
        nonlocal mark
        if done >= mark:
            print(f"  {done} stored", flush=True)
            mark = next(marks, articles + 1)

    _corpus.source_sentences()  # reading the demo is not part of indexing
    build = _corpus.build_store(partial, articles, seed=seed, progress=progress)
    report = asdict(build) | {"built": time.time()}
    partial.rename(database)
    report_path.write_text(json.dumps(report))
    return database, report


def _article_ids(database: Path) -> list[int]:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return [row[0] for row in db.execute("SELECT id FROM articles ORDER BY id")]


_SYNTHETIC_LINK = re.compile(r"https://source(\d+)\.bench\.invalid/\w+/(\d+)$")


def synthetic_stories(database: Path, articles: int, seed: int) -> dict[int, str] | None:
    """The synthetic story of each stored article, by id, found by replaying the first draws
    of ``_corpus._entry`` from the article's link; None when the replay disagrees with what
    was stored (the story's place must be among each checked article's categories)."""
    stories: dict[int, str] = {}
    checks: list[tuple[str, str, str, list[str]]] = []
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        for article_id, link, categories in db.execute(
            "SELECT id, link, categories FROM articles ORDER BY id"
        ):
            match = _SYNTHETIC_LINK.match(link or "")
            if match is None:
                return None
            plan = _corpus._plan(int(match.group(1)))
            chooser = random.Random(f"{seed}:{plan.number}:{match.group(2)}")
            language = plan.language
            topics = (
                _corpus._EN_TOPICS
                if language == "en"
                else tuple(t for t in _corpus.TOPIC_NAMES if t != "science")
            )
            topic = plan.topic or chooser.choice(topics)
            share = (1 / 7 if language == "en" else 6 / 7) / len(topics)
            count = max(1, round(articles * share / _corpus.ARTICLES_PER_STORY))
            key = f"{language}:{topic}:{chooser.randrange(count)}"
            stories[article_id] = key
            if len(checks) < 50:
                checks.append((key, language, topic, json.loads(categories)))
    for key, language, topic, categories in checks:
        if _corpus._story(key, language, topic, seed).place not in categories:
            return None
    return stories


@dataclass(frozen=True, slots=True)
class StoryAtScale:
    """Same-story figures of the sampled sidebars against the synthetic stories."""

    articles: int  # sampled articles whose story has other articles
    recall: float  # share of the other articles of the story shown in the sidebar
    first: float  # sidebars showing the story, with all its entries before the others
    flagged: float  # share of the entries showing the story that are flagged same_story
    flag_precision: float  # share of the entries flagged same_story that show the story
    mean_story: float  # articles per story, the target included
    other_script_flags: int  # entries flagged same_story whose title is in the other script
    other_script_right: int  # of those, the entries that show the story


def latin_title(title: str) -> bool:
    """Whether a title has more Latin letters than others (English, not Arabic)."""
    letters = [c for c in title if c.isalpha()]
    return 2 * sum(1 for c in letters if c.isascii()) > len(letters)


def story_at_scale(
    stories: dict[int, str], sidebars: dict[int, list[RelatedEntry]], titles: dict[int, str]
) -> StoryAtScale:
    """Recall, first and flag figures of ``sidebars`` against the synthetic ``stories``;
    ``titles`` of the sidebars' articles tell which entries are in the other script."""
    members: dict[str, set[int]] = {}
    for article_id, key in stories.items():
        members.setdefault(key, set()).add(article_id)
    recall: list[float] = []
    first: list[bool] = []
    flagged = showing = flags = other = other_right = 0
    for article_id, entries in sidebars.items():
        story = members[stories[article_id]] - {article_id}
        if not story:
            continue
        same = [bool(story & set(shown(entry))) for entry in entries]
        listed = story & {i for entry in entries for i in shown(entry)}
        recall.append(len(listed) / len(story))
        first.append(any(same) and all(same[: sum(same)]))
        showing += sum(same)
        flagged += sum(1 for entry, s in zip(entries, same, strict=True) if s and entry.same_story)
        flags += sum(1 for entry in entries if entry.same_story)
        script = latin_title(titles.get(article_id, ""))
        for entry, s in zip(entries, same, strict=True):
            if entry.same_story and latin_title(entry.row.title) != script:
                other += 1
                other_right += s
    return StoryAtScale(
        len(recall),
        statistics.fmean(recall) if recall else 0.0,
        statistics.fmean(first) if first else 0.0,
        flagged / showing if showing else 0.0,
        flagged / flags if flags else 0.0,
        statistics.fmean(len(m) for m in members.values()),
        other,
        other_right,
    )


@dataclass(frozen=True, slots=True)
class Query:
    """One search as a user would type it."""

    language: str
    text: str
    prefix: bool


def make_queries(count: int, seed: int) -> list[Query]:
    """``count`` queries of 1-3 content words of one demo sentence (words that occur
    together), each typed in full, and again with its last word cut short for prefix search."""
    chooser = random.Random(seed)
    pools = _corpus.source_sentences()
    sentences = {
        language: [s for (lang, _), pool in sorted(pools.items()) if lang == language for s in pool]
        for language in ("ar", "en")
    }
    queries: list[Query] = []
    while len(queries) < 2 * count:
        language = "en" if len(queries) % 8 == 6 else "ar"
        words = _corpus.content_words(chooser.choice(sentences[language]))
        if not words:
            continue
        picked = chooser.sample(words, min(len(words), chooser.randint(1, 3)))
        queries.append(Query(language, " ".join(picked), prefix=False))
        last = picked[-1]
        typed = last[: max(3, len(last) - chooser.randint(1, 3))]
        queries.append(Query(language, " ".join([*picked[:-1], typed]), prefix=True))
    return queries


@dataclass(frozen=True, slots=True)
class Timing:
    """Wall-clock and CPU time of one call, in milliseconds. On a shared machine the CPU time
    shows the call's own cost when other processes compete for the cores."""

    wall: float
    cpu: float


def timed(function: Callable[[], T]) -> tuple[Timing, T]:
    """Call ``function``; its timing and result."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return Timing((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000), result


def _summary(timings: Sequence[Timing]) -> list[object]:
    wall = [t.wall for t in timings]
    cpu = [t.cpu for t in timings]
    return [
        len(timings),
        statistics.median(wall),
        percentile(wall, 0.95),
        max(wall),
        statistics.median(cpu),
        percentile(cpu, 0.95),
    ]


def run_speed(articles: int, seed: int, rebuild: bool, profile: bool) -> bool:
    """Build or reuse the synthetic store, time related, search and indexing; print tables."""
    database, build = corpus_database(articles, seed, rebuild)
    ids = _article_ids(database)
    chooser = random.Random(seed)
    sample = chooser.sample(ids, min(SAMPLES + 1, len(ids)))
    queries = make_queries(SAMPLES, seed)
    with Store(database) as store:
        stats = TermStats()
        first, _ = timed(lambda: related_articles(store, sample[0], stats=stats))
        load, _ = timed(lambda: TermStats().refresh(store))
        related: list[Timing] = []
        entries: list[int] = []
        sidebars: dict[int, list[RelatedEntry]] = {}
        for article_id in sample[1:]:
            timing, result = timed(partial(related_articles, store, article_id, stats=stats))
            related.append(timing)
            entries.append(len(result))
            sidebars[article_id] = result
        searches: dict[tuple[str, bool], list[Timing]] = {}
        hits: dict[tuple[str, bool], list[int]] = {}
        for query in queries:
            timing, found = timed(partial(search, store, query.text, prefix=query.prefix))
            searches.setdefault((query.language, query.prefix), []).append(timing)
            hits.setdefault((query.language, query.prefix), []).append(len(found))

    stored = int(build["articles"])
    index_seconds = build["store_seconds"]
    print_table(
        f"Indexing {stored} articles ({int(build['feeds'])} feeds, feed documents of"
        f" {_corpus.BATCH} entries)",
        ["step", "wall s", "cpu s", "articles/s (wall)"],
        [
            [
                "store_feed (store + index)",
                index_seconds,
                build.get("store_cpu_seconds", float("nan")),
                f"{stored / index_seconds:.0f}",
            ],
            ["generating the articles (not counted)", build["generate_seconds"], "", ""],
        ],
    )
    rows: list[list[object]] = [
        ["related: first call (fresh TermStats)", *_summary([first])],
        ["related: TermStats load alone", *_summary([load])],
        ["related_articles", *_summary(related)],
    ]
    for language, prefix in sorted(searches):
        name = f"search {language}, {'prefix (last word cut)' if prefix else 'full words'}"
        rows.append([name, *_summary(searches[(language, prefix)])])
    every_search = [t for timings in searches.values() for t in timings]
    rows.append(["search, all", *_summary(every_search)])
    print_table(
        f"Speed at {stored} articles (ms; load average {os.getloadavg()[0]:.1f}"
        f" on {os.cpu_count()} cores)",
        ["operation", "n", "median", "p95", "max", "cpu median", "cpu p95"],
        rows,
    )
    hit_rows = [
        [
            f"search {language}, {'prefix' if prefix else 'full words'}",
            statistics.median(found),
            f"{sum(1 for n in found if n == 0) / len(found):.0%}",
        ]
        for (language, prefix), found in sorted(hits.items())
    ]
    hit_rows.append(["related entries per article", statistics.median(entries), ""])
    print_table("Results", ["operation", "median results", "none found"], hit_rows)
    stories = synthetic_stories(database, articles, seed)
    if stories is None:
        print("\n(the synthetic stories could not be replayed from bench/_corpus.py)")
    else:
        with Store(database) as store:
            titles = {row.id: row.title for row in store.rows_by_id(list(sidebars))}
        scale = story_at_scale(stories, sidebars, titles)
        print_table(
            f"Same story at {stored} articles ({scale.articles} sampled articles whose"
            f" synthetic story has others; {scale.mean_story:.1f} articles per story)",
            ["metric", "value"],
            [
                [f"same-story recall@{SIDEBAR} (default limit)", scale.recall],
                ["same-story first", scale.first],
                ["entries showing the story flagged same_story", scale.flagged],
                ["entries flagged same_story showing the story", scale.flag_precision],
                [
                    "entries flagged same_story in the other script (showing the story)",
                    f"{scale.other_script_flags} ({scale.other_script_right})",
                ],
            ],
        )

    met = True
    for clock in ("wall", "cpu"):
        related_median = statistics.median(getattr(t, clock) for t in related)
        search_median = statistics.median(getattr(t, clock) for t in every_search)
        seconds = index_seconds if clock == "wall" else build.get("store_cpu_seconds", 0.0)
        checks = [
            (f"related median <= {TARGET_RELATED_MS:.0f} ms", related_median <= TARGET_RELATED_MS),
            (f"search median <= {TARGET_SEARCH_MS:.0f} ms", search_median <= TARGET_SEARCH_MS),
            (f"indexing <= {TARGET_INDEX_SECONDS:.0f} s", seconds <= TARGET_INDEX_SECONDS),
        ]
        verdicts = "; ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in checks)
        print(f"targets by {'wall clock' if clock == 'wall' else 'CPU time'}: {verdicts}")
        met = met and (clock == "cpu" or all(ok for _, ok in checks))
    if stored != TARGET_SIZE:
        print(f"(the targets are set for {TARGET_SIZE} articles)")
    if profile:
        with Store(database) as store:
            profile_loops(store, sample[1:], queries, TermStats().refresh(store))
    return met


# Functions whose cumulative time tells where a related or search call spends it:
# (module file, function name, what it does).
_STEPS = {
    "related_articles": [
        ("core/similar.py", "related_articles", "related_articles (whole call)"),
        ("core/similar.py", "refresh", "TermStats.refresh: has the index changed?"),
        ("core/store.py", "article", "Store.article: the target"),
        ("core/store.py", "index_terms_of", "Store.index_terms_of: the target's terms"),
        ("core/related.py", "candidate_query", "candidate_query: terms, weights, gate"),
        ("core/store.py", "overlap_candidates", "candidates: FTS5 weighted overlap"),
        ("core/similar.py", "_candidate_docs", "candidates' terms, section, date"),
        ("core/related.py", "rank_related", "rank_related (whole ranking)"),
        ("core/related.py", "_doc_features", "  term counts of each candidate"),
        ("core/related.py", "_dot", "  dot products with the target"),
        ("core/related.py", "_weights", "  tf-idf weights (norms, vectors)"),
        ("core/related.py", "_link_stories", "  follow-ups of follow-ups"),
        ("core/related.py", "shared", "  shared phrases"),
        ("core/related.py", "add", "  _Grouper.add: near-duplicate grouping"),
        ("core/store.py", "rows_by_id", "Store.rows_by_id: rows of the entries"),
        ("core/similar.py", "_more_from_section", "filling from the section"),
    ],
    "search": [
        ("core/search.py", "search", "search (whole call)"),
        ("core/terms.py", "fts_query", "fts_query: the MATCH expression"),
        ("core/store.py", "search_ids", "Store.search_ids: FTS5 query, bm25 order"),
        ("core/store.py", "rows_by_id", "Store.rows_by_id: result rows"),
    ],
}


def print_steps(
    title: str, profile: pstats.Stats, calls: int, steps: list[tuple[str, str, str]]
) -> None:
    """Cumulative time per call of ``steps`` in ``profile`` (profiled times are inflated, the
    shares are what matters)."""
    totals: dict[tuple[str, str], tuple[int, float]] = {}
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]]
    raw = profile.stats  # type: ignore[attr-defined]
    for (filename, _, function), (_, count, _, cumulative, _) in raw.items():
        for suffix, name, _ in steps:
            if filename.endswith(suffix) and function == name:
                previous = totals.get((suffix, name), (0, 0.0))
                totals[(suffix, name)] = (previous[0] + count, previous[1] + cumulative)
    whole = totals.get(steps[0][:2], (0, 0.0))[1] or 1.0
    rows = []
    for suffix, name, label in steps:
        count, cumulative = totals.get((suffix, name), (0, 0.0))
        share = f"{cumulative / whole:.0%}"
        rows.append([label, f"{count / calls:.0f}", cumulative / calls * 1000, share])
    print_table(title, ["step", "calls per call", "ms per call (profiled)", "share"], rows)


def profile_loops(
    store: Store, ids: Sequence[int], queries: Sequence[Query], stats: TermStats
) -> None:
    """Profile the related and the search loops again and print where the time goes."""
    loops: list[tuple[str, int, Callable[[], object]]] = [
        (
            "related_articles",
            len(ids),
            lambda: [related_articles(store, i, stats=stats) for i in ids],
        ),
        ("search", len(queries), lambda: [search(store, q.text, prefix=q.prefix) for q in queries]),
    ]
    for name, calls, loop in loops:
        profiler = cProfile.Profile()
        profiler.runcall(loop)
        profile = pstats.Stats(profiler, stream=sys.stdout)
        print_steps(f"Where a {name} call spends its time (cProfile)", profile, calls, _STEPS[name])
        print(f"\nProfile of the {name} loop (by own time):")
        profile.sort_stats("tottime").print_stats(12)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=TARGET_SIZE, help="synthetic store size")
    parser.add_argument("--seed", type=int, default=_corpus.DEFAULT_SEED)
    parser.add_argument("--rebuild", action="store_true", help="build the synthetic store again")
    parser.add_argument("--profile", action="store_true", help="profile related and search")
    parser.add_argument("--show-misses", action="store_true", help="print the sidebars that miss")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--quality-only", action="store_true")
    which.add_argument("--speed-only", action="store_true")
    arguments = parser.parse_args()
    met = True
    if not arguments.speed_only:
        with tempfile.TemporaryDirectory(prefix="tuireader-related-") as directory:
            met = run_quality(Path(directory), arguments.show_misses) and met
    if not arguments.quality_only:
        met = (
            run_speed(arguments.articles, arguments.seed, arguments.rebuild, arguments.profile)
            and met
        )
    raise SystemExit(0 if met else 1)


if __name__ == "__main__":
    main()
