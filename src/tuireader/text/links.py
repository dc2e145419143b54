"""Isolate URLs, e-mail addresses and @handles so that they read correctly inside RTL text."""

from __future__ import annotations

import re

FSI = "\u2068"
PDI = "\u2069"

# Trailing punctuation is left outside: "(see https://x.example/a)." must not take ")." along.
_LINK = re.compile(
    r"(?:https?://|www\.)[^\s\u2066-\u2069]+?(?=[.,;:!?'\")\]}»،؛؟]*(?:\s|\Z|[\u2066-\u2069]))"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w@])@\w+",
)
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff]")


def isolate_links(text: str) -> tuple[str, list[int] | None]:
    """Wrap each URL, e-mail address and @handle of an RTL-containing ``text`` in FSI...PDI.

    Returns the new text and, for each of its characters plus the end, the index in ``text``
    it comes from (an FSI maps to its link's first character, a PDI to the one after the link);
    None when nothing changed. Text without right-to-left letters is returned as it is.
    """
    might_link = "://" in text or "www." in text or "@" in text
    if not might_link or not _RTL_LETTER.search(text):
        return text, None
    parts: list[str] = []
    source: list[int] = []
    last = 0
    for link in _LINK.finditer(text):
        start, end = link.span()
        parts += [text[last:start], FSI, link.group(), PDI]
        source += [*range(last, start), start, *range(start, end), end]
        last = end
    if not parts:
        return text, None
    parts.append(text[last:])
    source += [*range(last, len(text)), len(text)]
    return "".join(parts), source
