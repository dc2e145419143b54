"""Right-to-left text layout for terminals: pure functions, no UI, no I/O.

``layout_paragraph`` lays out one paragraph, ``layout_text`` a whole text for the app's modes,
``ParagraphLayout`` keeps a paragraph's levels for re-layout at other widths and carries inline
styles (``Span``) through the reordering.
"""

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
)
from tuireader.text.sanitize import sanitize_text

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
    "paragraph_direction",
    "resolve_paragraph",
    "sanitize_text",
    "strip_bidi_controls",
]
