"""UAX #9 levels from python-bidi (the Rust unicode-bidi crate), for any paragraph.

python-bidi has no API for levels: they are read from the debug dump of
``get_display(debug=True)``, which holds one level per UTF-8 byte. python-bidi is pinned (0.6.12)
and :class:`BidiDumpError` says loudly when that format changes.
"""

from __future__ import annotations

import itertools
import re

from bidi import get_display


class BidiDumpError(RuntimeError):
    """python-bidi's debug dump no longer has the format we parse (pinned: 0.6.12)."""


_START_BYTE = bytes(0 if (b & 0xC0) == 0x80 else 1 for b in range(256))
_DIGITS = re.compile(r"\d+")
_SURROGATES = re.compile("[\ud800-\udfff]")


def python_bidi_levels(text: str, level: int) -> bytes:
    """Levels from python-bidi's ``get_display(debug=True)`` dump (one level per UTF-8 byte)."""
    text = _SURROGATES.sub("\ufffd", text)
    dump = get_display(text, base_dir="R" if level else "L", debug=True)
    if not isinstance(dump, str):
        raise BidiDumpError(f"python-bidi returned {type(dump).__name__}, not a debug string")
    start = dump.find("\n    levels: [\n")
    end = dump.find("\n    ],\n", start + 1)
    if start < 0 or end < 0:
        raise BidiDumpError("no 'levels: [' block in python-bidi's debug dump")
    per_byte = _DIGITS.findall(dump, start, end)
    encoded = text.encode("utf-8")
    if len(per_byte) != len(encoded):
        raise BidiDumpError(f"{len(per_byte)} levels in the dump for {len(encoded)} bytes")
    return bytes(int(v) for v in itertools.compress(per_byte, encoded.translate(_START_BYTE)))
