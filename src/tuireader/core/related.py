"""Related articles: a pure, deterministic ranking of candidates for one article.

The store fetches candidates with the target's ``candidate_query`` (its strongest terms,
weighted; a few dozen articles, see ``core.similar``); ``rank_related`` re-ranks them:

- topical score = cosine of tf·idf term vectors (title terms counted ``TITLE_WEIGHT`` times,
  sublinear tf), raised by up to ``ENTITY_WEIGHT`` (×1.3) by the share of the target's names
  (``entities``, found in its title and lede) that the candidate mentions: names lift a
  textual match but do not make one. A candidate below ``MIN_TOPICAL`` gets no entry of its
  own, whatever its section or date, unless it is the same story (it may still be listed as
  a reprint of an entry);
- the topical score is then scaled up by context: same section, shared categories, and how
  close the two dates are;
- ``same_story``, any of: similarity ≥ ``SAME_STORY_SIMILARITY``; similarity ≥
  ``SAME_STORY_MIN_SIMILARITY`` with two of the target's names mentioned; similarity ≥
  ``PHRASE_MIN_SIMILARITY`` with ``SAME_STORY_PHRASES`` distinctive phrases of the target
  in common (adjacent index terms whose rarer term occurs in at most ``PHRASE_MAX_SHARE``
  of the index, as a phrase occurs in no more articles than its rarer word: "سعر فائدة",
  "حملة تلقيح"), for two articles filed together (same section or a shared category: a
  phrase alone may be a term of the trade, "الناتج الداخلي الخام"; when one of them is
  filed nowhere, similarity ≥ ``PHRASE_UNFILED_MIN_SIMILARITY``); for a report in the
  other script (an English title against an Arabic one), ``SAME_STORY_ANCHORS`` shared
  anchors: amounts with a decimal point or digit grouping (2.25, 800,000) and Latin words
  of the Arabic text (IMF, Sahel Telecom), each in at most ``ANCHOR_MAX_SHARE`` of the
  index and ``ANCHOR_MAX_ARTICLES`` articles (translation keeps them; the words differ);
  or, one step further, similarity ≥
  ``STORY_LINK_SIMILARITY`` with a candidate flagged by one of those rules (a follow-up of a
  follow-up); and, in every case, published within ``STORY_DAYS`` of the target. Same-story
  entries (other coverage, follow-ups) come first, each its own entry;
- near-duplicates (title cosine ≥ ``NEAR_DUP_TITLE`` and whole-text cosine ≥
  ``NEAR_DUP_TEXT``: the same report reprinted) are one entry: the best ranked is the entry,
  the others are listed in ``also``, best first. This holds among candidates and for reprints
  of the target itself, which become one entry (usually the first) whose ``also`` lists the
  other reprints. The source is not compared: a feed that republishes its own report is
  grouped as well.

The candidate query also asks for the target's ``QUERY_ANCHORS`` rarest amounts, so that a
report in another language, which shares no word with the target, can be found at all.

The idf comes from the whole index when ``df`` and ``n_docs`` (or an ``IdfTable``) are
given, else from the pool (target + candidates). Only the first ``TEXT_LIMIT`` characters of
a text (or 240 stored terms) are read: news puts the story first, and it keeps the ranking
fast. Vectors are built with ``map`` over dict methods, so that the per-term loops run in C,
and only when needed: a candidate's cosine with the target needs its norm and the terms it
shares, and its whole vector only for the near-duplicate test, which first compares title
terms. Ties are broken by id, and sums run in an order fixed by the data, so the same data
gives the same list, to the last bit of the scores, in whatever order the candidates come.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from itertools import pairwise
from operator import mul

from tuireader.core.arabic import normalize
from tuireader.core.terms import (
    index_terms,
    index_text,
    is_stopword,
    stem,
    tokenize,
    tokenize_normalized,
)

__all__ = [
    "ANCHOR_MAX_ARTICLES",
    "ANCHOR_MAX_SHARE",
    "ENTITY_TEXT_LIMIT",
    "ENTITY_WEIGHT",
    "MIN_TOPICAL",
    "NEAR_DUP_TEXT",
    "NEAR_DUP_TITLE",
    "PHRASE_MAX_SHARE",
    "PHRASE_MIN_SIMILARITY",
    "PHRASE_UNFILED_MIN_SIMILARITY",
    "QUERY_ANCHORS",
    "SAME_STORY_ANCHORS",
    "SAME_STORY_MIN_SIMILARITY",
    "SAME_STORY_PHRASES",
    "SAME_STORY_SIMILARITY",
    "STORY_DAYS",
    "STORY_LINK_SIMILARITY",
    "TEXT_LIMIT",
    "TITLE_WEIGHT",
    "CandidateQuery",
    "IdfTable",
    "RelatedDoc",
    "RelatedResult",
    "candidate_query",
    "entities",
    "rank_related",
    "strongest_terms",
]

TITLE_WEIGHT = 3
TEXT_LIMIT = 2000
_TEXT_TERMS_LIMIT = 240  # stored text terms read: about TEXT_LIMIT characters of news
ENTITY_TEXT_LIMIT = 800  # names that matter are in the title and the lede
ENTITY_WEIGHT = 0.3
MIN_TOPICAL = 0.08
SAME_STORY_SIMILARITY = 0.17
SAME_STORY_MIN_SIMILARITY = 0.1  # with two shared entities
STORY_LINK_SIMILARITY = 0.2  # with an article of the same story
STORY_DAYS = 30.0  # the same story is published within this many days of the target
PHRASE_MIN_SIMILARITY = 0.04  # with SAME_STORY_PHRASES shared phrases, filed together
PHRASE_UNFILED_MIN_SIMILARITY = 0.08  # the same, when one of the two is filed nowhere
SAME_STORY_PHRASES = 2
PHRASE_MAX_SHARE = 0.07  # a phrase's rarer word occurs in at most this share of the index
SAME_STORY_ANCHORS = 2  # shared anchors that make a report in another script the same story
ANCHOR_MAX_SHARE = 0.07  # an anchor occurs in at most this share of the index,
ANCHOR_MAX_ARTICLES = 30  # and in at most this many articles (more than a story has)
QUERY_ANCHORS = 4  # the target's rarest amounts always asked of the index
NEAR_DUP_TITLE = 0.5
NEAR_DUP_TEXT = 0.75
SECTION_BOOST = 0.1
CATEGORY_BOOST = 0.1
RECENCY_BOOST = 0.2
RECENCY_DAYS = 3.0


@dataclass(frozen=True, slots=True)
class RelatedDoc:
    """An article as the ranking sees it. ``title_terms``/``text_terms``, when given, are the
    space-joined index terms already stored (the FTS5 columns), which saves re-tokenizing."""

    id: int
    title: str
    text: str
    section: str
    categories: tuple[str, ...]
    published: datetime
    source: str = ""
    title_terms: str | None = None
    text_terms: str | None = None


@dataclass(frozen=True, slots=True)
class RelatedResult:
    """One entry of the related list; ``also`` holds the ids of its near-duplicates."""

    id: int
    score: float
    same_story: bool
    also: tuple[int, ...] = ()


# --- named entities ------------------------------------------------------------------------

_LATIN_UPPER = "A-ZÀ-ÖØ-Þ"
_LATIN_NAME = rf"[{_LATIN_UPPER}][\w'’.-]*[\w]|[{_LATIN_UPPER}]"
# Starts with the capital (fast to find); a match inside a word (iPhone) is skipped in code.
_LATIN_SEQUENCE = re.compile(rf"(?:{_LATIN_NAME})(?:[ \t]+(?:{_LATIN_NAME}))*")
_LATIN_CAPITAL = re.compile(f"[{_LATIN_UPPER}]")
# What may stand just before a word that opens a sentence (searched in a short window).
_SENTENCE_END = re.compile(r"(?:^|[.!?؟:\n\"“”«»—-])\s*$")
_QUOTED = re.compile(r"«([^«»\n]{1,60})»|“([^“”\n]{1,60})”|\"([^\"\n]{1,60})\"|\(([^()\n]{1,60})\)")
_CLAUSE_END = re.compile(r"[.,،؛;:!?؟()«»\"“”\n]")

# Titles after which a person's name follows, possibly after adjectives with the article
# ("الرئيس الفرنسي إيمانويل ماكرون"); and words after which a place or organisation follows.
_PERSON_TITLES = (
    "الرئيس رئيس الملك العاهل الامير الاميرة الوزير وزير الوزيرة وزيرة السيد السيدة الشيخ "
    "الدكتور المدرب مدرب اللاعب لاعب النجم الجنرال الزعيم المستشار النائب القاضي الكاتب "
    "الفنان المخرج الصحفي المبعوث السفير"
)
_PLACE_ORG = (
    "شركة الشركة مجموعة منظمة حزب جامعة نادي فريق مدينة المدينة العاصمة بلدة قرية اقليم "
    "ولاية محافظة جزيرة مطار ميناء بنك مصرف وكالة صحيفة قناة مجلة"
)
_PERSON_TRIGGERS = frozenset(normalize(_PERSON_TITLES).split())
_PLACE_TRIGGERS = frozenset(normalize(_PLACE_ORG).split())
_TRIGGERS = _PERSON_TRIGGERS | _PLACE_TRIGGERS
_NAME_LINKS = frozenset(normalize("عبد أبو ابو بن ابن بنت أم").split())
# Capitalized in English and French, but not names.
_NOT_NAME_WORDS = (
    "monday tuesday wednesday thursday friday saturday sunday january february march "
    "april may june july august september october november december lundi mardi "
    "mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin "
    "juillet aout septembre octobre novembre decembre"
)
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())


# A name: its index terms, and whether its last term alone also names it (a family name).
_Name = tuple[tuple[str, ...], bool]


def _name(terms: list[str], *, last_alone: bool = True) -> list[_Name]:
    return [(tuple(terms), last_alone and len(terms) > 1)] if terms else []


def _latin_names(text: str) -> list[_Name]:
    found: list[_Name] = []
    if not _LATIN_CAPITAL.search(text):
        return found
    for match in _LATIN_SEQUENCE.finditer(text):
        start = match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "_'’"):
            continue
        words = match.group().split()
        at_sentence_start = start == 0 or bool(_SENTENCE_END.search(text, max(0, start - 8), start))
        # A capital at the start of a sentence says nothing; a stopword in front ("The UN")
        # is not part of the name.
        if at_sentence_start:
            if len(words) == 1 and not words[0].isupper():
                continue
            while words and all(is_stopword(token) for token in tokenize(words[0])):
                words.pop(0)
        while words and " ".join(tokenize(words[-1])) in _NOT_NAMES:
            words.pop()
        found.extend(_name(index_terms(" ".join(words))))
    return found


def _arabic_name_after(words: list[str], person: bool) -> list[str]:
    """The name that follows a title (person) or a place/organisation word, if any."""
    name: list[str] = []
    parts = 0
    skipped = 0
    for word in words:
        if word in _TRIGGERS or is_stopword(word):
            break
        joined = bool(name) and name[-1] in _NAME_LINKS  # عبد الله، ابو بكر، بن سلمان
        if word.startswith("ال") and person and not joined:
            # adjectives of the title (الفرنسي) come before the name; after it, they end it
            if name or skipped == 3:
                break
            skipped += 1
            continue
        name.append(word)
        if word not in _NAME_LINKS:
            parts += 1
            if parts == (2 if person else 1):
                break
    while name and name[-1] in _NAME_LINKS:
        name.pop()
    return name


def _arabic_names(normalized: str) -> list[_Name]:
    found: list[_Name] = []
    for clause in _CLAUSE_END.split(normalized):
        if _TRIGGERS.isdisjoint(clause.split()):
            continue  # most clauses: checked without leaving C
        words = tokenize_normalized(clause)
        for at, word in enumerate(words):
            if word not in _TRIGGERS:
                continue
            name = _arabic_name_after(words[at + 1 : at + 9], word in _PERSON_TRIGGERS)
            # the last word of عبد الله or محمد بن سلمان is not a name on its own
            last_alone = len(name) > 1 and name[-2] not in _NAME_LINKS
            terms = [stem(w) for w in name if not is_stopword(w)]
            found.extend(_name(terms, last_alone=last_alone))
    return found


def _names(text: str, normalized: str) -> list[_Name]:
    found = _latin_names(text)
    found.extend(_arabic_names(normalized))
    for match in _QUOTED.finditer(text):
        span = next(group for group in match.groups() if group is not None)
        if len(tokenize(span)) <= 4:
            found.extend(_name(index_terms(span)))
    return found


def entities(text: str) -> set[str]:
    """Proper nouns of ``text`` as entity keys (their index terms, space-joined).

    Heuristics, no dictionary: capitalized Latin sequences and acronyms (a lone capitalized
    word opening a sentence is skipped); Arabic names after a title (الرئيس، وزير، الشيخ…,
    skipping up to three adjectives with ال) or after a place/organisation word (شركة،
    مدينة، حزب…); and short spans (up to four words) in «», “”, "" or parentheses. A name
    of several words also gives its last word alone ("ماكرون" meets "إيمانويل ماكرون").
    Limits: Arabic names without such a cue are missed, Latin titles in Title Case give
    false entities, and the same name in two scripts gives two keys.
    """
    keys: set[str] = set()
    for terms, last_alone in _names(text, normalize(text)):
        keys.add(" ".join(terms))
        if last_alone:
            keys.add(terms[-1])
    return keys


@lru_cache(maxsize=256)
def _target_names(title: str, text: str) -> tuple[_Name, ...]:
    """The distinct names of an article's title and lede."""
    head = title + "\n" + text[:ENTITY_TEXT_LIMIT]
    return tuple(sorted(set(_names(head, normalize(head)))))


def _mentioned(names: tuple[_Name, ...], terms: Mapping[str, float]) -> int:
    """How many of ``names`` an article with these terms mentions (all the name's terms, or
    its family name alone). Candidates are matched on their terms, which is cheaper than
    finding their own names and also catches names written without a cue."""
    return sum(
        1
        for name_terms, last_alone in names
        if (last_alone and name_terms[-1] in terms) or all(t in terms for t in name_terms)
    )


# --- term vectors --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Features:
    counts: Counter[str]  # term counts, title terms counted TITLE_WEIGHT times more
    title_counts: Counter[str]


class _SublinearTf(dict[int, float]):
    """1 + log(tf), computed once per count."""

    def __missing__(self, count: int) -> float:
        value = self[count] = 1.0 + math.log(count)
        return value


_SUBLINEAR = _SublinearTf()


def _index_columns(
    title: str, text: str, title_terms: str | None, text_terms: str | None
) -> tuple[str, str]:
    """The index terms of a title and a text (space-separated), unless already known."""
    return (
        index_text(title) if title_terms is None else title_terms,
        index_text(text) if text_terms is None else text_terms,
    )


@lru_cache(maxsize=4096)
def _features(title: str, text: str, title_terms: str | None, text_terms: str | None) -> _Features:
    title_terms, text_terms = _index_columns(title, text, title_terms, text_terms)
    in_title = Counter(title_terms.split())
    combined = Counter(text_terms.split(None, _TEXT_TERMS_LIMIT)[:_TEXT_TERMS_LIMIT])
    for term, n in in_title.items():
        combined[term] += TITLE_WEIGHT * n
    return _Features(counts=combined, title_counts=in_title)


def _doc_features(doc: RelatedDoc) -> _Features:
    return _features(doc.title, doc.text[:TEXT_LIMIT], doc.title_terms, doc.text_terms)


@lru_cache(maxsize=1024)
def _pairs(
    title: str, text: str, title_terms: str | None, text_terms: str | None
) -> frozenset[str]:
    """The phrases of an article: pairs of adjacent index terms (stopwords were left out of
    them), in its title and its first terms, each as "first second"."""
    title_terms, text_terms = _index_columns(title, text, title_terms, text_terms)
    pairs: set[str] = set()
    for terms in (
        title_terms.split(),
        text_terms.split(None, _TEXT_TERMS_LIMIT)[:_TEXT_TERMS_LIMIT],
    ):
        pairs.update(map(" ".join, pairwise(terms)))
    return frozenset(pairs)


def _doc_pairs(doc: RelatedDoc) -> frozenset[str]:
    return _pairs(doc.title, doc.text[:TEXT_LIMIT], doc.title_terms, doc.text_terms)


class IdfTable(dict[str, float]):
    """Inverse document frequencies, ``log((n_docs + 1) / (df + 1)) + 1``, computed when a
    term is first looked up and kept: one table can serve many rankings over the same index.

    ``df`` gives a term's document frequency among ``n_docs`` articles (a mapping, or a
    function of the term)."""

    __slots__ = ("_df", "n_docs")

    def __init__(self, df: Callable[[str], int] | Mapping[str, int], n_docs: int) -> None:
        super().__init__()
        self._df: Callable[[str], int] = df if callable(df) else (lambda term: df.get(term, 0))
        self.n_docs = n_docs

    def df(self, term: str) -> int:
        """The document frequency of ``term``."""
        return self._df(term)

    def __missing__(self, term: str) -> float:
        value = self[term] = math.log((self.n_docs + 1) / (self._df(term) + 1)) + 1.0
        return value


_Idf = Mapping[str, float]
_Vector = tuple[dict[str, float], float]


# These loops run over every term of every candidate: map() over bound methods keeps them in
# C, which is where most of the time of a ranking goes.
def _weights(counts: Counter[str], idf: _Idf) -> list[float]:
    """Sublinear tf times idf for each term of ``counts``, in its order."""
    return list(
        map(mul, map(_SUBLINEAR.__getitem__, counts.values()), map(idf.__getitem__, counts))
    )


def _norm(weights: list[float]) -> float:
    return math.sqrt(sum(map(mul, weights, weights)))


def _vector(counts: Counter[str], idf: _Idf) -> _Vector:
    """tf·idf weights and their Euclidean norm."""
    weights = _weights(counts, idf)
    return dict(zip(counts, weights, strict=True)), _norm(weights)


def _dot(vector: dict[str, float], counts: Counter[str], idf: _Idf) -> float:
    """The dot product of ``vector`` with the tf·idf weights of ``counts`` (which need not
    be built), summed in the order of ``counts``: the same pair gives the same bits."""
    shared = list(filter(vector.__contains__, counts))
    theirs = map(
        mul,
        map(_SUBLINEAR.__getitem__, map(counts.__getitem__, shared)),
        map(idf.__getitem__, shared),
    )
    dot: float = sum(map(mul, map(vector.__getitem__, shared), theirs))
    return dot


def _cosine(a: _Vector, b: _Vector) -> float:
    (va, na), (vb, nb) = a, b
    if not na or not nb:
        return 0.0
    if len(va) > len(vb):
        va, vb = vb, va
    # The shared terms in va's order (a dict keeps the order of the text), so that the same
    # pair always sums in the same order: the scores are reproducible to the last bit.
    shared = list(filter(vb.__contains__, va))
    dot: float = sum(map(mul, map(va.__getitem__, shared), map(vb.__getitem__, shared)))
    return dot / (na * nb)


def strongest_terms(
    doc: RelatedDoc,
    df: Callable[[str], int] | Mapping[str, int] | IdfTable,
    n_docs: int = 0,
    limit: int = 12,
) -> list[str]:
    """The ``limit`` index terms of ``doc`` with the highest tf·idf (title weighted), to build
    the candidate query (``terms.fts_any_query``). ``df`` gives a term's document frequency
    in the index of ``n_docs`` articles, or is an ``IdfTable``. Best first, ties by term."""
    idf = df if isinstance(df, IdfTable) else IdfTable(df, n_docs)
    weights, _ = _vector(_doc_features(doc).counts, idf)
    return sorted(weights, key=lambda term: (-weights[term], term))[:limit]


@dataclass(frozen=True, slots=True)
class CandidateQuery:
    """What to ask the index for the candidates of one article.

    A candidate contains at least one ``gate`` term; candidates are ranked by the sum of the
    ``weights`` of the terms they contain."""

    weights: dict[str, float]
    gate: tuple[str, ...]


def candidate_query(
    doc: RelatedDoc,
    idf: IdfTable,
    *,
    limit: int = 12,
    postings: int = 0,
    gate_postings: int = 0,
    gate_least: int = 0,
    least: int = 3,
) -> CandidateQuery | None:
    """The candidate query of ``doc``; None when it has no terms.

    Terms: ``strongest_terms`` in order, skipping a term when the articles it occurs in
    would take the total past ``postings`` (0: no budget), but always the first ``least``;
    each weighs its tf·idf in ``doc`` times its idf (the doc's vector against a candidate's
    binary idf vector). Gate: the rarest of those terms, as long as they occur in at most
    ``gate_postings`` articles together (0: all terms), and in any case until they occur in
    ``gate_least`` articles besides ``doc`` (a word found nowhere else opens no gate).

    Why: the cost of the query is the postings it reads. Common terms are skipped or only
    checked within the articles that pass the gate; the rare terms (names, numbers, the
    story's own words) are what find the same story, and the common ones order the rest.
    """
    weights, _ = _vector(_doc_features(doc).counts, idf)
    chosen: dict[str, float] = {}
    total = 0
    for term in strongest_terms(doc, idf, limit=4 * limit):
        frequency = idf.df(term)
        if postings and len(chosen) >= least and total + frequency > postings:
            continue
        chosen[term] = weights[term] * idf[term]
        total += frequency
        if len(chosen) == limit:
            break
    # Amounts survive translation: they find the same story told in another language, whose
    # words the strongest terms cannot match.
    for term in _rare_numbers(weights, idf)[:QUERY_ANCHORS]:
        chosen.setdefault(term, weights[term] * idf[term])
    if not chosen:
        return None
    gate: list[str] = []
    total = others = 0
    for term in sorted(chosen, key=lambda term: (idf.df(term), term)):
        frequency = idf.df(term)
        over = gate_postings and total + frequency > gate_postings
        if gate and over and others >= gate_least:
            break
        gate.append(term)
        total += frequency
        others += max(0, frequency - 1)  # the articles of this term but doc
    return CandidateQuery(chosen, tuple(gate))


# --- anchors: what two languages share ----------------------------------------------------

_DECIMAL = re.compile(r"\d+(?:[.,]\d+)+")  # 2.25, 1.2, 800,000: an amount, not a year


def _is_number(term: str) -> bool:
    return _DECIMAL.fullmatch(term) is not None


def _is_latin(term: str) -> bool:
    return term[0] < "\x80" and term[0].isalpha()


@lru_cache(maxsize=4096)
def _latin_script(title_terms: tuple[str, ...]) -> bool:
    """Whether a title is mostly in Latin script (by its index terms)."""
    latin = sum(map(_is_latin, title_terms))
    return 2 * latin > len(title_terms)


def _doc_latin(features: _Features) -> bool:
    return _latin_script(tuple(features.title_counts))


def _anchor_limit(idf: IdfTable) -> float:
    """The most articles an anchor may occur in."""
    return min(ANCHOR_MAX_SHARE * idf.n_docs, ANCHOR_MAX_ARTICLES)


def _rare_numbers(weights: Mapping[str, float], idf: IdfTable) -> list[str]:
    """The amounts among the terms of ``weights`` that are rare in the index, rarest first."""
    most = _anchor_limit(idf)
    numbers = [term for term in weights if _is_number(term) and idf.df(term) <= most]
    return sorted(numbers, key=lambda term: (idf.df(term), term))


class _Anchors:
    """The terms a report shares with a report of the same story in another language:
    amounts written with a decimal point or digit grouping (2.25, 1.2, 800,000) and Latin
    words in the other's text (IMF, Sahel Telecom), when both are rare in the index.
    Translation keeps them, and two reports that share two of them within ``STORY_DAYS``
    tell the same story."""

    def __init__(self, target: _Features, idf: IdfTable) -> None:
        self.idf = idf
        self.latin = _doc_latin(target)
        self.counts = target.counts
        self.most = _anchor_limit(idf)

    def _rare(self, term: str) -> bool:
        return self.idf.df(term) <= self.most

    def shared(self, features: _Features) -> int:
        """How many anchors an article with these features shares with the target: none
        when both are in the same script, where the words themselves say more."""
        if _doc_latin(features) == self.latin:
            return 0
        common = features.counts.keys() & self.counts.keys()
        return sum(1 for t in common if (_is_number(t) or _is_latin(t)) and self._rare(t))


# --- ranking -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Scored:
    doc: RelatedDoc
    features: _Features
    weights: list[float]  # tf·idf, in the order of features.counts
    norm: float
    similarity: float  # text cosine with the target
    score: float
    same_story: bool
    listed: bool  # strong enough for an entry of its own
    vector: _Vector | None = None  # computed when first needed (grouping)
    title: _Vector | None = None

    def full_vector(self) -> _Vector:
        if self.vector is None:
            self.vector = dict(zip(self.features.counts, self.weights, strict=True)), self.norm
        return self.vector


@lru_cache(maxsize=1024)
def _label(text: str) -> str:
    return " ".join(normalize(text).split())


def _aware(moment: datetime) -> datetime:
    """A naive datetime is taken as UTC, so that naive and aware dates still compare."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class _Context:
    """How much the setting of a candidate (section, categories, date) lifts its score."""

    def __init__(self, target: RelatedDoc) -> None:
        self.section = _label(target.section) if target.section else None
        self.categories = frozenset(_label(c) for c in target.categories)
        self.published = _aware(target.published)

    def days(self, doc: RelatedDoc) -> float:
        """Days between the target and ``doc``."""
        return abs((self.published - _aware(doc.published)).total_seconds()) / 86400

    def same_section(self, doc: RelatedDoc) -> bool:
        """Whether ``doc`` is filed in the target's section."""
        return self.section is not None and self.section == _label(doc.section)

    def shared_categories(self, doc: RelatedDoc) -> int:
        """How many categories ``doc`` shares with the target."""
        if not self.categories or not doc.categories:
            return 0
        return len(self.categories & {_label(c) for c in doc.categories})

    def filed_together(self, doc: RelatedDoc) -> bool | None:
        """Whether the feeds filed ``doc`` with the target (same section or a shared
        category); None when one of the two is filed nowhere (no section, no category)."""
        if (self.section is None and not self.categories) or not (doc.section or doc.categories):
            return None
        return self.same_section(doc) or self.shared_categories(doc) > 0

    def boost(self, doc: RelatedDoc) -> float:
        boost = 1.0
        if self.same_section(doc):
            boost += SECTION_BOOST
        if self.categories and doc.categories:
            theirs = {_label(c) for c in doc.categories}
            shared = len(self.categories & theirs)
            boost += CATEGORY_BOOST * shared / len(self.categories | theirs)
        return boost + RECENCY_BOOST * math.exp(-self.days(doc) / RECENCY_DAYS)


def _link_stories(scored: list[_Scored], context: _Context) -> None:
    """Flag as the same story a listed candidate that is as close to a same-story candidate
    as ``STORY_LINK_SIMILARITY`` (a follow-up of a follow-up): one step, from the
    candidates flagged by their own similarity to the target."""
    story = [item for item in scored if item.same_story]
    if not story:
        return
    for item in scored:
        if item.same_story or not item.listed or context.days(item.doc) > STORY_DAYS:
            continue
        vector = item.full_vector()
        for other in story:
            if _cosine(vector, other.full_vector()) >= STORY_LINK_SIMILARITY:
                item.same_story = True
                break


class _Phrases:
    """The target's distinctive phrases, and how many of them a candidate shares: two
    articles that share several of them follow the same story, even when their words
    overall differ (a follow-up, a reaction). A phrase is distinctive when the rarer of its
    two terms occurs in at most ``PHRASE_MAX_SHARE`` of the articles: the phrase itself
    occurs in no more articles than that."""

    def __init__(self, target: RelatedDoc, idf: IdfTable) -> None:
        self.target = target
        self.idf = idf
        self.pairs: frozenset[str] | None = None  # computed when first needed

    def _distinctive(self, pairs: frozenset[str]) -> frozenset[str]:
        idf = self.idf
        most = PHRASE_MAX_SHARE * idf.n_docs
        return frozenset(p for p in pairs if min(map(idf.df, p.split())) <= most)

    def shared(self, doc: RelatedDoc) -> int:
        if self.pairs is None:
            self.pairs = self._distinctive(_doc_pairs(self.target))
        if not self.pairs:
            return 0
        return len(self.pairs & _doc_pairs(doc))


class _Grouper:
    """Folds near-duplicates into the entry of the best ranked of them."""

    def __init__(self, target: _Scored, idf: _Idf, limit: int) -> None:
        self.target = target
        self.idf = idf
        self.limit = limit
        self.groups: list[list[_Scored]] = []
        self.target_group: list[_Scored] | None = None

    def _title(self, item: _Scored) -> _Vector:
        if item.title is None:
            item.title = _vector(item.features.title_counts, self.idf)
        return item.title

    def _similar_titles(self, a: _Scored, b: _Scored) -> bool:
        # Titles without a common term have a cosine of 0: most pairs stop at this C-speed test.
        if a.features.title_counts.keys().isdisjoint(b.features.title_counts):
            return False
        return _cosine(self._title(a), self._title(b)) >= NEAR_DUP_TITLE

    def reprints_target(self, item: _Scored) -> bool:
        return item.similarity >= NEAR_DUP_TEXT and self._similar_titles(self.target, item)

    def near_duplicates(self, a: _Scored, b: _Scored) -> bool:
        return (
            self._similar_titles(a, b)
            and _cosine(a.full_vector(), b.full_vector()) >= NEAR_DUP_TEXT
        )

    def add(self, item: _Scored, *, may_open: bool) -> None:
        """Put ``item`` in the group it duplicates, or (``may_open``) in a group of its own.
        A reprint too weak to be listed alone is still listed under its group."""
        room = may_open and len(self.groups) < self.limit
        if self.reprints_target(item):
            if self.target_group is None:
                if not room:
                    return
                self.target_group = []
                self.groups.append(self.target_group)
            self.target_group.append(item)
            return
        for group in self.groups:
            if self.near_duplicates(group[0], item):  # the entry stands for its group
                group.append(item)
                return
        if room:
            self.groups.append([item])

    def results(self) -> list[RelatedResult]:
        return [
            RelatedResult(
                id=group[0].doc.id,
                score=group[0].score,
                same_story=group[0].same_story,
                also=tuple(member.doc.id for member in group[1:]),
            )
            for group in self.groups
        ]


def rank_related(
    target: RelatedDoc,
    candidates: Sequence[RelatedDoc],
    *,
    limit: int = 8,
    df: Callable[[str], int] | Mapping[str, int] | IdfTable | None = None,
    n_docs: int = 0,
) -> list[RelatedResult]:
    """Rank ``candidates`` as related articles of ``target`` (see the module docstring).

    Returns at most ``limit`` entries, same-story entries first, then by score, then by id;
    the target itself (by id) is never listed. ``df``/``n_docs``: document frequencies in
    the whole index, when known (or an ``IdfTable`` of them, which is then reused and
    extended); otherwise they are counted in the candidates.
    """
    unique: dict[int, RelatedDoc] = {}
    for doc in candidates:
        if doc.id != target.id:
            unique.setdefault(doc.id, doc)
    docs = sorted(unique.values(), key=lambda doc: doc.id)
    target_features = _doc_features(target)
    features = [_doc_features(doc) for doc in docs]
    idf: IdfTable
    if isinstance(df, IdfTable):
        idf = df
    elif df is None or n_docs <= 0:
        pool_df: Counter[str] = Counter(target_features.counts.keys())
        for feature in features:
            pool_df.update(feature.counts.keys())
        idf = IdfTable(pool_df, len(features) + 1)
    else:
        idf = IdfTable(df, n_docs)

    target_vector = _vector(target_features.counts, idf)
    target_weights, target_norm = target_vector
    context = _Context(target)
    names = _target_names(target.title, target.text)
    phrases = _Phrases(target, idf)
    anchors = _Anchors(target_features, idf)
    scored: list[_Scored] = []
    for doc, feature in zip(docs, features, strict=True):
        dot = _dot(target_weights, feature.counts, idf) if target_norm else 0.0
        if dot <= 0.0:
            continue
        weights = _weights(feature.counts, idf)
        norm = _norm(weights)
        similarity = dot / (target_norm * norm)
        shared = _mentioned(names, feature.counts) if names else 0
        # Names lift a textual match; they do not make one (a shared country is not a story).
        topical = similarity * (1.0 + (ENTITY_WEIGHT * shared / len(names) if names else 0.0))
        same_story = similarity >= SAME_STORY_SIMILARITY or (
            similarity >= SAME_STORY_MIN_SIMILARITY and shared >= 2
        )
        # A shared phrase or two is weak evidence (a term of the trade such as "gross domestic
        # product" is one too): it counts when the feeds filed both articles together, not
        # when they filed them apart, and needs more words in common when one is unfiled.
        if not same_story:
            filed = context.filed_together(doc)
            floor = PHRASE_MIN_SIMILARITY if filed else PHRASE_UNFILED_MIN_SIMILARITY
            if filed is not False and similarity >= floor:
                same_story = phrases.shared(doc) >= SAME_STORY_PHRASES
        if not same_story:
            same_story = anchors.shared(feature) >= SAME_STORY_ANCHORS
        # A story unfolds over days or weeks: the same words a season apart are another
        # edition of the event (a budget, a festival), not the same story.
        same_story = same_story and context.days(doc) <= STORY_DAYS
        score = round(topical * context.boost(doc), 6)
        listed = topical >= MIN_TOPICAL or same_story
        scored.append(_Scored(doc, feature, weights, norm, similarity, score, same_story, listed))
    _link_stories(scored, context)
    scored.sort(key=lambda s: (not s.same_story, -s.score, s.doc.id))

    target_item = _Scored(
        target, target_features, list(target_weights.values()), target_norm, 1.0, 0.0, True, True
    )
    target_item.vector = target_vector
    grouper = _Grouper(target_item, idf, limit)
    for item in scored:  # the entries first, then the reprints too weak to stand alone
        if item.listed:
            grouper.add(item, may_open=True)
    for item in scored:
        if not item.listed:
            grouper.add(item, may_open=False)
    return grouper.results()
