"""Related articles through a real SQLite store: the candidate query, the candidate data,
the index statistics, and the whole lookup."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tuireader.core import similar
from tuireader.core.config import FeedConfig
from tuireader.core.models import ParsedEntry, ParsedFeed
from tuireader.core.related import CandidateQuery
from tuireader.core.sections import section_key
from tuireader.core.similar import TermStats, related_articles
from tuireader.core.store import Store
from tuireader.core.terms import index_terms

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
ECONOMY = "https://economy.test/feed"
SPORT = "https://sport.test/feed"

STORY = [
    (
        "البنك المركزي يخفض سعر الفائدة الرئيسي إلى 2.25%",
        "قرر مجلس البنك المركزي خفض سعر الفائدة الرئيسي بـ25 نقطة أساس إلى 2.25%، في أول خفض "
        "منذ أكثر من عام، مستندا إلى تراجع التضخم وتباطؤ نمو القروض الممنوحة للمقاولات.",
    ),
    (
        "البنوك تتعهد بخفض فوائد القروض العقارية بعد قرار البنك المركزي",
        "تعهدت البنوك التجارية بخفض فوائد القروض العقارية خلال أسابيع، بعد قرار البنك المركزي "
        "خفض سعر الفائدة الرئيسي إلى 2.25%، وقالت إن الأسر ستستفيد من أقساط أقل.",
    ),
    (
        "التضخم يتراجع إلى 1.8% ويفتح الباب أمام خفض سعر الفائدة",
        "تراجع معدل التضخم السنوي إلى 1.8% في أكتوبر، وقال اقتصاديون إن الأرقام تفتح الباب أمام "
        "خفض سعر الفائدة الرئيسي في اجتماع البنك المركزي المقبل.",
    ),
]
REPRINT = (
    "البنك المركزي يخفض سعر الفائدة الرئيسي إلى 2.25 في المئة",
    STORY[0][1].replace("في أول خفض", "وهو أول خفض"),
)
FILLER_TEXT = (
    "الحكومة المدينة السوق الأسعار الشركات المشروع الموسم المباراة الفريق الجمهور الملعب "
    "الطاقة الماء القطاع الصادرات الفلاحة السياحة الميزانية الاستثمار المواطنين الطرق"
)
FILLER_WORDS = FILLER_TEXT.split()


def entry(index: int, title: str, text: str, hours: float) -> ParsedEntry:
    link = f"https://news.test/{index}"
    return ParsedEntry(
        guid=link,
        link=link,
        title=title,
        published=NOW - timedelta(hours=hours),
        content=f"<p>{text}</p>",
        language="ar",
    )


def filler(chooser: random.Random, index: int) -> ParsedEntry:
    words = [chooser.choice(FILLER_WORDS) for _ in range(40)]
    return entry(index, " ".join(words[:6]), " ".join(words), 24 + index)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("similar") / "tuireader.db"
    chooser = random.Random(5)
    economy = [entry(i, title, text, hours=i) for i, (title, text) in enumerate(STORY)]
    economy.append(entry(10, *REPRINT, hours=1.5))
    economy += [filler(chooser, 100 + i) for i in range(40)]
    sport = [filler(chooser, 200 + i) for i in range(40)]
    with Store(path) as store:
        store.sync_feeds(
            [FeedConfig(ECONOMY, section="اقتصاد"), FeedConfig(SPORT, section="رياضة")]
        )
        feeds = {feed.config_url: feed for feed in store.feeds()}
        store.store_feed(feeds[ECONOMY], ParsedFeed("Economy", None, "ar", economy), now=NOW)
        store.store_feed(feeds[SPORT], ParsedFeed("Sport", None, "ar", sport), now=NOW)
    return path


@pytest.fixture()
def store(database: Path) -> Iterator[Store]:
    with Store(database) as opened:
        yield opened


def ids_by_title(store: Store) -> dict[str, int]:
    return {row.title: row.id for row in store.articles(limit=1000)}


def test_the_story_comes_first_and_the_reprint_is_grouped(store: Store) -> None:
    by_title = ids_by_title(store)
    story = [by_title[title] for title, _ in STORY]
    reprint = by_title[REPRINT[0]]
    entries = related_articles(store, story[1], stats=TermStats())
    same = [e for e in entries if e.same_story]
    assert entries[: len(same)] == same
    shown = {e.row.id for e in same} | {r.id for e in same for r in e.also}
    assert {story[0], story[2], reprint} <= shown
    grouped = next(e for e in entries if story[0] in {e.row.id, *(r.id for r in e.also)})
    assert {grouped.row.id, *(r.id for r in grouped.also)} == {story[0], reprint}
    assert story[1] not in {e.row.id for e in entries}


def test_related_articles_are_deterministic(store: Store) -> None:
    ids = sorted(ids_by_title(store).values())[:12]
    stats = TermStats()
    first = [
        [(e.row.id, e.score, e.also) for e in related_articles(store, i, stats=stats)] for i in ids
    ]
    again = [
        [(e.row.id, e.score, e.also) for e in related_articles(store, i, stats=stats)] for i in ids
    ]
    fresh = [[(e.row.id, e.score, e.also) for e in related_articles(store, i)] for i in ids]
    assert first == again == fresh


def test_overlap_candidates_sum_the_weights_of_the_terms_found(store: Store) -> None:
    terms = store.index_terms_of(sorted(ids_by_title(store).values()))
    words = {i: set(f"{title} {body}".split()) for i, (title, body) in terms.items()}
    gate_term, other = "فايد", "بنك"
    assert any(gate_term in w for w in words.values()) and any(other in w for w in words.values())
    query = CandidateQuery({gate_term: 1.0, other: 5.0}, gate=(gate_term,))
    found = store.overlap_candidates(query.weights, query.gate, limit=100)
    expected = sorted(
        (i for i, w in words.items() if gate_term in w),
        key=lambda i: (-(1.0 + (5.0 if other in words[i] else 0.0)), -i),
    )
    assert found == expected  # gated, by weight, ties newest (largest id) first
    assert store.overlap_candidates(query.weights, query.gate, limit=2) == expected[:2]
    # Without a gate budget every term opens the gate.
    both = store.overlap_candidates({gate_term: 1.0, other: 5.0}, (gate_term, other), limit=100)
    assert set(both) == {i for i, w in words.items() if gate_term in w or other in w}


@pytest.mark.parametrize("hostile", ['"', 'a" OR "b', "*", "NEAR(", "-", "x:y", "^", ""])
def test_overlap_candidates_take_terms_as_plain_strings(store: Store, hostile: str) -> None:
    query = CandidateQuery({hostile: 1.0, "فايد": 1.0}, gate=(hostile,))
    assert store.overlap_candidates(query.weights, query.gate, limit=10) == []
    assert store.overlap_candidates({}, (), limit=10) == []


def test_candidate_docs_carry_what_the_ranking_needs(store: Store) -> None:
    ids = sorted(ids_by_title(store).values())[:10]
    docs = {doc.id: doc for doc in similar._candidate_docs(store, ids)}
    terms = store.index_terms_of(ids)
    assert sorted(docs) == ids
    for row in store.rows_by_id(ids):
        doc = docs[row.id]
        assert (doc.title_terms, doc.text_terms) == terms[row.id]
        assert doc.categories == row.categories and doc.published == row.published
        assert doc.section == section_key(row.section)  # as the target's, for the boost
    assert similar._candidate_docs(store, []) == []


def test_term_stats_follow_writes_of_any_connection(database: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    with Store(database) as source, Store(copy) as target:
        source._db.backup(target._db)
    with Store(copy) as reader, Store(copy) as writer:
        stats = TermStats().refresh(reader)
        counted = stats.n_docs
        assert counted == reader.count() and stats.df
        assert stats.refresh(reader).n_docs == counted
        feed = next(f for f in writer.feeds() if f.config_url == SPORT)
        news = [entry(900, "مباراة ودية جديدة", "الفريق يلعب مباراة ودية جديدة", 0)]
        writer.store_feed(feed, ParsedFeed("Sport", None, "ar", news), now=NOW)
        assert stats.refresh(reader).n_docs == counted + 1  # another connection wrote
        assert stats.df.get(index_terms("ودية")[0], 0) == 1
        more = [entry(901, "مباراة ودية ثانية", "الفريق يلعب مباراة ودية ثانية", 0)]
        reader.store_feed(feed, ParsedFeed("Sport", None, "ar", more), now=NOW)
        assert stats.refresh(reader).n_docs == counted + 2  # the same connection wrote
    # A store opened for one lookup (as the reader's worker threads do) starts a new count:
    # the state of one connection says nothing about another's.
    with Store(copy) as first:
        assert stats.refresh(first).n_docs == counted + 2
    with Store(copy) as other, other.transaction() as db:
        db.execute("DELETE FROM articles WHERE id = (SELECT max(id) FROM articles)")
    with Store(copy) as second:
        assert stats.refresh(second).n_docs == counted + 1


ENGLISH = "https://english.test/feed"
REPORT_EN = (
    "North African central bank makes its first rate cut in a year",
    "One North African central bank lowered its policy rate by 25 basis points to 2.25%, its "
    "first cut in more than a year, after inflation slowed to 1.8% in October. Analysts said "
    "the governor signalled caution, warning that each meeting would be decided on fresh "
    "data, while lenders welcomed cheaper funding for households and small firms.",
)
ENGLISH_TEXT = (
    "market company season match team players stadium energy water exports farming tourism "
    "budget investment citizens roads government city prices weather"
)
ENGLISH_WORDS = ENGLISH_TEXT.split()


def english_filler(chooser: random.Random, index: int) -> ParsedEntry:
    words = [chooser.choice(ENGLISH_WORDS) for _ in range(40)]
    return replace(entry(index, " ".join(words[:6]), " ".join(words), 24 + index), language="en")


def test_the_story_is_found_across_languages_by_its_amounts(tmp_path: Path) -> None:
    chooser = random.Random(7)
    title, text = STORY[0]
    arabic = [entry(0, title, text + " وجاء القرار بعد تراجع التضخم إلى 1.8%.", hours=0)]
    arabic += [filler(chooser, 100 + i) for i in range(40)]
    english = [replace(entry(1, *REPORT_EN, hours=2), language="en")]
    english += [english_filler(chooser, 300 + i) for i in range(20)]
    with Store(tmp_path / "tuireader.db") as store:
        store.sync_feeds([FeedConfig(ECONOMY, section="اقتصاد"), FeedConfig(ENGLISH)])
        feeds = {feed.config_url: feed for feed in store.feeds()}
        store.store_feed(feeds[ECONOMY], ParsedFeed("Economy", None, "ar", arabic), now=NOW)
        store.store_feed(feeds[ENGLISH], ParsedFeed("World", None, "en", english), now=NOW)
        by_title = ids_by_title(store)
        arabic_id, english_id = by_title[title], by_title[REPORT_EN[0]]
        # The two share no word, only the amounts 2.25 and 1.8 (and 25), which are not among
        # the strongest terms of the English report: the query asks for them apart.
        terms = store.index_terms_of([arabic_id, english_id])
        words = [set(" ".join(terms[i]).split()) for i in (arabic_id, english_id)]
        assert words[0] & words[1] == {"25", "2.25", "1.8"}
        stats = TermStats()
        first = related_articles(store, english_id, stats=stats)[0]
        assert (first.row.id, first.same_story) == (arabic_id, True)
        back = related_articles(store, arabic_id, stats=stats)
        assert [(e.row.id, e.same_story) for e in back if e.same_story] == [(english_id, True)]
