"""Words to index terms, and what a user types to a safe FTS5 query.

One pipeline serves the index and the queries, so that both sides agree:

1. ``tokenize``: ``arabic.normalize``, Latin accents folded (``é`` → ``e``), then runs of
   letters and digits. Everything else separates words: spaces, punctuation (also ``،`` ``؛``
   ``؟`` and quotes «»), symbols. A number keeps its inner decimal or thousands separator as one
   token (``12.5``, ``1,000``; ``١٢٫٥`` → ``12.5``); FTS5's ``unicode61`` splits it again into
   adjacent tokens, which a quoted phrase still matches. Runs longer than 64 characters are
   dropped: they are not words.
2. ``index_terms``: tokens minus stopwords (Arabic, English, French, from ``data/``) and minus
   one-character tokens, each stemmed:

   - Arabic script: a light strip of the definite article with its clitics (``ال``, ``وال``,
     ``فال``, ``بال``, ``كال``, ``لل``, ``ولل``… when three letters or more remain), a final
     ``ه`` (folded ``ة``) read back as ``ة``, then Snowball Arabic (PyStemmer) on ``ال`` +
     the word. Feeding every word as a definite noun makes Snowball take the same noun path
     for ``انتخابات``, ``الانتخابات`` and ``والانتخابات`` (plain Snowball strips a verb
     suffix from the first and keeps the conjunction of the last). It is light stemming, not
     root extraction: ``المنتخب`` stays apart from ``الانتخابات``. Limits: pronoun suffixes on
     nouns are kept (``حكومتها``), verbs conflate less than nouns, and ``للاعبين`` (لِ +
     اللاعبين) loses one lam too many.
   - Latin script: Snowball English (French words get the English stemmer: consistent, if
     lighter than a French one).
   - Greek and Cyrillic: Snowball Greek and Russian. Other scripts and numbers: unchanged.

``fts_query`` quotes every term, so nothing a user types is read as an FTS5 operator.
Stemmers are not thread-safe: each thread gets its own.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources
from itertools import chain
from typing import TypeVar

import Stemmer

from tuireader.core.arabic import normalize

__all__ = [
    "MAX_TOKEN_LENGTH",
    "fts_any_query",
    "fts_query",
    "index_terms",
    "index_terms_normalized",
    "index_text",
    "is_stopword",
    "stem",
    "tokenize",
    "tokenize_normalized",
]

MAX_TOKEN_LENGTH = 64

# A number with inner separators, a run of Arabic-script letters, or a run of other letters
# and digits (covid19, g20); Arabic letters and digits are split (و15 → و, 15).
_ARABIC_LETTER = (
    "\u0620-\u064a\u066e-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff\u0750-\u077f\u08a0-\u08c9"
)
_TOKEN = re.compile(rf"[{_ARABIC_LETTER}]+|\d+(?:[.,]\d+)+|[^\W_{_ARABIC_LETTER}]+")
# Latin letters that carry a diacritic (precomposed or combining); only then is NFD worth it.
_LATIN_MARKED = re.compile("[\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]")
_LATIN_MARKS = re.compile("[\u0300-\u036f]")
# The article with its clitics, stripped only when three letters or more remain.
_DEFINITE = re.compile("^(?:[وف]?[بكل]?ال|[وف]?لل)(?=...)")
_DEFINITE_PARTIAL = re.compile("^(?:[وف]?[بكل]?ال|[وف]?لل)(?=..)")
_CONJUNCTIONS = ("و", "ف")
# و/ف + stopword is usually a stopword too (وفي، فإن); these are content words instead.
_CONJUNCTION_EXCEPTIONS = frozenset({"ولي"})

_local = threading.local()
V = TypeVar("V")


def _stemmer(algorithm: str) -> Stemmer.Stemmer:
    stemmers: dict[str, Stemmer.Stemmer] | None = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    stemmer = stemmers.get(algorithm)
    if stemmer is None:
        stemmer = stemmers[algorithm] = Stemmer.Stemmer(algorithm)
    return stemmer


def _fold_latin_accents(text: str) -> str:
    if not _LATIN_MARKED.search(text):
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _LATIN_MARKS.sub("", decomposed))


def tokenize(text: str) -> list[str]:
    """Split ``text`` into normalized word tokens (letters and digits), in order."""
    return tokenize_normalized(normalize(text))


def tokenize_normalized(text: str) -> list[str]:
    """``tokenize`` for a text that has already been through ``arabic.normalize``."""
    tokens: list[str] = _TOKEN.findall(_fold_latin_accents(text))
    if max(map(len, tokens), default=0) <= MAX_TOKEN_LENGTH:
        return tokens
    return [token for token in tokens if len(token) <= MAX_TOKEN_LENGTH]


def _script(char: str) -> str:
    code = ord(char)
    if 0x0600 <= code <= 0x08FF or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    if code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
        return "latin"
    if 0x0370 <= code <= 0x03FF or 0x1F00 <= code <= 0x1FFF:
        return "greek"
    if 0x0400 <= code <= 0x04FF:
        return "russian"
    return ""


def _stem_arabic(token: str) -> str:
    core = _DEFINITE.sub("", token, count=1)
    stemmed = _stemmer("arabic").stemWord("ال" + _unfold_teh_marbuta(core))
    # Snowball keeps the article it was given when the word is short; drop it here.
    if stemmed.startswith("ال") and (not core.startswith("ال") or len(stemmed) > len(core)):
        stemmed = stemmed[2:]
    stemmed = normalize(stemmed)
    # A stem of one or two letters would merge unrelated words (مليون → مل): keep the word.
    return core if len(stemmed) < 3 <= len(core) or not stemmed else stemmed


def _unfold_teh_marbuta(core: str) -> str:
    """Read a final ه back as ة, so that Snowball strips it as a feminine ending."""
    return core[:-1] + "ة" if len(core) >= 4 and core.endswith("ه") else core


@lru_cache(maxsize=100_000)
def stem(token: str) -> str:
    """Stem one normalized token (see the module docstring for the rules per script)."""
    if not token or token[0].isdigit():
        return token
    script = _script(token[0])
    if script == "arabic":
        return _stem_arabic(token)
    if script:
        stemmed: str = _stemmer("english" if script == "latin" else script).stemWord(token)
        return stemmed
    return token


@cache
def _stopwords() -> frozenset[str]:
    words: set[str] = set()
    data = resources.files("tuireader.core").joinpath("data")
    for name in ("stopwords-ar.txt", "stopwords-en.txt", "stopwords-fr.txt"):
        for line in data.joinpath(name).read_text(encoding="utf-8").splitlines():
            for token in tokenize(line.partition("#")[0]):
                words.add(token)
                if _script(token[0]) == "arabic" and len(token) >= 2:
                    for conjunction in _CONJUNCTIONS:
                        words.add(conjunction + token)
    return frozenset(words - _CONJUNCTION_EXCEPTIONS)


def is_stopword(token: str) -> bool:
    """Whether a normalized token is a stopword (or too short to mean anything alone)."""
    return len(token) < 2 or token in _stopwords()


class _Memo(dict[str, V]):
    """A dictionary that computes a missing value once and keeps it: a lookup of a known key
    stays in C (``map(table.__getitem__, ...)``). The words of news are bounded, but hostile
    feeds can invent words, so a table starts over when it holds ``LIMIT`` entries, and keys
    longer than ``KEY_LIMIT`` (no word is that long) are computed every time, not kept."""

    LIMIT = 100_000
    KEY_LIMIT = 256

    def compute(self, key: str) -> V:
        raise NotImplementedError

    def __missing__(self, key: str) -> V:
        value = self.compute(key)
        if len(key) > self.KEY_LIMIT:
            return value
        if len(self) >= self.LIMIT:
            self.clear()
        self[key] = value
        return value


class _ChunkTable(_Memo[tuple[str, ...]]):
    """A run of text between spaces → its index terms; filled as runs are first seen.

    Normalizing never joins or splits text at a space (no space is removed or made, and
    nothing composes across one), so the terms of a text are the terms of its space-separated
    runs, one after the other. News repeats its words with their punctuation ("المغرب،"),
    so most runs of an article are found here, and indexing skips normalizing and tokenizing
    them again.
    """

    def compute(self, chunk: str) -> tuple[str, ...]:
        return tuple(index_terms_normalized(normalize(chunk)))


_CHUNKS = _ChunkTable()


def index_terms(text: str) -> list[str]:
    """Stemmed, stopword-free terms of ``text`` in order; used for indexing and for queries."""
    return list(chain.from_iterable(map(_CHUNKS.__getitem__, text.split())))


class _JoinedChunkTable(_Memo[str]):
    """A run of text between ASCII spaces → its index terms joined by spaces ("" for none).

    The runs may hold other white space (newlines, no-break spaces): no term spans white
    space and normalizing treats it as it treats a space (see ``_ChunkTable``), so the terms
    of a run are still the terms of its pieces. Splitting at " " alone is a third cheaper
    than ``str.split()`` on Arabic text, and joined strings save building the list of terms.
    """

    def compute(self, chunk: str) -> str:
        return " ".join(index_terms_normalized(normalize(chunk)))


_JOINED_CHUNKS = _JoinedChunkTable()


def index_text(text: str) -> str:
    """``" ".join(index_terms(text))``, computed faster: what a search index column holds."""
    return " ".join(filter(None, map(_JOINED_CHUNKS.__getitem__, text.split(" "))))


class _TermTable(_Memo[str]):
    """Token → its index term, or "" for a stopword; filled as tokens are first seen.

    Indexing looks up every word of every article: a dictionary hit costs a fraction of
    a stopword test plus a stem call.
    """

    def compute(self, token: str) -> str:
        return "" if is_stopword(token) else stem(token)


_TERMS = _TermTable()


def index_terms_normalized(text: str) -> list[str]:
    """``index_terms`` for a text that has already been through ``arabic.normalize``."""
    return list(filter(None, map(_TERMS.__getitem__, tokenize_normalized(text))))


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _prefix_alternatives(token: str, *, broad: bool = False) -> list[str]:
    """Prefixes that find the words starting with ``token`` in an index of stems."""
    forms = [token, _DEFINITE_PARTIAL.sub("", token, count=1)]
    candidates = list(forms)
    if not is_stopword(token):
        candidates.append(stem(token))
    # A word typed halfway can be longer than the stem of the whole word: "حسابا" is on its
    # way to "حسابات" (stem حساب), "governme" to "government" (stem govern). Shorter prefixes
    # also find other words (مراك finds مراكز), so they are the second try.
    if broad:
        for form in forms:
            candidates += [form[:-cut] for cut in (1, 2) if len(form) - cut >= 4]
    unique = sorted({c for c in candidates if len(c) >= 2})
    # "abc"* already matches whatever "abcd"* would.
    return [c for c in unique if not any(c != o and c.startswith(o) for o in unique)]


def fts_query(user_query: str, *, prefix: bool = True, broad: bool = False) -> str | None:
    """Turn what a user typed into a safe FTS5 MATCH expression over index terms.

    Every term is a quoted string, so quotes, ``*``, ``-``, ``:``, ``^``, ``NEAR``, ``AND``,
    ``OR`` and ``NOT`` typed by the user are plain words or separators. Terms are ANDed.
    With ``prefix`` the last token is taken as the start of a word (live search while typing):
    it matches as itself, without its article and as its stem, each as a prefix; a last token
    of one character is ignored. Returns None when nothing searchable is left.
    """
    tokens = tokenize(user_query)
    last = tokens.pop() if prefix and tokens else None
    clauses: list[str] = []
    seen: set[str] = set()
    for token in tokens:
        if is_stopword(token):
            continue
        term = stem(token)
        if term not in seen:
            seen.add(term)
            clauses.append(_quote(term))
    if last is not None:
        alternatives = _prefix_alternatives(last, broad=broad)
        if len(alternatives) == 1:
            clauses.append(_quote(alternatives[0]) + " *")
        elif alternatives:
            clauses.append("(" + " OR ".join(_quote(a) + " *" for a in alternatives) + ")")
    return " AND ".join(clauses) if clauses else None


def fts_any_query(terms: Iterable[str]) -> str | None:
    """An FTS5 expression matching any of ``terms`` (index terms, e.g. the strongest terms of
    an article, to fetch candidates for related articles). None when ``terms`` is empty."""
    unique = list(dict.fromkeys(term for term in terms if term))
    return " OR ".join(_quote(term) for term in unique) if unique else None
