"""Make untrusted text safe to show: no control characters, no invisible junk."""

from __future__ import annotations

import re
import unicodedata

# C0 controls except newline, DEL, C1 controls (ESC and CSI among them).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JUNK = re.compile("[\u00ad\u200b\ufeff\U000e0000-\U000e007f]")


def sanitize_text(text: str) -> str:
    """Return ``text`` with controls (but newline) removed, tabs as spaces, NFC applied."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROLS.sub("", text)
    text = _JUNK.sub("", text)
    return unicodedata.normalize("NFC", text)
