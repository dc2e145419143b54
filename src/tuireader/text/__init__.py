"""Right-to-left text layout for terminals: pure functions, no UI, no I/O.

``layout_paragraph`` lays out one paragraph, ``layout_text`` a whole text for the app's modes,
``ParagraphLayout`` keeps a paragraph's levels for re-layout at other widths and carries inline
styles (``Span``) through the reordering.

The names are loaded from their modules when first used: a command that only sanitizes text
(``tuireader refresh``) does not load the bidi algorithm and the layout engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tuireader.text.bidi import (
        BaseDir,
        BidiParagraph,
        paragraph_direction,
        resolve_paragraph,
        strip_bidi_controls,
    )
    from tuireader.text.layout import (
        BidiMode,
        ParagraphLayout,
        Segment,
        ShapeMode,
        Span,
        VisualLine,
        layout_paragraph,
        layout_text,
        one_line,
    )
    from tuireader.text.sanitize import sanitize_text

_MODULE_OF = {
    **dict.fromkeys(
        (
            "BaseDir",
            "BidiParagraph",
            "paragraph_direction",
            "resolve_paragraph",
            "strip_bidi_controls",
        ),
        "bidi",
    ),
    **dict.fromkeys(
        (
            "BidiMode",
            "ParagraphLayout",
            "Segment",
            "ShapeMode",
            "Span",
            "VisualLine",
            "layout_paragraph",
            "layout_text",
            "one_line",
        ),
        "layout",
    ),
    "sanitize_text": "sanitize",
}

__all__ = [
    "BaseDir",
    "BidiMode",
    "BidiParagraph",
    "ParagraphLayout",
    "Segment",
    "ShapeMode",
    "Span",
    "VisualLine",
    "layout_paragraph",
    "layout_text",
    "one_line",
    "paragraph_direction",
    "resolve_paragraph",
    "sanitize_text",
    "strip_bidi_controls",
]


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # found directly from now on
    return value
