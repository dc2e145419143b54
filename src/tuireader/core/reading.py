"""An article as the reader shows it: title, meta line, body blocks and numbered links,
laid out by the text engine into styled visual lines at any width.

The layout of each paragraph is prepared once (levels, shaping) so that a resize only
re-wraps and re-orders. Style tokens are plain strings ("title", "bold", "link:URL", …): the
TUI turns them into colours, the CLI into plain text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len

from tuireader.core.arabic import normalize
from tuireader.core.document import Block, BlockKind, Document, Inline
from tuireader.core.models import Article, Direction
from tuireader.text import ParagraphLayout, Segment, Span, sanitize_text

NO_STYLE: frozenset[str] = frozenset()
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Labels:
    """Words the renderer writes itself, in the interface language."""

    links: str = "Links"
    image: str = "image"
    summary_note: str = "Showing the feed's summary: {reason}"


@dataclass(frozen=True, slots=True)
class ReadingLine:
    """One screen line, left to right, as styled segments."""

    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)


@dataclass(slots=True)
class _Piece:
    """One laid-out paragraph with what surrounds it on screen."""

    layout: ParagraphLayout | None  # None for a rule
    style: frozenset[str] = NO_STYLE
    indent: int = 0  # cells on the reading side
    marker: str = ""  # a list marker or quote bar, on the reading side of the first line
    bar: bool = False  # a quote bar on every line
    gap_after: bool = True
    cache: dict[int, list[ReadingLine]] = field(default_factory=dict)


def meta_line(article: Article, date: str) -> str:
    """The line under the title: source · section · date · author (those that exist)."""
    return " · ".join(
        part for part in (article.feed_title, article.section, date, article.author) if part
    )


def base_dir_in_article(text: str, article_direction: Direction) -> str:
    """The base direction of a title or paragraph of an article: in a right-to-left article,
    text with any right-to-left letter is right to left even when it opens with a Latin name
    ("BBC: المغرب يفوز"); else the text decides (UAX #9 P2)."""
    if article_direction is Direction.RTL and any(
        unicodedata.bidirectional(c) in ("R", "AL") for c in text
    ):
        return "rtl"
    return "auto"


def article_document(article: Article) -> tuple[Document, str | None]:
    """The document to show, and a note when the full text could not be had."""
    if article.full_text:
        try:
            return Document.from_json(article.full_text), None
        except ValueError:
            pass
    # The HTML parser (lxml) is imported with the first article, not with the reader.
    from tuireader.core.htmlblocks import html_to_document

    html = article.content or article.summary
    return html_to_document(html, base_url=article.link), article.full_text_error


class ArticleLayout:
    """An article prepared for the screen; ``lines(width)`` lays it out at any width."""

    def __init__(
        self,
        article: Article,
        *,
        bidi: str = "app",
        shape: str = "auto",
        labels: Labels = Labels(),
        meta: str = "",
        highlight: Sequence[str] = (),
    ) -> None:
        self._bidi = bidi
        self._shape = shape
        self._highlight = tuple(normalize(term) for term in highlight if term.strip())
        self._article_direction = article.direction
        document, note = article_document(article)
        self.links: list[str] = []
        pieces = [self._paragraph([Inline(article.title)], frozenset({"title"}))]
        if meta:
            pieces.append(self._paragraph([Inline(meta)], frozenset({"meta"})))
        if note:
            text = labels.summary_note.format(reason=note)
            pieces.append(self._paragraph([Inline(text)], frozenset({"note"})))
        pieces[-1].gap_after = True
        for block in document.blocks:
            pieces.extend(self._block(block, labels))
        if self.links:
            pieces.append(self._paragraph([Inline(labels.links)], frozenset({"heading"})))
            for number, url in enumerate(self.links, 1):
                piece = self._paragraph(
                    [Inline(f"[{number}] "), Inline(url, link=url)], NO_STYLE, base_dir="ltr"
                )
                piece.gap_after = False
                pieces.append(piece)
        self._pieces = pieces

    # --- preparing -----------------------------------------------------------------------------

    def _base_dir(self, text: str, direction: Direction) -> str:
        if direction is not Direction.AUTO:
            return direction.value
        return base_dir_in_article(text, self._article_direction)

    def _paragraph(
        self,
        inlines: Sequence[Inline],
        style: frozenset[str],
        *,
        direction: Direction = Direction.AUTO,
        base_dir: str | None = None,
    ) -> _Piece:
        text, spans = self._spans(inlines)
        if self._highlight:
            spans.extend(self._highlights(text))
        # off: plain logical text, wrapped against the left edge (for_mode does that too).
        layout = ParagraphLayout.for_mode(
            text,
            bidi=self._bidi,  # type: ignore[arg-type]
            shape=self._shape,  # type: ignore[arg-type]
            base_dir=base_dir or self._base_dir(text, direction),  # type: ignore[arg-type]
            spans=spans,
        )
        return _Piece(layout, style)

    def _spans(self, inlines: Sequence[Inline]) -> tuple[str, list[Span]]:
        """The paragraph's text and its inline styles; links get a numbered reference."""
        parts: list[str] = []
        spans: list[Span] = []
        offset = 0

        def add(text: str, styles: Sequence[str]) -> None:
            nonlocal offset
            clean = sanitize_text(text).replace("\n", " ")
            parts.append(clean)
            spans.extend(Span(offset, offset + len(clean), s) for s in styles)
            offset += len(clean)

        for inline in inlines:
            styles = [
                name
                for name, on in (
                    ("bold", inline.bold),
                    ("italic", inline.italic),
                    ("code", inline.code),
                )
                if on
            ]
            if inline.link:
                styles.append("link:" + inline.link)
            add(inline.text, styles)
            if inline.link and inline.text.strip() != inline.link:
                if inline.link not in self.links:
                    self.links.append(inline.link)
                add(f"[{self.links.index(inline.link) + 1}]", ["ref"])
        text = "".join(parts)
        whole = sanitize_text(text).replace("\n", " ")
        if whole != text:
            # A run that starts with a combining mark composes with the run before it once
            # the two are joined (ا + ٔ = أ): the offsets no longer hold, so the paragraph is
            # shown without its inline styles rather than not at all.
            return whole, []
        return text, spans

    def _highlights(self, text: str) -> list[Span]:
        spans = []
        for match in _WORD.finditer(text):
            word = normalize(match.group())
            bare = word[2:] if word.startswith("ال") and len(word) > 4 else word
            if any(word.startswith(t) or bare.startswith(t) for t in self._highlight):
                spans.append(Span(match.start(), match.end(), "highlight"))
        return spans

    def _block(self, block: Block, labels: Labels) -> list[_Piece]:
        kind = block.kind
        if kind is BlockKind.RULE:
            return [_Piece(None)]
        if kind is BlockKind.PRE:
            pieces = []
            for line in block.text.split("\n"):
                piece = self._paragraph([Inline(line or " ")], frozenset({"code"}), base_dir="ltr")
                piece.gap_after = False
                pieces.append(piece)
            if pieces:
                pieces[-1].gap_after = True
            return pieces
        inlines = list(block.inlines)
        style = NO_STYLE
        if kind is BlockKind.HEADING:
            style = frozenset({"heading", f"h{max(1, min(block.level, 6))}"})
        elif kind is BlockKind.CAPTION:
            style = frozenset({"caption"})
        elif kind is BlockKind.IMAGE:
            alt = block.text.strip()
            inlines = [Inline(f"[{labels.image}{': ' + alt if alt else ''}]", link=block.src)]
            style = frozenset({"image"})
        piece = self._paragraph(inlines, style, direction=block.direction)
        if kind is BlockKind.QUOTE:
            piece.indent = 2 * max(block.level, 1)
            piece.bar = True
        elif kind is BlockKind.LIST_ITEM:
            depth = max(block.level, 1)
            marker = f"{block.number}." if block.ordered and block.number else "•"
            if block.ordered and block.number is None:
                marker = ""
            piece.indent = 2 * (depth - 1) + max(cell_len(marker), 1) + 1
            piece.marker = marker
            piece.gap_after = False
        return [piece]

    # --- laying out ----------------------------------------------------------------------------

    def lines(self, width: int) -> list[ReadingLine]:
        """The article's lines at ``width`` cells."""
        width = max(width, 8)
        out: list[ReadingLine] = []
        for index, piece in enumerate(self._pieces):
            lines = piece.cache.get(width)
            if lines is None:
                lines = piece.cache[width] = self._piece_lines(piece, width)
            out.extend(lines)
            following = self._pieces[index + 1] if index + 1 < len(self._pieces) else None
            list_run = following is not None and following.marker and piece.marker
            if (piece.gap_after and following is not None) or (
                not piece.gap_after
                and following is not None
                and not following.marker
                and not list_run
                and piece.marker
            ):
                out.append(ReadingLine(()))
        return out

    def _piece_lines(self, piece: _Piece, width: int) -> list[ReadingLine]:
        if piece.layout is None:
            return [ReadingLine((Segment("─" * width, frozenset({"rule"})),))]
        inner = max(width - piece.indent, 4)
        rtl = piece.layout.direction == "rtl"
        result = []
        for number, line in enumerate(piece.layout.lines(inner, align=True)):
            segments = [
                Segment(s.text, s.styles | piece.style) if s.styles or piece.style else s
                for s in line.segments
            ]
            side = self._side(piece, number == 0, rtl)
            if side:
                segments = [*segments, side] if rtl else [side, *segments]
            result.append(ReadingLine(tuple(segments)))
        return result

    @staticmethod
    def _side(piece: _Piece, first: bool, rtl: bool) -> Segment | None:
        """What stands in the indent on the reading side: a bar, a marker, or spaces."""
        if not piece.indent:
            return None
        if piece.bar:
            bar = "▌" if not rtl else "▐"
            filler = " " * (piece.indent - 1)
            return Segment(filler + bar if rtl else bar + filler, frozenset({"quote-bar"}))
        if first and piece.marker:
            marker = piece.marker
            if rtl and marker.endswith("."):
                marker = "." + marker[:-1]  # how an ordered marker reads beside Arabic
            gap = " " * (piece.indent - cell_len(marker))
            text = " " + marker + gap[1:] if rtl else gap[:-1] + marker + " "
            return Segment(text, frozenset({"marker"}))
        return Segment(" " * piece.indent, NO_STYLE)
