"""Arabic shaping for terminals that do not shape: letters to their contextual forms.

Shaping runs on the logical paragraph, before bidi levels and before wrapping (a lam-alef
ligature takes one cell for two letters). It keeps harakat, makes no ALLAH ligature (its glyph
spills over two cells) and drops ZWJ/ZWNJ afterwards.

The forms and ligatures are arabic-reshaper's (its letter table and ligature patterns, with our
configuration), applied by :func:`fast_reshape` with string operations instead of its loop per
character, which is several times slower; tests check both give the same text. Shaping is done
word by word with a cache: letters never join across a space, so the result is the same as for
the whole paragraph, and news text repeats its words.
"""

from __future__ import annotations

import os
import re
from functools import cache
from typing import Any

from tuireader.text.clusters import is_mark

_ARABIC_LETTERS = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_JOINERS = "\u200c\u200d"
_DROP_JOINERS: dict[int, None] = dict.fromkeys(map(ord, _JOINERS))
_LAM_ALEF = re.compile("[\ufef5-\ufefc]")
_CONFIG_VARIABLE = "PYTHON_ARABIC_RESHAPER_CONFIGURATION_FILE"
_CACHE_LIMIT = 100_000


@cache
def _reshaper() -> Any:
    """Our own reshaper, built without the configuration file an environment variable names.

    That variable is read on import and on construction; a bad path there would make the import
    raise, and a good one could turn on ligatures that do not fit a cell.
    """
    saved = os.environ.pop(_CONFIG_VARIABLE, None)
    try:
        import arabic_reshaper

        return arabic_reshaper.ArabicReshaper(
            configuration={
                "delete_harakat": False,
                "shift_harakat_position": False,
                "support_ligatures": True,
                "ARABIC LIGATURE ALLAH": False,
            }
        )
    finally:
        if saved is not None:
            os.environ[_CONFIG_VARIABLE] = saved


def reshape(text: str) -> str:
    """arabic-reshaper with our configuration on ``text`` as a whole, ZWJ/ZWNJ dropped."""
    return str(_reshaper().reshape(text)).translate(_DROP_JOINERS)


_ISOLATED, _INITIAL, _MEDIAL, _FINAL = 0, 1, 2, 3
_JOINS_NEXT = re.compile("D(?=[DR])")  # a dual-joining letter followed by a joining one
_JOINS_PREVIOUS = re.compile("(?<=D)[DR]")
_FLAG = bytes(1 if b in b"*" else 0 for b in range(256))


class _JoiningClasses(dict[int, str]):
    """``str.translate`` table: D, R or U for the letters arabic-reshaper shapes, else X."""

    def __missing__(self, cp: int) -> str:
        self[cp] = "X"
        return "X"


class _Shaper:
    """arabic-reshaper's letter forms and ligatures applied with string operations.

    Letters are classed by their forms in arabic-reshaper's table: dual-joining (D: all four
    forms), right-joining (R: isolated and final) or non-joining; anything else is not shaped.
    Two letters join when the first is D and the second D or R; harakat are transparent.
    """

    def __init__(self) -> None:
        reshaper = _reshaper()  # imports arabic_reshaper without the environment's file
        from arabic_reshaper.arabic_reshaper import HARAKAT_RE
        from arabic_reshaper.letters import LETTERS_ARABIC

        self.reshaper = reshaper
        self.harakat = re.compile(HARAKAT_RE.pattern + "+")
        self.joining = _JoiningClasses()
        self.glyph: dict[tuple[str, int], str] = {}
        for letter, forms in LETTERS_ARABIC.items():
            kinds = "".join("1" if form else "0" for form in forms)
            self.joining[ord(letter)] = {"1111": "D", "1001": "R"}.get(kinds, "U")
            for form, glyph in enumerate(forms):
                self.glyph[letter, form] = glyph

    def forms(self, letters: str) -> bytes:
        """The form of each letter: 0 isolated, 1 initial, 2 medial, 3 final."""
        classes = letters.translate(self.joining)
        joins_next = _JOINS_NEXT.sub("*", classes).encode().translate(_FLAG)
        joins_previous = _JOINS_PREVIOUS.sub("*", classes).encode().translate(_FLAG)
        total = int.from_bytes(joins_next, "big") + 2 * int.from_bytes(joins_previous, "big")
        # 1 + 2 * 1 = 3 would be final: both flags mean medial, so swap 3 and 2.
        return total.to_bytes(len(letters), "big").translate(_FORM_OF_FLAGS)

    def shape(self, text: str) -> str:
        """Reshape ``text`` (without ZWJ) as arabic-reshaper would."""
        letters = self.harakat.sub("", text)
        forms = self.forms(letters)
        glyph = self.glyph
        glyphs = [glyph.get((c, f), c) or c for c, f in zip(letters, forms, strict=True)]
        for match in self.reshaper._ligatures_re.finditer(letters):
            group = next(i for i, found in enumerate(match.groups()) if found)
            ligature = self.reshaper._get_ligature_forms_from_re_group_index(group)
            start, end = match.span()
            form = _ligature_form(forms[start], forms[end - 1])
            if ligature[form]:
                glyphs[start:end] = [ligature[form]] + [""] * (end - start - 1)
        if len(letters) != len(text):  # put the harakat back after the letter they follow
            removed = 0
            for run in self.harakat.finditer(text):
                before = run.start() - removed
                if before:
                    glyphs[before - 1] += run.group()
                else:
                    glyphs.insert(0, run.group())
                    removed -= 1
                removed += len(run.group())
        return "".join(glyphs)


# flags (joins next = 1, joins previous = 2) to form: none isolated, 1 initial, 2 final, 3 medial
_FORM_OF_FLAGS = bytes([_ISOLATED, _INITIAL, _FINAL, _MEDIAL] + [0] * 252)


def _ligature_form(first: int, last: int) -> int:
    """Form of a ligature from the forms of its first and last letters."""
    closed = last in (_ISOLATED, _FINAL)
    if first in (_ISOLATED, _INITIAL):
        return _ISOLATED if closed else _INITIAL
    return _FINAL if closed else _MEDIAL


@cache
def _shaper() -> _Shaper:
    return _Shaper()


def fast_reshape(text: str) -> str:
    """Shape like :func:`reshape`, several times faster, ZWJ/ZWNJ dropped.

    The results are the same (tests compare both on arbitrary text) except around a ZWJ, where
    arabic-reshaper moves harakat or even raises IndexError; here a ZWJ joins like a
    dual-joining letter that has no glyph.
    """
    return _drop_joiners(_shaper().shape(text))


def _drop_joiners(text: str) -> str:
    if _JOINERS[0] in text or _JOINERS[1] in text:
        return text.translate(_DROP_JOINERS)
    return text


def _align(word: str, shaped: str) -> list[int]:
    """Source index of each character of ``shaped`` (a lam-alef ligature eats its alef)."""
    positions: list[int] = []
    eaten: set[int] = set()
    i = 0
    for char in shaped:
        while i < len(word) and (i in eaten or word[i] in _JOINERS):
            i += 1
        positions.append(min(i, len(word)))
        if _LAM_ALEF.match(char):
            alef = i + 1
            while alef < len(word) and is_mark(word[alef]):
                alef += 1
            eaten.add(alef)
        i += 1
    return positions


_word_cache: dict[str, tuple[str, list[int] | None]] = {}


def _learn_words(words: list[str]) -> None:
    """Shape the words not in the cache yet, with one reshaper call (it is slow to start)."""
    new = list(dict.fromkeys(w for w in words if w not in _word_cache))
    if not new:
        return
    if len(_word_cache) + len(new) > _CACHE_LIMIT:
        _word_cache.clear()
    arabic = [w for w in new if _ARABIC_LETTERS.search(w)]
    shaped_arabic = fast_reshape(" ".join(arabic)).split(" ") if arabic else []
    if len(shaped_arabic) != len(arabic):  # never seen: the reshaper keeps spaces as they are
        shaped_arabic = [fast_reshape(w) for w in arabic]
    shaped_of = dict(zip(arabic, shaped_arabic, strict=True))
    for word in new:
        shaped = shaped_of.get(word)
        if shaped is None:
            shaped = _drop_joiners(word)
        _word_cache[word] = (shaped, None if len(shaped) == len(word) else _align(word, shaped))


def _needs_shaping(text: str) -> bool:
    return bool(_ARABIC_LETTERS.search(text)) or _JOINERS[0] in text or _JOINERS[1] in text


def shape_arabic(text: str) -> str:
    """Shape the Arabic letters of one logical paragraph and drop ZWJ/ZWNJ."""
    if not _needs_shaping(text):
        return text
    words = text.split(" ")
    _learn_words(words)
    cache = _word_cache
    return " ".join([cache[word][0] for word in words])


def shaped_source_map(text: str) -> list[int] | None:
    """For each character of ``shape_arabic(text)``, plus its end, the index in ``text`` of its
    first source character; None when shaping kept every character in place."""
    if not _needs_shaping(text):
        return None
    words = text.split(" ")
    _learn_words(words)
    source: list[int] | None = None
    offset = 0
    for word in words:
        positions = _word_cache[word][1]
        if positions is not None and source is None:
            source = list(range(offset))  # the words so far kept their places
        if source is not None:
            if positions is None:
                source.extend(range(offset, offset + len(word)))
            else:
                source.extend(offset + p for p in positions)
            source.append(offset + len(word))  # the space after the word, or the end
        offset += len(word) + 1
    return source
