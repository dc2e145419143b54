"""Related-article ranking on a small fixture: two Arabic story clusters, an English one,
near-duplicate reprints, and distractors that share words but not the story."""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuireader.core import related as related_module
from tuireader.core.related import (
    IdfTable,
    RelatedDoc,
    RelatedResult,
    candidate_query,
    entities,
    rank_related,
    strongest_terms,
)
from tuireader.core.terms import fts_any_query, index_terms

T0 = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def doc(
    article_id: int, title: str, text: str, section: str, source: str, hours: float = 0.0
) -> RelatedDoc:
    return RelatedDoc(
        id=article_id,
        title=title,
        text=text,
        section=section,
        categories=(section,),
        published=T0 + timedelta(hours=hours),
        source=source,
    )


ELECTION_RESULTS = (
    "أعلن وزير الداخلية عبد الوافي لفتيت، مساء الخميس، النتائج الأولية للانتخابات التشريعية، "
    "وتصدر حزب التجمع الوطني للأحرار النتائج بحصوله على 102 مقعدا في مجلس النواب، متقدما على "
    "حزب الأصالة والمعاصرة وحزب الاستقلال. وبلغت نسبة المشاركة في الاقتراع 50.35 في المئة."
)
COACH_SPEECH = (
    "قال المدرب وليد الركراكي إن تأهل المنتخب المغربي إلى نهائيات كأس العالم جاء ثمرة عمل "
    "جماعي، مشيدا بأداء اللاعبين أمام النيجر في ملعب الأمير مولاي عبد الله بالرباط، ومؤكدا أن "
    "الطموح هو الذهاب بعيدا في المونديال."
)

ARTICLES = [
    # story A: legislative elections in Morocco
    doc(1, "وزارة الداخلية تعلن نتائج الانتخابات التشريعية في المغرب", ELECTION_RESULTS,
        "سياسة", "هسبريس"),
    doc(2, "نسبة المشاركة في الانتخابات التشريعية تتجاوز خمسين في المئة",
        "كشفت وزارة الداخلية أن نسبة المشاركة في الانتخابات التشريعية بلغت 50.35 في المئة، وهي "
        "أعلى من نسبة المشاركة في انتخابات 2016. وقال وزير الداخلية عبد الوافي لفتيت إن الاقتراع "
        "مر في ظروف عادية في جميع الأقاليم.", "سياسة", "اليوم 24", 1),
    doc(3, "الملك يعين عزيز أخنوش رئيسا للحكومة بعد فوز الأحرار في الانتخابات",
        "عين الملك محمد السادس، يوم الجمعة، عزيز أخنوش رئيس حزب التجمع الوطني للأحرار رئيسا "
        "للحكومة وكلفه بتشكيلها، بعد تصدر حزبه نتائج الانتخابات التشريعية بـ102 مقعد في مجلس "
        "النواب.", "سياسة", "هسبريس", 20),
    doc(4, "الداخلية تعلن نتائج الانتخابات التشريعية في المغرب",
        ELECTION_RESULTS.replace("وتصدر", "حيث تصدر").replace("في مجلس", "بمجلس"),
        "أخبار", "هبة بريس", 2),
    doc(5, "وزارة الداخلية تعلن النتائج الأولية للانتخابات التشريعية بالمغرب",
        ELECTION_RESULTS.replace("في الاقتراع ", ""), "سياسة", "الأيام", 3),
    # story B: the national football team qualifies for the World Cup
    doc(6, "المنتخب المغربي يتأهل إلى نهائيات كأس العالم",
        "تأهل المنتخب المغربي لكرة القدم إلى نهائيات كأس العالم بعد فوزه على منتخب النيجر "
        "بخمسة أهداف دون رد، في المباراة التي احتضنها ملعب الأمير مولاي عبد الله بالرباط. وسجل "
        "أيوب الكعبي هدفين.", "رياضة", "هسبريس", 30),
    doc(7, "الركراكي: التأهل إلى المونديال ثمرة عمل جماعي", COACH_SPEECH, "رياضة", "البطولة",
        32),
    doc(8, "الركراكي: التأهل للمونديال ثمرة عمل جماعي",
        COACH_SPEECH.replace("ومؤكدا", "مؤكدا").replace("في المونديال", "في البطولة"),
        "رياضة", "المنتخب", 33),
    doc(9, "الكعبي يتصدر ترتيب هدافي التصفيات الإفريقية لكأس العالم",
        "بات أيوب الكعبي مهاجم المنتخب المغربي متصدرا لترتيب هدافي التصفيات الإفريقية المؤهلة "
        "إلى كأس العالم، بعد هدفيه في مرمى النيجر على ملعب الأمير مولاي عبد الله.", "رياضة",
        "البطولة", 40),
    # distractors
    doc(10, "بنك المغرب يبقي على سعر الفائدة دون تغيير",
        "قرر مجلس بنك المغرب الإبقاء على سعر الفائدة الرئيسي في 2.75 في المئة، مشيرا إلى تراجع "
        "التضخم وتحسن آفاق نمو الاقتصاد الوطني.", "اقتصاد", "هسبريس", 5),
    doc(11, "ارتفاع صادرات المغرب من الفوسفات ومشتقاته",
        "سجلت صادرات الفوسفات ومشتقاته ارتفاعا بنسبة 12 في المئة خلال الأشهر العشرة الأولى، "
        "حسب معطيات مكتب الصرف.", "اقتصاد", "الأيام", 6),
    doc(12, "الانتخابات الرئاسية في مصر: إقبال ضعيف في اليوم الأول",
        "شهدت مراكز الاقتراع في القاهرة والإسكندرية إقبالا ضعيفا في اليوم الأول من الانتخابات "
        "الرئاسية المصرية، وفق ما أفادت الهيئة الوطنية للانتخابات.", "دولي", "الجزيرة", 4),
    doc(13, "أمطار رعدية مرتقبة بعدد من مناطق المملكة",
        "توقعت المديرية العامة للأرصاد الجوية تساقط أمطار رعدية قوية بعدد من مناطق المملكة "
        "يومي السبت والأحد، مع هبات رياح قوية.", "طقس", "هسبريس", 1),
    doc(14, "Apple unveils a new iPhone with satellite messaging",
        "Apple introduced on Tuesday a new iPhone that can send messages over satellite links "
        "when no mobile network is available.", "Technology", "The Verge", 2),
    doc(15, "منتخب كرة السلة يخسر أمام مصر في التصفيات",
        "خسر المنتخب الوطني لكرة السلة أمام نظيره المصري في مباراة ضمن التصفيات المؤهلة إلى "
        "بطولة إفريقيا.", "رياضة", "البطولة", 31),
    doc(16, "الحكومة تصادق على مشروع قانون المالية",
        "صادق مجلس الحكومة على مشروع قانون المالية للسنة المقبلة، الذي يتوقع نموا بنسبة 3.5 في "
        "المئة.", "سياسة", "اليوم 24", 8),
    doc(17, "حزب الاستقلال يعقد دورة مجلسه الوطني",
        "يعقد حزب الاستقلال دورة عادية لمجلسه الوطني نهاية الأسبوع الجاري لمناقشة الوضع "
        "التنظيمي للحزب.", "سياسة", "هبة بريس", 10),
    # story C: a storm in Western Europe (English)
    doc(18, "Storm Ciarán batters Western Europe",
        "Storm Ciarán brought winds of 190 km/h to Brittany and Cornwall on Thursday, leaving "
        "a million homes in France without power, Météo-France said.", "World", "BBC", 0),
    doc(19, "France counts the cost after Storm Ciarán",
        "Insurers in France expect claims worth hundreds of millions of euros after Storm "
        "Ciarán hit Brittany, where a million homes lost power.", "World", "France 24", 26),
    doc(20, "Cornwall rail lines reopen after the storm",
        "Rail services in Cornwall resumed on Friday after Storm Ciarán felled trees across "
        "the tracks, Network Rail said.", "World", "BBC", 24),
]  # fmt: skip

BY_ID = {article.id: article for article in ARTICLES}


def related(target_id: int, **kwargs: object) -> list[RelatedResult]:
    return rank_related(BY_ID[target_id], ARTICLES, **kwargs)  # type: ignore[arg-type]


def listed(results: list[RelatedResult]) -> set[int]:
    return {r.id for r in results} | {i for r in results for i in r.also}


def entry_of(results: list[RelatedResult], article_id: int) -> RelatedResult:
    return next(r for r in results if r.id == article_id or article_id in r.also)


# --- ranking -------------------------------------------------------------------------------


def test_election_story_first_with_reprints_of_the_target_grouped() -> None:
    results = related(1)
    same = [r for r in results if r.same_story]
    assert results[: len(same)] == same, "same-story entries come first"
    assert listed(same) == {2, 3, 4, 5}
    reprints = entry_of(results, 4)
    assert {reprints.id, *reprints.also} == {4, 5}, "the target's reprints are one entry"
    assert entry_of(results, 2) is not entry_of(results, 3), "follow-ups are separate entries"
    assert results[0] is reprints
    assert 1 not in listed(results)


def test_election_distractors_rank_below_the_story_or_not_at_all() -> None:
    results = related(1)
    assert not {13, 14, 18, 19, 20} & listed(results)  # weather, iPhone, storm: unrelated
    others = [r for r in results if not r.same_story]
    assert {r.id for r in others} <= {10, 11, 12, 15, 16, 17}
    # The Egyptian election shares the word, not the story: related, not the same story.
    assert 12 in {r.id for r in others}


def test_football_story_groups_the_reprinted_interview() -> None:
    results = related(6)
    same = [r for r in results if r.same_story]
    assert listed(same) == {7, 8, 9}
    interview = entry_of(results, 7)
    assert {interview.id, *interview.also} == {7, 8}
    assert entry_of(results, 9).also == ()
    # المنتخب (team) is not الانتخابات (elections): no election article is related here
    assert not {1, 2, 3, 4, 5} & listed(results)
    basketball = [r for r in results if r.id == 15]
    assert basketball == [] or not basketball[0].same_story


def test_reprint_as_target_finds_original_and_other_reprint_grouped() -> None:
    results = related(4)
    group = results[0]
    assert {group.id, *group.also} == {1, 5}
    assert group.same_story
    assert {2, 3} <= {r.id for r in results if r.same_story}


def test_english_story_through_latin_entities() -> None:
    results = related(18)
    assert [r.id for r in results if r.same_story] in ([19, 20], [20, 19])
    assert not {1, 6, 14} & listed(results)


def test_target_excluded_and_limit_respected() -> None:
    results = related(1, limit=2)
    assert len(results) == 2
    assert all(r.id != 1 and 1 not in r.also for r in results)
    assert rank_related(BY_ID[1], [BY_ID[1]]) == []
    assert rank_related(BY_ID[1], []) == []


def test_empty_articles_and_naive_dates() -> None:
    empty = replace(BY_ID[13], id=90, title="", text="")
    assert rank_related(empty, ARTICLES) == []
    assert 90 not in listed(rank_related(BY_ID[1], [*ARTICLES, empty]))
    naive = replace(BY_ID[2], published=BY_ID[2].published.replace(tzinfo=None))
    assert rank_related(BY_ID[1], [naive]) == rank_related(BY_ID[1], [BY_ID[2]])


def test_deterministic_whatever_the_candidate_order() -> None:
    expected = related(6)
    shuffled = ARTICLES.copy()
    rng = random.Random(7)
    for _ in range(5):
        rng.shuffle(shuffled)
        assert rank_related(BY_ID[6], shuffled) == expected
    assert rank_related(BY_ID[6], [*ARTICLES, *ARTICLES]) == expected  # duplicates ignored


def test_ties_are_broken_by_id() -> None:
    twin_a = replace(BY_ID[10], id=101, source="a")
    twin_b = replace(BY_ID[10], id=100, title="بنك المغرب يبقي سعر الفائدة دون تغيير")
    unrelated = replace(BY_ID[13], id=200)
    # two identical candidates except id: the smaller id is the entry, the other is "also"
    same_twins = [replace(twin_a, id=300), replace(twin_a, id=299)]
    results = rank_related(BY_ID[11], [*same_twins, unrelated])
    assert [(r.id, r.also) for r in results] == [(299, (300,))]
    assert rank_related(BY_ID[11], [twin_a, twin_b]) == rank_related(BY_ID[11], [twin_b, twin_a])


def test_scores_decrease_within_same_story_and_within_the_rest() -> None:
    for target in (1, 6, 18):
        results = related(target)
        for flag in (True, False):
            scores = [r.score for r in results if r.same_story is flag]
            assert scores == sorted(scores, reverse=True)


def test_global_document_frequencies_give_the_same_story() -> None:
    df: Counter[str] = Counter()
    for article in ARTICLES:
        df.update(set(index_terms(article.title)) | set(index_terms(article.text)))
    results = related(1, df=df, n_docs=len(ARTICLES))
    assert listed([r for r in results if r.same_story]) == {2, 3, 4, 5}


def test_stored_index_terms_are_used_like_the_text() -> None:
    stored = [
        replace(
            a,
            title_terms=" ".join(index_terms(a.title)),
            text_terms=" ".join(index_terms(a.text)),
        )
        for a in ARTICLES
    ]
    by_id = {a.id: a for a in stored}
    assert rank_related(by_id[6], stored) == related(6)


PARTY_COUNCIL = (
    "يعقد حزب الاستقلال دورة عادية لمجلسه الوطني نهاية الأسبوع الجاري لمناقشة الوضع التنظيمي "
    "للحزب واختيار أعضاء اللجنة التنفيذية الجديدة وتقييم أداء الفريق البرلماني خلال الدورة "
    "الخريفية، كما سيناقش المجلس مشروع الورقة المذهبية وتعديل النظام الداخلي."
)


def test_a_reprint_too_weak_to_stand_alone_is_still_listed_under_its_entry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    title = "حزب الاستقلال يعقد دورة مجلسه الوطني"
    ending = " ويأتي الاجتماع بعد نتائج الانتخابات التشريعية."
    report = doc(50, title + " بعد الانتخابات", PARTY_COUNCIL + ending, "سياسة", "أ", 10)
    reprint = doc(51, title, PARTY_COUNCIL, "سياسة", "ب", 11)
    pool = [*ARTICLES, report, reprint]
    # Sweep the entry threshold across the scores of the report and of its reprint (which
    # does not mention the elections): whenever either is listed, both are, in one entry.
    seen_alone = False
    for step in range(80):
        monkeypatch.setattr(related_module, "MIN_TOPICAL", step / 200)
        results = rank_related(BY_ID[1], pool, limit=20)
        if {50, 51} & listed(results):
            entry = entry_of(results, 50)
            assert {entry.id, *entry.also} == {50, 51}, step
            seen_alone = seen_alone or entry.also == (51,)
    assert seen_alone


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(sorted(BY_ID)),
    st.lists(st.sampled_from(sorted(BY_ID)), max_size=25),
    st.integers(min_value=1, max_value=10),
    st.randoms(use_true_random=False),
)
def test_ranking_invariants(
    target_id: int, candidate_ids: list[int], limit: int, rng: random.Random
) -> None:
    candidates = [BY_ID[i] for i in candidate_ids]
    results = rank_related(BY_ID[target_id], candidates, limit=limit)
    every = [r.id for r in results] + [i for r in results for i in r.also]
    assert len(every) == len(set(every)), "an article is listed once"
    assert target_id not in every
    assert set(every) <= set(candidate_ids)
    assert len(results) <= limit
    flags = [r.same_story for r in results]
    assert flags == sorted(flags, reverse=True), "same-story entries first"
    rng.shuffle(candidates)
    assert rank_related(BY_ID[target_id], candidates, limit=limit) == results


# --- strongest terms -----------------------------------------------------------------------


def test_strongest_terms_of_the_election_article() -> None:
    df: Counter[str] = Counter()
    for article in ARTICLES:
        df.update(set(index_terms(article.title)) | set(index_terms(article.text)))
    terms = strongest_terms(BY_ID[1], df, len(ARTICLES), limit=6)
    assert len(terms) == 6
    assert "تشريع" in terms  # title term, rare in the set
    assert terms == strongest_terms(BY_ID[1], lambda t: df[t], len(ARTICLES), limit=6)
    assert "في" not in terms
    query = fts_any_query(terms)
    assert query is not None and query.count(" OR ") == 5


# --- idf table and candidate query --------------------------------------------------------


def test_idf_table_computes_once_from_a_mapping_or_a_function() -> None:
    calls: list[str] = []

    def frequency(term: str) -> int:
        calls.append(term)
        return {"rare": 1, "common": 90}.get(term, 0)

    table = IdfTable(frequency, 100)
    assert table["rare"] == pytest.approx(math.log(101 / 2) + 1)
    assert table["common"] < table["rare"] < table["unseen"]
    assert table["rare"] == table["rare"] and calls.count("rare") == 1  # kept
    assert IdfTable({"rare": 1}, 100)["rare"] == table["rare"]
    assert table.df("common") == 90


def election_df() -> Counter[str]:
    df: Counter[str] = Counter()
    for article in ARTICLES:
        df.update(set(index_terms(article.title)) | set(index_terms(article.text)))
    return df


def test_candidate_query_without_budgets_is_the_strongest_terms() -> None:
    df = election_df()
    idf = IdfTable(df, len(ARTICLES))
    query = candidate_query(BY_ID[1], idf)
    assert query is not None
    assert list(query.weights) == strongest_terms(BY_ID[1], df, len(ARTICLES))
    assert set(query.gate) == set(query.weights)  # no gate budget: every term opens the gate
    weights, _ = related_module._vector(related_module._doc_features(BY_ID[1]).counts, idf)
    for term, weight in query.weights.items():
        assert weight == pytest.approx(weights[term] * idf[term])


def test_candidate_query_keeps_within_its_postings_budgets() -> None:
    # An index of 1,000 articles where most words are common and a few are rare.
    df = {term: 300 for term in index_terms(BY_ID[1].title + " " + BY_ID[1].text)}
    rare = ["تشريع", "لفتيت", "102"]
    df.update({"تشريع": 4, "لفتيت": 2, "102": 30})
    idf = IdfTable(df, 1000)
    unlimited = candidate_query(BY_ID[1], idf)
    query = candidate_query(BY_ID[1], idf, postings=1000, gate_postings=10, least=3)
    assert unlimited is not None and query is not None
    assert len(query.weights) < len(unlimited.weights)
    assert set(rare) <= set(query.weights)
    read = sum(df.get(term, 0) for term in query.weights)
    first_three = sum(df.get(term, 0) for term in list(query.weights)[:3])
    assert read <= max(1000, first_three)
    assert query.gate == ("لفتيت", "تشريع")  # the rarest, up to 10 articles together
    # The gate always holds the rarest term, whatever the budget.
    tight = candidate_query(BY_ID[1], idf, gate_postings=1)
    assert tight is not None and tight.gate == ("لفتيت",)
    empty = replace(BY_ID[13], id=90, title="", text="")
    assert candidate_query(empty, idf) is None


def test_a_gate_of_words_found_nowhere_else_opens_further() -> None:
    df = {term: 300 for term in index_terms(BY_ID[1].title + " " + BY_ID[1].text)}
    df.update({"تشريع": 1, "لفتيت": 1, "102": 30})  # the first two: only in this article
    idf = IdfTable(df, 1000)
    alone = candidate_query(BY_ID[1], idf, gate_postings=10)
    assert alone is not None and alone.gate == ("تشريع", "لفتيت")
    opened = candidate_query(BY_ID[1], idf, gate_postings=10, gate_least=20)
    assert opened is not None and opened.gate == ("تشريع", "لفتيت", "102")


# --- same story beyond the similarity threshold --------------------------------------------


def economy(article_id: int, title: str, text: str) -> RelatedDoc:
    return RelatedDoc(article_id, title, text, "Economy", ("Economy",), T0)


RATE_CUT = economy(
    1,
    "Central bank announces an interest rate cut",
    "The central bank announced an interest rate cut to 2.25 percent on Tuesday, citing "
    "slowing inflation and weak lending to small businesses.",
)
IMF_REACTION = economy(
    2,
    "IMF mission sees growth at 3.9 percent despite drought",
    "The IMF mission said growth would reach 3.9 percent next year despite the drought. It "
    "called the recent interest rate cut consistent with easing price pressures, and urged "
    "subsidy reform and a wider tax base.",
)
FUEL = economy(
    3,
    "Fuel prices fall after OPEC decision",
    "Fuel prices fall by 40 cents a litre after OPEC raised output; the interest of drivers "
    "in electric cars slowed, the ministry said on Tuesday.",
)
BANKS = economy(
    4,
    "Banks pledge cheaper mortgages",
    "Commercial banks pledged cheaper mortgages after the central bank decision, passing on "
    "the interest rate cut to home buyers within weeks.",
)
REFINANCING = economy(
    5,
    "Home buyers rush to refinance mortgages",
    "Home buyers rushed to refinance their mortgages as commercial banks passed on cheaper "
    "loans within weeks, with small lenders following after the central decision.",
)
RATE_STORY = [RATE_CUT, IMF_REACTION, FUEL, BANKS, REFINANCING]


def rate_df(**frequencies: int) -> dict[str, int]:
    """An index of 1,000 articles in which these words are rare, but a few common ones."""
    df = {
        term: 3
        for article in RATE_STORY
        for term in index_terms(article.title + " " + article.text)
    }
    df.update(dict.fromkeys(index_terms("the said on percent Tuesday"), 400))
    df.update(frequencies)
    return df


def similarity(a: RelatedDoc, b: RelatedDoc, df: dict[str, int]) -> float:
    idf = IdfTable(df, 1000)
    features = related_module._doc_features
    return related_module._cosine(
        related_module._vector(features(a).counts, idf),
        related_module._vector(features(b).counts, idf),
    )


def flags(target: RelatedDoc, candidates: list[RelatedDoc], df: dict[str, int]) -> dict[int, bool]:
    return {r.id: r.same_story for r in rank_related(target, candidates, df=df, n_docs=1000)}


def test_shared_distinctive_phrases_make_a_reaction_the_same_story(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    df = rate_df()
    # The reaction shares "interest rate" and "rate cut", and too few words to pass on them.
    assert similarity(RATE_CUT, IMF_REACTION, df) >= related_module.PHRASE_MIN_SIMILARITY
    assert similarity(RATE_CUT, IMF_REACTION, df) < related_module.SAME_STORY_SIMILARITY
    assert flags(RATE_CUT, [IMF_REACTION, FUEL], df) == {2: True, 3: False}
    # the fuel report shares the word "interest", not a phrase
    results = rank_related(RATE_CUT, [FUEL, IMF_REACTION], df=df, n_docs=1000)
    assert [r.id for r in results] == [2, 3]

    # A phrase is distinctive when its rarer word is: two common words say nothing.
    def phrases(df: dict[str, int]) -> int:
        return related_module._Phrases(RATE_CUT, IdfTable(df, 1000)).shared(IMF_REACTION)

    assert phrases(df) == 2
    assert phrases(rate_df(interest=200)) == 2  # "rate" is still rare
    assert phrases(rate_df(interest=200, rate=200)) == 1  # "rate cut" is left
    assert phrases(rate_df(interest=200, rate=200, cut=200)) == 0
    monkeypatch.setattr(related_module, "SAME_STORY_PHRASES", 3)
    assert flags(RATE_CUT, [IMF_REACTION, FUEL], df)[2] is False


def test_a_follow_up_of_a_follow_up_is_the_same_story(monkeypatch: pytest.MonkeyPatch) -> None:
    df = rate_df()
    # Refinancing follows the banks' pledge more than the rate cut itself.
    assert similarity(RATE_CUT, REFINANCING, df) < related_module.SAME_STORY_SIMILARITY
    assert similarity(BANKS, REFINANCING, df) >= related_module.STORY_LINK_SIMILARITY
    assert flags(RATE_CUT, [BANKS, REFINANCING, FUEL], df) == {4: True, 5: True, 3: False}
    assert flags(RATE_CUT, [REFINANCING, FUEL], df)[5] is False  # no link without the pledge
    monkeypatch.setattr(related_module, "STORY_LINK_SIMILARITY", 1.01)
    assert flags(RATE_CUT, [BANKS, REFINANCING, FUEL], df)[5] is False


def test_the_same_words_a_season_apart_are_not_the_same_story() -> None:
    later = replace(BY_ID[2], published=BY_ID[1].published + timedelta(days=60))
    soon = replace(BY_ID[2], published=BY_ID[1].published + timedelta(days=20))
    others = [a for a in ARTICLES if a.id != 2]
    assert entry_of(rank_related(BY_ID[1], [*others, soon]), 2).same_story
    moved = entry_of(rank_related(BY_ID[1], [*others, later]), 2)
    assert not moved.same_story  # still related, below the story
    results = rank_related(BY_ID[1], [*others, later])
    assert results.index(moved) >= len([r for r in results if r.same_story])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(BY_ID)), st.sampled_from(sorted(BY_ID)))
def test_scores_match_a_plain_cosine(target_id: int, other_id: int) -> None:
    """The C-speed vectors give the textbook cosine (exact sums, as in the first version)."""
    df = election_df()
    idf = IdfTable(df, len(ARTICLES))
    counts_a = related_module._doc_features(BY_ID[target_id]).counts
    counts_b = related_module._doc_features(BY_ID[other_id]).counts

    def plain(counts: Counter[str]) -> dict[str, float]:
        return {t: (1 + math.log(n)) * (math.log(21 / (df[t] + 1)) + 1) for t, n in counts.items()}

    a, b = plain(counts_a), plain(counts_b)
    dot = math.fsum(w * b[t] for t, w in a.items() if t in b)
    norms = math.sqrt(math.fsum(w * w for w in a.values())) * math.sqrt(
        math.fsum(w * w for w in b.values())
    )
    expected = dot / norms if norms else 0.0
    vector_a = related_module._vector(counts_a, idf)
    assert related_module._cosine(vector_a, related_module._vector(counts_b, idf)) == (
        pytest.approx(expected, abs=1e-12)
    )
    if vector_a[1]:
        fast = related_module._dot(vector_a[0], counts_b, idf)
        assert fast == pytest.approx(dot, abs=1e-9)


def test_a_phrase_counts_only_between_articles_filed_together() -> None:
    df = rate_df()
    # The same reaction filed by its feed under politics, with no category in common: the
    # shared phrases alone may be a term of the trade, and do not make the same story.
    elsewhere = replace(IMF_REACTION, section="Politics", categories=("Politics",))
    assert flags(RATE_CUT, [elsewhere, FUEL], df)[2] is False
    tagged = replace(elsewhere, categories=("Politics", "Economy"))
    assert flags(RATE_CUT, [tagged, FUEL], df)[2] is True  # a shared category is enough
    assert flags(RATE_CUT, [IMF_REACTION, FUEL], df)[2] is True  # as is the same section


def test_a_phrase_between_unfiled_articles_needs_more_words_in_common(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    df = rate_df()
    # A feed that files its articles nowhere: the phrases count, at the former floor.
    unfiled = replace(IMF_REACTION, section="", categories=())
    floor = related_module.PHRASE_UNFILED_MIN_SIMILARITY
    assert related_module.PHRASE_MIN_SIMILARITY < floor <= similarity(RATE_CUT, unfiled, df)
    assert flags(RATE_CUT, [unfiled, FUEL], df)[2] is True
    assert flags(replace(RATE_CUT, section="", categories=()), [IMF_REACTION], df)[2] is True
    monkeypatch.setattr(related_module, "PHRASE_UNFILED_MIN_SIMILARITY", 0.5)
    assert flags(RATE_CUT, [unfiled, FUEL], df)[2] is False
    assert flags(RATE_CUT, [IMF_REACTION, FUEL], df)[2] is True  # filed together: 0.04


# --- the same story in another script ------------------------------------------------------

RATE_CUT_AR = RelatedDoc(
    10,
    "البنك المركزي يخفض سعر الفائدة الرئيسي إلى 2.25%",
    "قرر مجلس البنك المركزي خفض سعر الفائدة الرئيسي بـ25 نقطة أساس إلى 2.25%، مستندا إلى "
    "تراجع التضخم إلى 1.8% في أكتوبر وتباطؤ القروض الممنوحة للمقاولات. وقال الوالي في ندوة "
    "صحفية إن القرار يهدف إلى دعم الاستثمار الخاص دون المساس باستقرار الأسعار، فيما وصف صندوق "
    "النقد الدولي (IMF) القرار بأنه مناسب. ومن المنتظر أن ينعكس على أسعار القروض العقارية "
    "والاستهلاكية خلال الأشهر المقبلة.",
    "اقتصاد",
    ("اقتصاد",),
    T0 - timedelta(hours=20),
)
RATE_CUT_EN = economy(
    11,
    "Emerging-market central banks extend their easing cycle",
    "Central banks in several emerging economies cut interest rates this week as inflation "
    "cooled. In North Africa, one central bank lowered its policy rate by 25 basis points to "
    "2.25%, citing inflation of 1.8% in October. Elsewhere, policymakers in Latin America and "
    "Asia trimmed rates by smaller margins than markets had hoped, and the IMF warned that "
    "cutting too quickly could reignite inflation where food prices remain volatile.",
)
OTHER_EN = economy(
    12,
    "Copper hits a 14-month high after floods shut a mine",
    "Copper prices rose 2.25% on Tuesday as floods shut a large mine, traders said.",
)


def anchor_df(**frequencies: int) -> dict[str, int]:
    """An index of 1,000 articles in which the amounts and names are rare, words common."""
    df = {
        term: 40
        for article in (RATE_CUT_AR, RATE_CUT_EN, OTHER_EN)
        for term in index_terms(article.title + " " + article.text)
    }
    df.update({"2.25": 3, "1.8": 3, "imf": 5})
    df.update(frequencies)
    return df


def test_a_report_in_the_other_script_is_the_same_story_by_its_anchors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    df = anchor_df()
    # No word in common: only 25, the amounts 2.25 and 1.8 and the name IMF.
    features = related_module._doc_features
    common = features(RATE_CUT_EN).counts.keys() & features(RATE_CUT_AR).counts.keys()
    assert common == {"25", "2.25", "1.8", "imf"}
    assert similarity(RATE_CUT_EN, RATE_CUT_AR, df) < related_module.SAME_STORY_SIMILARITY
    found = flags(RATE_CUT_EN, [RATE_CUT_AR, OTHER_EN], df)
    assert found[10] is True and found.get(12, False) is False
    assert flags(RATE_CUT_AR, [RATE_CUT_EN], df) == {11: True}  # both ways
    results = rank_related(RATE_CUT_EN, [OTHER_EN, RATE_CUT_AR], df=df, n_docs=1000)
    assert results[0].id == 10  # the same story first, whatever its score
    # One anchor is a coincidence (the copper report also rose 2.25%).
    lone = anchor_df(**{"1.8": 400, "imf": 400})
    assert flags(RATE_CUT_EN, [RATE_CUT_AR], lone).get(10, False) is False
    # An anchor in more articles than a story has is no anchor.
    crowded = anchor_df(**{"2.25": related_module.ANCHOR_MAX_ARTICLES + 1})
    anchors = related_module._Anchors(features(RATE_CUT_EN), IdfTable(crowded, 1000))
    assert anchors.shared(features(RATE_CUT_AR)) == 2  # 1.8 and IMF
    # A season apart it is another story.
    later = replace(RATE_CUT_AR, published=T0 + timedelta(days=60))
    assert flags(RATE_CUT_EN, [later], df).get(10, False) is False
    # Without the anchors rule nothing else links them.
    monkeypatch.setattr(related_module, "SAME_STORY_ANCHORS", 4)
    assert flags(RATE_CUT_EN, [RATE_CUT_AR, OTHER_EN], df).get(10, False) is False


def test_anchors_link_only_reports_in_different_scripts() -> None:
    df = anchor_df()
    # Two English reports sharing the amount and the name: their words decide, not anchors.
    twin = replace(OTHER_EN, text=OTHER_EN.text + " Inflation was 1.8%, the IMF said.")
    features = related_module._doc_features
    anchors = related_module._Anchors(features(RATE_CUT_EN), IdfTable(df, 1000))
    assert anchors.shared(features(twin)) == 0
    assert anchors.shared(features(RATE_CUT_AR)) == 3
    assert related_module._latin_script(("central", "bank", "2.25")) is True
    assert related_module._latin_script(("بنك", "مركز", "opec")) is False
    assert related_module._latin_script(()) is False


def test_candidate_query_asks_for_the_rarest_amounts() -> None:
    # Common words fill the strongest terms; the rare amounts are asked for as well, so that
    # the report in another language, which shares only them, is a candidate.
    df = anchor_df(**{"2.25": 20, "1.8": 25, "25": 300})
    idf = IdfTable(df, 1000)
    query = candidate_query(RATE_CUT_EN, idf, limit=3)
    assert query is not None
    assert list(query.weights)[:3] == strongest_terms(RATE_CUT_EN, idf, limit=3)
    assert list(query.weights)[3:] == ["2.25", "1.8"]  # rarest first; 25 is not an amount
    assert {"2.25", "1.8"} <= set(query.gate)
    crowded = anchor_df(**{"2.25": 20, "1.8": related_module.ANCHOR_MAX_ARTICLES + 1})
    query = candidate_query(RATE_CUT_EN, IdfTable(crowded, 1000), limit=3)
    assert query is not None and list(query.weights)[3:] == ["2.25"]
    # a year is not an amount; equally rare amounts come in the order of their terms
    amounts = {"3.5": 1.0, "2027": 1.0, "800,000": 1.0}
    assert related_module._rare_numbers(amounts, idf) == ["3.5", "800,000"]


# --- entities ------------------------------------------------------------------------------


def test_latin_entities() -> None:
    found = entities(
        "The United Nations said on Monday that NATO and Joe Biden met. Voters went to the "
        "polls in New York."
    )
    assert {"unit nation", "nato", "joe biden", "biden", "new york"} <= found
    assert not {"the", "voter", "monday"} & found
    assert entities("À Paris, le Président Macron a reçu le 3 Février la délégation.") == {
        "pari", "presid macron", "macron",
    }  # fmt: skip


def test_arabic_entities_after_titles_and_in_quotes() -> None:
    found = entities(
        "أعلن وزير الداخلية المغربي عبد الوافي لفتيت النتائج، وقال الرئيس الفرنسي إيمانويل "
        "ماكرون إن شركة أمازون ستفتح مكتبا في مدينة طنجة، بحسب منظمة «هيومن رايتس ووتش» (HRW)."
    )
    assert {"عبد واف لفتيت", "لفتيت", "ايمانويل ماكر", "ماكر", "طنج", "hrw"} <= found
    assert {"اماز", "هيوم رايتس ووتش"} <= found
    # the title's adjectives (الداخلية، الفرنسي) are not names
    assert not {"داخل", "فرنس", "مغرب"} & found


def test_arabic_entities_spelling_variants_meet() -> None:
    vocalised = entities("قال الرئيسُ ماكرونُ إنّ")
    assert vocalised == entities("قال الرئيس ماكرون إن") == {"ماكر"}


def test_long_quotes_are_speech_not_names() -> None:
    assert entities("وقال «إن الحكومة ستواصل العمل على تنفيذ الإصلاحات المعلنة»") == set()


@pytest.mark.parametrize("hostile", ["", "\x1b[2J«»()", "«" * 500, "A " * 2000, "ال" * 300])
def test_entities_survive_hostile_text(hostile: str) -> None:
    entities(hostile)
