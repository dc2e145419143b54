"""The public layout API: paragraphs in, visual lines (plain or styled) out.

A :class:`ParagraphLayout` prepares one paragraph once (sanitize, isolate links, shape, resolve
bidi levels) and then lays it out at any width: wrap in logical order, reorder each line,
align. A resize only re-wraps and re-orders.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

from rich.cells import cell_len

from tuireader.text.bidi import (
    BaseDir,
    BidiParagraph,
    bidi_classes,
    paragraph_level,
    resolve_paragraph,
    strip_bidi_controls,
    visual_piece,
)
from tuireader.text.clusters import is_mark
from tuireader.text.links import isolate_links
from tuireader.text.sanitize import sanitize_text
from tuireader.text.shaping import shape_arabic, shaped_source_map
from tuireader.text.wrap import word_widths, wrap_ranges

BidiMode = Literal["app", "terminal", "off"]
ShapeMode = Literal["auto", "on", "off"]
Direction = Literal["rtl", "ltr"]

_BIDI_MODES = ("app", "terminal", "off")
_SHAPE_MODES = ("auto", "on", "off")
_NO_STYLE: frozenset[str] = frozenset()
_KEPT_WIDTHS = 4  # wrapped ranges kept per paragraph (a resize goes back and forth)


@dataclass(frozen=True, slots=True)
class Span:
    """A style over the characters ``[start, end)`` of a paragraph's logical text.

    ``style`` is a plain token the UI understands, e.g. "bold", "italic", "highlight" or
    "link:https://example.com/".
    """

    start: int
    end: int
    style: str


class Segment(NamedTuple):
    """Characters next to each other on screen that share one set of styles."""

    text: str
    styles: frozenset[str]


@dataclass(frozen=True, slots=True)
class VisualLine:
    """One line as written to the terminal, left to right, with its styled segments.

    ``start`` and ``end`` delimit the line in the paragraph's logical (sanitized) text, for
    copy and search.
    """

    text: str
    segments: tuple[Segment, ...]
    start: int
    end: int


def _compose(outer: list[int] | None, inner: list[int] | None) -> list[int] | None:
    """Chain two index maps: ``inner`` into the text that ``outer`` maps to the source."""
    if inner is None:
        return outer
    if outer is None:
        return inner
    return [outer[i] for i in inner]


class ParagraphLayout:
    """One paragraph, prepared once, laid out at any width.

    ``text`` is sanitized (a newline counts as a space); ``spans`` index the sanitized text,
    so text with spans must already be sanitized. With ``reorder`` the lines come out in visual
    order (what a terminal without bidi needs), otherwise in logical order. Aligned lines of an
    RTL paragraph are padded on the left, unless ``align_left``.
    """

    def __init__(
        self,
        text: str,
        *,
        base_dir: BaseDir = "auto",
        shaping: bool = False,
        reorder: bool = True,
        spans: Sequence[Span] = (),
        align_left: bool = False,
    ) -> None:
        source = sanitize_text(text).replace("\n", " ")
        if spans and source != text:
            raise ValueError("spans need a sanitized paragraph without newlines")
        self.source = source
        linked, self._links_map = isolate_links(source) if reorder else (source, None)
        self._unshaped = linked if shaping else None
        self.display = shape_arabic(linked) if shaping else linked
        self._source_map_ready = False
        self._source_map_value: list[int] | None = None
        self.bidi: BidiParagraph | None = None
        if reorder:
            self.bidi = resolve_paragraph(self.display, base_dir)
            base_level = self.bidi.base_level
        else:
            base_level = paragraph_level(bidi_classes(self.display), base_dir)
        self.direction: Direction = "rtl" if base_level & 1 else "ltr"
        self._right_aligned = self.direction == "rtl" and not align_left
        self._bounds, self._styles = self._style_runs(spans)
        self._ranges: dict[int, list[tuple[int, int]]] = {}
        self._word_widths: list[int] | None = None

    @classmethod
    def for_mode(
        cls,
        text: str,
        *,
        bidi: BidiMode = "app",
        shape: ShapeMode = "auto",
        base_dir: BaseDir = "auto",
        spans: Sequence[Span] = (),
    ) -> ParagraphLayout:
        """A layout for the app-wide modes: ``bidi`` app|terminal|off, ``shape`` auto|on|off.

        app: reordered here, shaped unless ``shape`` is off; terminal: logical order, unshaped
        (the terminal does both), RTL right-aligned; off: plain logical text, left-aligned.
        """
        _check_modes(bidi, shape)
        reorder = bidi == "app"
        return cls(
            text,
            base_dir=base_dir,
            shaping=reorder and shape != "off",
            reorder=reorder,
            spans=spans,
            align_left=bidi == "off",
        )

    # --- logical -----------------------------------------------------------------------------

    def ranges(self, width: int) -> list[tuple[int, int]]:
        """Lines as ``(start, end)`` offsets into :attr:`display`, wrapped at ``width``."""
        found = self._ranges.get(width)
        if found is None:
            if self._word_widths is None:
                self._word_widths = word_widths(self.display)
            if len(self._ranges) >= _KEPT_WIDTHS:
                self._ranges.clear()
            found = self._ranges[width] = wrap_ranges(self.display, width, self._word_widths)
        return found

    @property
    def _source_map(self) -> list[int] | None:
        """Display offset to source offset (one more entry than the display), None: same."""
        if not self._source_map_ready:
            shaped = None if self._unshaped is None else shaped_source_map(self._unshaped)
            self._source_map_value = _compose(self._links_map, shaped)
            self._source_map_ready = True
        return self._source_map_value

    def source_ranges(self, width: int) -> list[tuple[int, int]]:
        """Lines as ``(start, end)`` offsets into :attr:`source`, the sanitized paragraph.

        Consecutive ranges are separated by the dropped space, or by nothing after a hard
        split; characters removed by shaping belong to the line they were in.
        """
        source_map = self._source_map
        out: list[tuple[int, int]] = []
        previous_end = 0  # in the display text
        for display_start, display_end in self.ranges(width):
            start = out[-1][1] + display_start - previous_end if out else 0
            end = display_end if source_map is None else source_map[display_end]
            out.append((start, end))
            previous_end = display_end
        return out

    def logical_lines(self, width: int) -> list[str]:
        """The lines in logical order, as slices of the sanitized (unshaped) paragraph."""
        source = self.source
        return [source[start:end] for start, end in self.source_ranges(width)]

    # --- visual ------------------------------------------------------------------------------

    def visual_lines(self, width: int) -> list[str]:
        """Lines as written to the terminal, left to right, not padded; no bidi controls."""
        if self.bidi is None:
            display = self.display
            return [strip_bidi_controls(display[start:end]) for start, end in self.ranges(width)]
        reorder = self.bidi.reorder_line
        return [reorder(start, end) for start, end in self.ranges(width)]

    def aligned_lines(self, width: int) -> list[str]:
        """:meth:`visual_lines` padded to ``width`` cells: RTL to the right, LTR to the left."""
        return [self._pad(line, width)[0] for line in self.visual_lines(width)]

    def _pad(self, line: str, width: int) -> tuple[str, str]:
        """The padded line and the padding alone."""
        padding = " " * max(width - cell_len(line), 0)
        while True:
            padded = padding + line if self._right_aligned else line + padding
            # Rich counts a space after a ZWJ as joined (zero cells): measure the result.
            if not padding or cell_len(padded) >= width:
                return padded, padding
            padding += " "

    def lines(self, width: int, *, align: bool = True) -> list[VisualLine]:
        """Styled visual lines; with ``align``, padded to ``width`` cells by direction."""
        out = []
        for (start, end), (source_start, source_end) in zip(
            self.ranges(width), self.source_ranges(width), strict=True
        ):
            segments = self._segments(start, end)
            text = "".join(segment.text for segment in segments)
            if align:
                text, padding = self._pad(text, width)
                if padding:
                    pad = Segment(padding, _NO_STYLE)
                    segments = [pad, *segments] if self._right_aligned else [*segments, pad]
            out.append(VisualLine(text, tuple(segments), source_start, source_end))
        return out

    # --- styles ------------------------------------------------------------------------------

    def _display_offset(self, source_offset: int) -> int:
        if self._source_map is None:
            offset = source_offset
        else:
            offset = bisect_left(self._source_map, source_offset, hi=len(self.display))
        offset = min(max(offset, 0), len(self.display))
        while 0 < offset < len(self.display) and is_mark(self.display[offset]):
            offset -= 1  # a mark keeps the style of its base
        return offset

    def _style_runs(self, spans: Sequence[Span]) -> tuple[list[int], list[frozenset[str]]]:
        """Starts of the display ranges of constant style, and the style set of each."""
        placed = [
            (self._display_offset(span.start), self._display_offset(span.end), span.style)
            for span in spans
        ]
        bounds = sorted({0} | {start for start, _, _ in placed} | {end for _, end, _ in placed})
        styles = [
            frozenset(style for start, end, style in placed if start <= bound < end)
            for bound in bounds
        ]
        return bounds, styles

    def _segments(self, start: int, end: int) -> list[Segment]:
        """Styled pieces of the line ``[start, end)`` from left to right, merged by style."""
        runs = [(start, end, 0)] if self.bidi is None else self.bidi.visual_runs(start, end)
        pieces: list[Segment] = []
        for run_start, run_end, level in runs:
            run_pieces = []
            first = bisect_right(self._bounds, run_start) - 1
            for index in range(first, len(self._bounds)):
                piece_start = max(self._bounds[index], run_start)
                if piece_start >= run_end:
                    break
                piece_end = run_end
                if index + 1 < len(self._bounds):
                    piece_end = min(self._bounds[index + 1], run_end)
                text = visual_piece(self.display[piece_start:piece_end], level)
                run_pieces.append(Segment(text, self._styles[index]))
            pieces.extend(reversed(run_pieces) if level & 1 else run_pieces)
        merged: list[Segment] = []
        for piece in pieces:
            if not piece.text:
                continue
            if merged and merged[-1].styles == piece.styles:
                merged[-1] = Segment(merged[-1].text + piece.text, piece.styles)
            else:
                merged.append(piece)
        return merged


def _check_modes(bidi: str, shape: str) -> None:
    if bidi not in _BIDI_MODES:
        raise ValueError(f"bidi mode must be one of {', '.join(_BIDI_MODES)}, not {bidi!r}")
    if shape not in _SHAPE_MODES:
        raise ValueError(f"shape mode must be one of {', '.join(_SHAPE_MODES)}, not {shape!r}")


@lru_cache(maxsize=2048)
def _cached_layout(
    paragraph: str, bidi: BidiMode, shape: ShapeMode, base_dir: BaseDir
) -> ParagraphLayout:
    """Layouts of recent paragraphs, so that a resize only re-wraps and re-orders."""
    return ParagraphLayout.for_mode(paragraph, bidi=bidi, shape=shape, base_dir=base_dir)


def layout_paragraph(
    text: str, width: int, *, base_dir: BaseDir = "auto", shaping: bool = False
) -> list[str]:
    """Visual lines of ONE paragraph, cells from left to right, without padding.

    For a terminal that does no bidi of its own: levels resolved on the whole paragraph, lines
    broken greedily in logical order at spaces by cell width, each line reordered (UAX #9
    L1-L4). ``base_dir`` is "auto" (P2/P3), "ltr" or "rtl". With ``shaping`` Arabic letters are
    replaced by their contextual forms first. No control character is ever in the output; a
    newline in ``text`` counts as a space. Recent paragraphs keep their levels, so calling this
    again at another width only re-wraps and re-orders.
    """
    shape: ShapeMode = "on" if shaping else "off"
    return _cached_layout(text, "app", shape, base_dir).visual_lines(width)


ELLIPSIS = "…"
_WIDE = 100_000  # a width no single line reaches


@lru_cache(maxsize=8192)
def one_line(
    text: str,
    width: int,
    *,
    bidi: BidiMode = "app",
    shape: ShapeMode = "off",
    base_dir: BaseDir = "auto",
) -> str:
    """``text`` as one visual line of at most ``width`` cells, cut at its logical end with
    "…" (the left edge of a right-to-left title). Runs of whitespace count as one space."""
    _check_modes(bidi, shape)
    text = " ".join(text.split())
    if not text or width < 1:
        return ""
    whole = _cached_layout(text, bidi, shape, base_dir).visual_lines(_WIDE)[0]
    if cell_len(whole) <= width:
        return whole
    # The longest logical prefix that fits with its ellipsis.
    low, high, best = 0, len(text), ELLIPSIS[:width]
    while low < high:
        middle = (low + high + 1) // 2
        prefix = text[:middle].rstrip() + ELLIPSIS
        visual = _cached_layout(prefix, bidi, shape, base_dir).visual_lines(_WIDE)[0]
        if cell_len(visual) <= width:
            best, low = visual, middle
        else:
            high = middle - 1
    return best


def layout_text(
    text: str,
    width: int,
    *,
    bidi: BidiMode = "app",
    shape: ShapeMode = "auto",
    base_dir: BaseDir = "auto",
) -> list[str]:
    """Lines of a multi-paragraph text (paragraphs end at newlines) for the given modes.

    app: reordered (and shaped unless ``shape`` is off); terminal: logical order for terminals
    that reorder themselves. Both wrap at ``width`` and pad each line to ``width`` cells, RTL
    paragraphs right-aligned. off: the sanitized paragraphs as they are, one line each.
    """
    _check_modes(bidi, shape)
    paragraphs = sanitize_text(text).split("\n")
    if bidi == "off":
        return [strip_bidi_controls(paragraph) for paragraph in paragraphs]
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend(_cached_layout(paragraph, bidi, shape, base_dir).aligned_lines(width))
    return lines
