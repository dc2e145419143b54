"""Tokens, index terms and FTS5 queries, checked against a real SQLite FTS5 table."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuireader.core import terms as terms_module
from tuireader.core.schema import SEARCH_TOKENIZER
from tuireader.core.searchtext import html_text, index_fields
from tuireader.core.terms import (
    MAX_TOKEN_LENGTH,
    fts_any_query,
    fts_query,
    index_terms,
    is_stopword,
    stem,
    tokenize,
)


def one_term(word: str) -> str:
    terms = index_terms(word)
    assert len(terms) == 1, (word, terms)
    return terms[0]


# --- tokenize ------------------------------------------------------------------------------


def test_tokenize_splits_on_arabic_and_latin_punctuation() -> None:
    text = "قال الوزير، إن «المغرب»؛ هل يفوز؟ (نعم) - NATO/UN: ok!"
    assert tokenize(text) == [
        "قال", "الوزير", "ان", "المغرب", "هل", "يفوز", "نعم", "nato", "un", "ok",
    ]  # fmt: skip


def test_tokenize_keeps_vocalised_words_whole() -> None:
    # FTS5's unicode61 would cut الْمَغْرِبُ at every haraka; we strip them first.
    assert tokenize("الْمَغْرِبُ يَفُوزُ") == ["المغرب", "يفوز"]


def test_tokenize_numbers_keep_inner_separators() -> None:
    assert tokenize("نمو ١٢٫٥ في المئة عام ٢٠٢٤، و1,000 درهم.") == [
        "نمو", "12.5", "في", "الميه", "عام", "2024", "و", "1,000", "درهم",
    ]  # fmt: skip
    assert tokenize("3.5% in 2024.") == ["3.5", "in", "2024"]


def test_tokenize_folds_latin_accents() -> None:
    assert tokenize("L'Économie À Bientôt") == ["l", "economie", "a", "bientot"]


def test_tokenize_drops_controls_and_overlong_runs() -> None:
    hostile = "\x1b[31mred\x1b[0m \u202eevil " + "x" * (MAX_TOKEN_LENGTH + 1) + " ok"
    assert tokenize(hostile) == ["31mred", "0m", "evil", "ok"]


@given(st.text(max_size=80))
def test_tokens_are_letters_and_digits_only(text: str) -> None:
    for token in tokenize(text):
        assert token
        assert len(token) <= MAX_TOKEN_LENGTH
        assert all(c.isalnum() or c in ".," for c in token), token
        assert token == token.strip()


# --- index terms ---------------------------------------------------------------------------


def test_vocalised_unvocalised_and_definite_share_a_term() -> None:
    assert one_term("الْمَغْرِبُ") == one_term("مغرب") == one_term("المغرب") == "مغرب"
    for clitic_form in ("والمغرب", "فالمغرب", "بالمغرب", "للمغرب", "كالمغرب"):
        assert one_term(clitic_form) == "مغرب"


def test_elections_family_matches_but_not_national_team() -> None:
    forms = ["الانتخابات", "انتخابات", "والانتخابات", "بالانتخابات", "للانتخابات", "انتخاب"]
    assert {one_term(f) for f in forms} == {"انتخاب"}
    # Root extraction (ISRI) would give نخب to both; light stemming keeps them apart.
    assert one_term("المنتخب") == "منتخب"
    assert one_term("المنتخب") != one_term("الانتخابات")


def test_nisba_adjectives_reach_the_noun() -> None:
    assert one_term("الاقتصادية") == one_term("اقتصادي") == one_term("الاقتصاد") == "اقتصاد"
    assert one_term("المغربية") == one_term("مغربي") == "مغرب"


@pytest.mark.parametrize(
    ("forms", "expected"),
    [
        (["المعلمون", "المعلمين", "معلمون", "معلمين", "المعلمات", "معلمات", "معلم"], "معلم"),
        (["الحكومة", "حكومة", "حكومات", "الحكومات", "والحكومة"], "حكوم"),
        (["الوزير", "وزير", "وزيران", "الوزيرين"], "وزير"),  # singular and dual
        (["الشركة", "شركة", "شركات", "الشركات"], "شرك"),
        (["سيارة", "سيارات"], "سيار"),  # plain Snowball gives يارا for سيارات
        (["المنظمة", "منظمة", "منظمات"], "منظم"),
    ],
)
def test_sound_plurals_duals_and_feminine_forms_conflate(forms: list[str], expected: str) -> None:
    assert {one_term(f) for f in forms} == {expected}


def test_broken_plurals_are_not_conflated() -> None:
    # Snowball is a light stemmer: broken plurals are different words, which we accept.
    assert one_term("الوزراء") == "وزراء" != one_term("الوزير")
    assert one_term("الدول") == one_term("دولة") == "دول"  # by spelling, not by morphology


def test_short_stems_fall_back_to_the_word() -> None:
    assert one_term("مليون") == one_term("المليون") == "مليون"
    assert one_term("غزة") == one_term("غزه") == "غزه"


def test_stopwords_removed_in_three_languages() -> None:
    assert index_terms("قال الوزير إن الحكومة في المغرب وفي تونس هذا العام") == [
        "وزير", "حكوم", "مغرب", "تونس", "عام",
    ]  # fmt: skip
    assert tokenize("covid19 G20 الـCNN") == ["covid19", "g20", "ال", "cnn"]
    assert index_terms("The elections in Morocco were held") == ["elect", "morocco", "held"]
    assert index_terms("Les élections au Maroc ont été reportées") == [
        "elect", "maroc", "reporte",  # the English stemmer, on French
    ]  # fmt: skip
    assert index_terms("مراسل الـCNN") == ["مراسل", "cnn"]


def test_conjunction_plus_stopword_is_a_stopword_but_crown_prince_is_not() -> None:
    assert is_stopword("وفي") and is_stopword("فان") and is_stopword("ومن")
    assert not is_stopword("ولي")
    assert "ولي" in index_terms("ولي العهد")


def test_english_stemming() -> None:
    assert one_term("Elections") == one_term("election") == "elect"
    assert one_term("running") == "run"


def test_numbers_are_not_stemmed() -> None:
    assert index_terms("٢٠٢٤ 12.5 7") == ["2024", "12.5"]


def test_stem_is_stable_under_threads() -> None:
    words = tokenize("الانتخابات المغربية الاقتصادية elections running المعلمون " * 50)
    expected = [stem.__wrapped__(w) for w in words]

    def run(_: int) -> list[str]:
        return [stem.__wrapped__(w) for w in words]

    with ThreadPoolExecutor(max_workers=4) as pool:
        for result in pool.map(run, range(8)):
            assert result == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("المغربيةانتخابات وفيمنel ction2٣.,"), max_size=60))
def test_the_term_table_gives_what_stemming_each_word_gives(text: str) -> None:
    expected = [stem(t) for t in tokenize(text) if not is_stopword(t)]
    assert index_terms(text) == expected
    assert index_terms(text) == expected  # a second time, from the table


# Letters, harakat, tatweel, presentation forms, digits of three systems, separators that
# normalizing folds or removes, spaces of several kinds, Latin with accents, punctuation.
TRICKY = (
    "المغربيةانتخاباتوفيمن ً ٌ ّ ْ ـ ﻻ ﺍ ١٢٫٥٬ ۴ 12.5, e\u0301 É ß ﬁ \u200b\u200c\u200d\u200f"
    "\u202e\u2066\u00ad\ufeff\u00a0\u2009\u3000\u1680\u0085\n\t،؛«»()-_'\"*"
)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(TRICKY), max_size=60))
def test_terms_by_space_separated_runs_are_the_terms_of_the_whole_text(text: str) -> None:
    from tuireader.core.arabic import normalize

    assert index_terms(text) == terms_module.index_terms_normalized(normalize(text))


def test_the_term_table_starts_over_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    table = terms_module._TermTable()
    monkeypatch.setattr(terms_module, "_TERMS", table)
    monkeypatch.setattr(terms_module._TermTable, "LIMIT", 3)
    words = "الانتخابات المغربية الاقتصادية والحكومة البرلمان"
    assert index_terms(words) == [stem(t) for t in tokenize(words)]
    assert 0 < len(table) <= 3


def test_html_text_keeps_words_of_adjacent_blocks_apart() -> None:
    html = "<p>الانتخابات</p><p>المغربية</p><script>var hidden</script><!-- x -->&amp; done"
    assert html_text(html).split() == ["الانتخابات", "المغربية", "&", "done"]
    assert index_fields("عنوان", html)[1].split() == index_terms("الانتخابات المغربية done")


# --- FTS5 queries --------------------------------------------------------------------------

DOCS = {
    1: ("الانتخابات التشريعية في المغرب", "فاز الحزب في الانتخابات بعد حملة طويلة."),
    2: ("المنتخب المغربي يتأهل", "تأهل المنتخب إلى نهائي كأس إفريقيا."),
    3: ("الاقتصاد الوطني ينمو", "سجل الاقتصاد المغربي نموا بنسبة ١٢٫٥ في المئة."),
    4: ("Elections in Morocco", "Voters went to the polls on Wednesday."),
    5: ('NEAR title: "quoted"', "a b c * ^ - : ( ) AND OR NOT"),
}


@pytest.fixture
def fts() -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(":memory:")
    db.execute(f'CREATE VIRTUAL TABLE idx USING fts5(title, body, tokenize="{SEARCH_TOKENIZER}")')
    for rowid, (title, body) in DOCS.items():
        db.execute(
            "INSERT INTO idx(rowid, title, body) VALUES (?, ?, ?)",
            (rowid, " ".join(index_terms(title)), " ".join(index_terms(body))),
        )
    yield db
    db.close()


def search(db: sqlite3.Connection, query: str, *, prefix: bool = True) -> list[int]:
    expression = fts_query(query, prefix=prefix)
    if expression is None:
        return []
    rows = db.execute(
        "SELECT rowid FROM idx WHERE idx MATCH ? ORDER BY bm25(idx, 3.0, 1.0), rowid",
        (expression,),
    )
    return [row[0] for row in rows]


def test_query_matches_any_spelling(fts: sqlite3.Connection) -> None:
    for query in ("الانتخابات", "انتخابات", "والانتخابات", "الِانْتِخَابَات"):
        assert search(fts, query, prefix=False) == [1], query
    assert search(fts, "المنتخب", prefix=False) == [2]
    assert search(fts, "اقتصادية", prefix=False) == [3]
    assert search(fts, "١٢٫٥", prefix=False) == [3]
    assert search(fts, "12.5", prefix=False) == [3]
    assert search(fts, "ELECTION morocco", prefix=False) == [4]


def test_query_terms_are_anded(fts: sqlite3.Connection) -> None:
    assert set(search(fts, "المغرب", prefix=False)) == {1, 2, 3}
    assert search(fts, "المغرب انتخابات", prefix=False) == [1]
    assert search(fts, "المغرب elections", prefix=False) == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("الانت", {1}),  # the article typed, the index holds stems without it
        ("انتخا", {1}),
        ("الانتخابات", {1}),  # a whole word typed is still found through its stem
        ("المنت", {2}),
        ("الاقتص", {3}),
        ("المغرب الانتخ", {1}),
        ("elec", {4}),
        ("Elections", {4}),
        ("Morocco vot", {4}),
    ],
)
def test_prefix_search_while_typing(
    fts: sqlite3.Connection, typed: str, expected: set[int]
) -> None:
    assert set(search(fts, typed)) == expected


@pytest.mark.parametrize(
    "hostile",
    [
        '"',
        '""',
        '"unterminated',
        "*",
        "morocco*",
        "NEAR(a b)",
        "title:elections",
        "^elections",
        "-elections",
        "elections NOT morocco",
        "elections OR",
        "AND",
        "(",
        "a)",
        "{title body}: x",
        "\x00\x1b[2J",
        "‮انتخابات",
        "+ - * / : ^ ~",
    ],
)
def test_hostile_input_never_breaks_the_query(fts: sqlite3.Connection, hostile: str) -> None:
    for prefix in (True, False):
        expression = fts_query(hostile, prefix=prefix)
        if expression is not None:
            fts.execute("SELECT rowid FROM idx WHERE idx MATCH ?", (expression,)).fetchall()


def test_operators_typed_are_words_not_operators(fts: sqlite3.Connection) -> None:
    # "NOT" would exclude Morocco if it were an operator; quoted, it is a (stop)word.
    assert fts_query("elections NOT morocco", prefix=False) == '"elect" AND "morocco"'
    assert search(fts, "elections NOT morocco", prefix=False) == [4]
    assert search(fts, "near", prefix=False) == [5]
    assert search(fts, "title: quoted", prefix=False) == [5]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), st.booleans())
def test_any_text_gives_a_valid_expression(text: str, prefix: bool) -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE idx USING fts5(body)")
    expression = fts_query(text, prefix=prefix)
    if expression is not None:
        db.execute("SELECT rowid FROM idx WHERE idx MATCH ?", (expression,)).fetchall()
    db.close()


def test_no_usable_terms_gives_none() -> None:
    assert fts_query("") is None
    assert fts_query("   ؟!،") is None
    assert fts_query("في من على", prefix=False) is None
    assert fts_query("م") is None  # one letter typed: too little to search


def test_fts_any_query(fts: sqlite3.Connection) -> None:
    assert fts_any_query([]) is None
    expression = fts_any_query(["انتخاب", "منتخب", "انتخاب", 'a"b'])
    assert expression == '"انتخاب" OR "منتخب" OR "a""b"'
    rows = fts.execute("SELECT rowid FROM idx WHERE idx MATCH ? ORDER BY rowid", (expression,))
    assert [r[0] for r in rows] == [1, 2]
