"""A large synthetic article store built from the demo corpus, for the related/search benchmark.

The demo site's articles (``src/tuireader/demo/site``: Arabic RSS with full content, Arabic
article pages behind a summary-only feed, English Atom) are read once through the real parser
and extractor and cut into sentences, pooled by language and labelled topic. Synthetic
articles recombine those sentences: each belongs to a synthetic *story* (a demo article of its
topic as a seed, two people with mostly invented family names, a place and its own numbers),
takes about half of its sentences from the seed and the rest from its topic's pool, has its
numbers replaced by the story's, some sentences attributed to the story's people, and
150-400 words in 3-8 paragraphs. Titles are the story's headline (the start of one of the
seed's sentences) with its place or one of its people, or the article's first words. About
one feed in seven is English; a third of the feeds carry no section (their articles' first
category gives it). Everything is drawn from ``random.Random`` seeded with ``seed``: the same
arguments give the same articles. Limits: apart from the names, the vocabulary is the demo's
(some 4,000 distinct words), far smaller than in a real cache of 50,000 articles, so common
terms are commoner than in real news and the candidate query of related articles matches
more articles than it would there.

API:

- ``DEFAULT_SEED``, ``DEFAULT_FEEDS`` (200), ``BATCH`` (50 entries per stored feed document).
- ``source_sentences() -> dict[tuple[str, str], list[str]]``: demo sentences by (language,
  topic), language ``"ar"`` or ``"en"``.
- ``generate(articles, *, feeds=DEFAULT_FEEDS, seed=DEFAULT_SEED) -> Iterator[tuple[int,
  ParsedFeed]]``: (feed number, feed document of at most ``BATCH`` entries), feed after feed;
  ``articles`` entries in all, spread evenly over the feeds.
- ``feed_configs(feeds) -> list[FeedConfig]``: the subscriptions of those feed numbers.
- ``build_store(path, articles, *, feeds=DEFAULT_FEEDS, seed=DEFAULT_SEED, progress=None) ->
  BuildReport``: a new database at ``path`` holding the articles, stored through
  ``Store.sync_feeds`` and ``Store.store_feed`` (which also indexes them). ``BuildReport``
  separates the time spent in ``store_feed`` (storing and indexing; wall clock and CPU)
  from generating.
- ``content_words(text) -> list[str]``: the distinct content words of a text, for queries.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from html import escape
from importlib import resources
from pathlib import Path

from tuireader.core.config import FeedConfig
from tuireader.core.extract import ExtractionError, extract_article
from tuireader.core.models import ParsedEntry, ParsedFeed
from tuireader.core.parse import parse_feed
from tuireader.core.searchtext import html_text
from tuireader.core.store import Store
from tuireader.core.terms import is_stopword, tokenize
from tuireader.demo.server import render

DEFAULT_SEED = 2026
DEFAULT_FEEDS = 200
BATCH = 50
NEWEST = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)
SPAN_DAYS = 90
ARTICLES_PER_STORY = 4  # on average
_DEMO_BASE = "http://demo.invalid"
_DEMO_FEEDS = ("feeds/akhbar.xml", "feeds/sada.xml", "feeds/dispatch.atom")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


TOPIC_NAMES = {
    "politics": ("سياسة", "Politics"),
    "economy": ("اقتصاد", "Economy"),
    "technology": ("تكنولوجيا", "Technology"),
    "health": ("صحة", "Health"),
    "sport": ("رياضة", "Sport"),
    "culture": ("ثقافة", "Culture"),
    "science": ("علوم", "Science"),
}

_AR_GIVEN = _words(
    "سليم نادية كريم هدى مروان ليلى طارق سناء عادل رانية جمال منى حسام سهام نبيل "
    "دعاء رشيد أسماء ماهر وفاء إدريس خديجة عمر زينب يونس سلمى بشير نوال هشام لبنى"
)
_AR_FAMILY = _words(
    "القاسمي الورداني بنحمو الزروالي التازي الشرقاوي المنصوري الغزالي الفاسي البقالي "
    "العمراني الدكالي الحجوي السوسي الريفي البركاني الوزاني الكتاني الجراري الصنهاجي "
    "الأنصاري الحسيني الطاهري المرابط الخطابي"
)
_AR_TITLES = ("الوزير", "المدير العام", "الخبير", "النائب", "الدكتور", "رئيس الجمعية", "المدرب")
_AR_PLACES = _words(
    "الرباط فاس مكناس طنجة تطوان وجدة الناظور الحسيمة العيون الداخلة آسفي الجديدة "
    "القنيطرة خنيفرة خريبكة ورزازات الرشيدية تازة الصويرة إفران"
)
_EN_GIVEN = _words(
    "Amira Daniel Leila Thomas Nadia Samuel Hana Victor Rania Oliver Salma Martin Yara "
    "Julian Farah Simon Dina Felix Mona Adrian"
)
_EN_FAMILY = _words(
    "Haddad Whitlock Benali Okafor Marsh Lindqvist Serrano Achebe Halloran Voss Kestner "
    "Mbeki Oduya Fairbank Tanaka Rossi Novak Keane Duval Osei"
)
_EN_PLACES = _words(
    "Rabat Casablanca Tunis Cairo Amman Lagos Nairobi Lisbon Marseille Dakar Accra Algiers"
)

# Syllables of invented family names, so that names are as varied as in real news.
_AR_SYLLABLES = _words("بن مر زو قا طي سل حو ري دا كو نا لو فا جي شا عم صو غا")
_EN_SYLLABLES = _words("ka mar lo ven ti sor da rin bel go fen ha lu mo ric sta ver dun")

_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")
_NUMBER = re.compile(r"\d+")
_HEADLINE_TRIM = ".,،:؛"


@dataclass(frozen=True, slots=True)
class _Source:
    language: str
    topic: str
    title: str
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BuildReport:
    """How building a store went: ``store_seconds`` is the time inside ``Store.store_feed``
    (insert and index), ``generate_seconds`` the time spent making the articles."""

    articles: int
    feeds: int
    store_seconds: float
    generate_seconds: float
    store_cpu_seconds: float


# --- the demo as sentences ---------------------------------------------------------------------


def _site_text(relative: str) -> str:
    resource = resources.files("tuireader.demo") / "site" / relative
    return render(resource.read_text(encoding="utf-8"), _DEMO_BASE, NEWEST)


def _sentences(text: str) -> list[str]:
    found = []
    for paragraph in text.split("\n"):
        for sentence in _SENTENCE_END.split(paragraph.strip()):
            if len(sentence.split()) >= 6:
                found.append(sentence.strip())
    return found


def _page_text(link: str) -> str:
    """The article text of a demo page (the summary-only feed links to them)."""
    if not link.startswith(_DEMO_BASE + "/"):
        return ""
    try:
        page = _site_text(link.removeprefix(_DEMO_BASE + "/"))
        return extract_article(page, url=link).document.plain_text()
    except (ExtractionError, FileNotFoundError, OSError):
        return ""


@cache
def _sources() -> tuple[_Source, ...]:
    labels = json.loads(
        (resources.files("tuireader.demo") / "site" / "labels.json").read_text(encoding="utf-8")
    )["articles"]
    found = []
    for path in _DEMO_FEEDS:
        parsed = parse_feed(_site_text(path).encode(), url=f"{_DEMO_BASE}/{path}")
        for entry in parsed.entries:
            label = labels.get((entry.guid or "").replace(_DEMO_BASE, "{{BASE}}"))
            if label is None:
                continue
            text = html_text(entry.content) if entry.content else _page_text(entry.link or "")
            text = text or html_text(entry.summary)
            language = "en" if label["source"] == "dispatch" else "ar"
            found.append(_Source(language, label["topic"], entry.title, tuple(_sentences(text))))
    return tuple(found)


@cache
def source_sentences() -> dict[tuple[str, str], list[str]]:
    """The demo's sentences by (language, topic); shared, do not modify."""
    pools: dict[tuple[str, str], list[str]] = {}
    for source in _sources():
        pools.setdefault((source.language, source.topic), []).extend(source.sentences)
    return pools


_PUNCTUATION = "".join(chr(c) for c in range(0x21, 0x80) if not chr(c).isalnum()) + "«»،؛؟…“”’‘—–"


def content_words(text: str) -> list[str]:
    """The distinct content words of ``text`` (whole words between spaces, punctuation
    stripped, three letters or more, no digits, no stopwords), as written, in order."""
    words: dict[str, None] = {}
    for raw in text.split():
        word = raw.strip(_PUNCTUATION)
        tokens = tokenize(word)
        if len(tokens) != 1 or len(tokens[0]) < 3 or not tokens[0].isalpha():
            continue
        if not is_stopword(tokens[0]):
            words.setdefault(word, None)
    return list(words)


# --- synthetic stories and articles ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Story:
    seed: _Source
    people: tuple[str, str]
    place: str
    numbers: int  # the story's own numbers are derived from this
    published: datetime
    headline: str


def _family(chooser: random.Random, language: str) -> str:
    """A family name: a known one, or (two times in three) one made of 2-3 syllables."""
    if chooser.random() < 1 / 3:
        return chooser.choice(_AR_FAMILY if language == "ar" else _EN_FAMILY)
    syllables = _AR_SYLLABLES if language == "ar" else _EN_SYLLABLES
    name = "".join(chooser.choice(syllables) for _ in range(chooser.randint(2, 3)))
    return ("ال" + name + "ي") if language == "ar" else name.capitalize()


def _story(key: str, language: str, topic: str, seed: int) -> _Story:
    chooser = random.Random(f"{seed}:{key}")
    seeds = [s for s in _sources() if s.language == language and s.topic == topic]
    if language == "ar":
        people = tuple(
            f"{chooser.choice(_AR_TITLES)} {chooser.choice(_AR_GIVEN)} {_family(chooser, 'ar')}"
            for _ in range(2)
        )
        place = chooser.choice(_AR_PLACES)
    else:
        people = tuple(f"{chooser.choice(_EN_GIVEN)} {_family(chooser, 'en')}" for _ in range(2))
        place = chooser.choice(_EN_PLACES)
    numbers = chooser.randrange(1_000_003)
    published = NEWEST - timedelta(minutes=chooser.randrange(SPAN_DAYS * 24 * 60))
    source = chooser.choice(seeds)
    story = _Story(source, (people[0], people[1]), place, numbers, published, "")
    # The story's own headline: the start of one of its seed's sentences, with its numbers.
    words = _renumber(chooser.choice(source.sentences), story, chooser).split()
    headline = " ".join(words[: chooser.randint(6, 10)]).rstrip(_HEADLINE_TRIM)
    return dataclasses.replace(story, headline=headline)


def _renumber(sentence: str, story: _Story, chooser: random.Random) -> str:
    """Numbers of up to three digits become the story's own (same digit count); longer ones,
    random; years and the digits after a decimal or thousands separator stay."""

    def replace(match: re.Match[str]) -> str:
        digits = match.group()
        after_separator = match.start() > 0 and sentence[match.start() - 1] in ".,"
        if after_separator or (len(digits) == 4 and digits.startswith("20")):
            return digits
        if len(digits) > 3:
            return str(chooser.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))
        low = 2 if len(digits) == 1 else 10 ** (len(digits) - 1)
        span = 10 ** len(digits) - low
        return str(low + (int(digits) * 7919 + story.numbers) % span)

    return _NUMBER.sub(replace, sentence)


def _attribute(sentence: str, person: str, language: str) -> str:
    if language == "ar":
        return f"وبحسب {person}، {sentence}"
    return f"{sentence.rstrip('.')}, {person} said."


def _body(
    story: _Story, pool: list[str], language: str, chooser: random.Random
) -> tuple[list[str], str]:
    """Paragraphs of 150-400 words (the story's seed sentences in order, and others), and
    the first sentence as written, for a headline."""
    wanted = chooser.randint(150, 400)
    own = list(story.seed.sentences)
    used: set[str] = set()
    available = len(set(pool) | set(own))
    sentences: list[str] = []
    lead = ""
    words = 0
    while words < wanted and len(used) < available:
        if own and chooser.random() < 0.5:
            sentence = own.pop(chooser.randrange(min(3, len(own))))
        else:
            sentence = chooser.choice(pool)
        if sentence in used:
            continue
        used.add(sentence)
        sentence = _renumber(sentence, story, chooser)
        lead = lead or sentence
        if chooser.random() < 0.25:
            sentence = _attribute(sentence, chooser.choice(story.people), language)
        sentences.append(sentence)
        words += len(sentence.split())
    paragraphs = []
    while sentences:
        take = chooser.randint(1, 3)
        paragraphs.append(" ".join(sentences[:take]))
        sentences = sentences[take:]
    return paragraphs, lead


def _title(story: _Story, lead: str, chooser: random.Random) -> str:
    roll = chooser.random()
    if roll < 0.35:
        return f"{story.place}: {story.headline}"
    if roll < 0.6:
        return f"{story.headline} — {chooser.choice(story.people)}"
    return " ".join(lead.split()[: chooser.randint(7, 12)]).rstrip(_HEADLINE_TRIM)


@dataclass(frozen=True, slots=True)
class _FeedPlan:
    number: int
    language: str
    topic: str | None  # None: a general feed

    @property
    def url(self) -> str:
        return f"https://source{self.number}.bench.invalid/feed"

    @property
    def title(self) -> str:
        return f"مصدر {self.number}" if self.language == "ar" else f"Source {self.number}"


_EN_TOPICS = ("politics", "economy", "technology", "science")


def _plan(number: int) -> _FeedPlan:
    language = "en" if number % 7 == 3 else "ar"
    topics = _EN_TOPICS if language == "en" else tuple(t for t in TOPIC_NAMES if t != "science")
    topic = None if number % 3 == 0 else topics[number % len(topics)]
    return _FeedPlan(number, language, topic)


def feed_configs(feeds: int) -> list[FeedConfig]:
    """The subscriptions of the synthetic feeds 0 .. feeds-1."""
    configs = []
    for number in range(feeds):
        plan = _plan(number)
        section = None
        if plan.topic is not None:
            section = TOPIC_NAMES[plan.topic][0 if plan.language == "ar" else 1]
        configs.append(FeedConfig(url=plan.url, section=section))
    return configs


def _entry(plan: _FeedPlan, index: int, articles: int, seed: int) -> ParsedEntry:
    chooser = random.Random(f"{seed}:{plan.number}:{index}")
    language = plan.language
    topics = _EN_TOPICS if language == "en" else tuple(t for t in TOPIC_NAMES if t != "science")
    topic = plan.topic or chooser.choice(topics)
    # Stories per (language, topic) so that a story has ARTICLES_PER_STORY articles on average.
    share = (1 / 7 if language == "en" else 6 / 7) / len(topics)
    stories = max(1, round(articles * share / ARTICLES_PER_STORY))
    story = _story(f"{language}:{topic}:{chooser.randrange(stories)}", language, topic, seed)
    pool = source_sentences()[(language, topic)]
    paragraphs, lead = _body(story, pool, language, chooser)
    link = f"https://source{plan.number}.bench.invalid/{language}/{index}"
    section_name = TOPIC_NAMES[topic][0 if language == "ar" else 1]
    return ParsedEntry(
        guid=link,
        link=link,
        title=_title(story, lead, chooser),
        author=chooser.choice(story.people),
        published=story.published + timedelta(minutes=chooser.randrange(3 * 24 * 60)),
        content="\n".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs),
        categories=(section_name, story.place),
        language=language,
    )


def generate(
    articles: int, *, feeds: int = DEFAULT_FEEDS, seed: int = DEFAULT_SEED
) -> Iterator[tuple[int, ParsedFeed]]:
    """Feed documents of at most ``BATCH`` entries, ``articles`` entries over ``feeds`` feeds."""
    for number in range(feeds):
        plan = _plan(number)
        count = articles // feeds + (1 if number < articles % feeds else 0)
        for start in range(0, count, BATCH):
            entries = [
                _entry(plan, index, articles, seed)
                for index in range(start, min(count, start + BATCH))
            ]
            yield number, ParsedFeed(plan.title, plan.url, plan.language, entries)


def build_store(
    path: Path,
    articles: int,
    *,
    feeds: int = DEFAULT_FEEDS,
    seed: int = DEFAULT_SEED,
    progress: Callable[[int], None] | None = None,
) -> BuildReport:
    """Store ``articles`` synthetic articles in a new database at ``path`` (see the module
    docstring); ``progress`` is called with the number stored so far after each batch."""
    if path.exists():
        raise FileExistsError(path)
    stored_seconds = generate_seconds = stored_cpu = 0.0
    stored = 0
    with Store(path) as store:
        started = time.perf_counter()
        store.sync_feeds(feed_configs(feeds))
        by_url = {feed.config_url: feed for feed in store.feeds()}
        stored_seconds += time.perf_counter() - started
        batches = generate(articles, feeds=feeds, seed=seed)
        while True:
            started = time.perf_counter()
            batch = next(batches, None)
            generate_seconds += time.perf_counter() - started
            if batch is None:
                break
            number, parsed = batch
            started, cpu = time.perf_counter(), time.process_time()
            result = store.store_feed(by_url[_plan(number).url], parsed, now=NEWEST)
            stored_seconds += time.perf_counter() - started
            stored_cpu += time.process_time() - cpu
            stored += result.new
            if progress is not None:
                progress(stored)
    return BuildReport(stored, feeds, stored_seconds, generate_seconds, stored_cpu)
