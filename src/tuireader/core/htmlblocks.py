"""Turn HTML into document blocks, streaming parser events into a small state machine.

The parser is libxml2's HTML parser driven through lxml's *target* interface: no tree is
built, so a hostile page nested thousands of levels deep costs a stack of small frames and
loses nothing (libxml2's tree builder stops at depth 256 and drops the rest of the page).
The same builder replays a ready lxml tree, which is how extracted articles are converted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from lxml import etree

from tuireader.core.document import (
    CELL_SEPARATOR,
    LANGUAGE_TAG,
    Block,
    BlockKind,
    Document,
    Inline,
    merge_inlines,
    safe_url,
)
from tuireader.core.models import Direction
from tuireader.text.sanitize import sanitize_text


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


DROPPED_TAGS: Final = _tags(
    """script style iframe frame frameset form noscript svg math template object embed
    applet canvas head title meta link base button input select option optgroup textarea
    datalist audio video source track dialog"""
)
# Containers whose boundaries split paragraphs but which define no block kind of their own.
_GENERIC_BLOCKS: Final = _tags(
    """html body address article aside center dd details div dl dt fieldset figure footer
    header hgroup legend main nav p section summary"""
)
_STRUCTURAL: Final = _tags(
    """h1 h2 h3 h4 h5 h6 ul ol menu li blockquote pre figcaption caption table thead tbody
    tfoot tr td th hr img br"""
)
_VOID: Final = frozenset({"br", "hr", "img"})
_BOLD: Final = frozenset({"b", "strong"})
_ITALIC: Final = frozenset({"i", "em", "cite", "dfn", "var"})
_CODE: Final = frozenset({"code", "kbd", "samp", "tt"})
_HEADINGS: Final = {f"h{n}": n for n in range(1, 7)}
_DIRECTIONS: Final = {"rtl": Direction.RTL, "ltr": Direction.LTR, "auto": Direction.AUTO}
_SPACES: Final = re.compile(r"[ \n\f\r\t]+")
_IMAGE_SOURCES: Final = ("src", "data-src", "data-lazy-src", "data-original")


class _BlockContext:
    """What text directly inside a block-defining element becomes."""

    __slots__ = ("cells", "joiner", "kind", "level", "number", "ordered", "pre", "rows_open")

    def __init__(
        self,
        kind: BlockKind,
        *,
        level: int = 0,
        ordered: bool = False,
        number: int | None = None,
        joiner: str | None = None,
        pre: bool = False,
    ) -> None:
        self.kind = kind
        self.level = level
        self.ordered = ordered
        self.number = number  # consumed by the first block emitted, later ones continue it
        self.joiner = joiner  # inner <p>/<div> boundaries join with this instead of splitting
        self.pre = pre
        self.cells = 0  # table rows: cells opened so far
        self.rows_open = 0  # table rows: 1, more while a table nested in a cell is open


class _ListContext:
    __slots__ = ("depth", "next_number", "ordered")

    def __init__(self, ordered: bool, depth: int, start: int) -> None:
        self.ordered = ordered
        self.depth = depth
        self.next_number = start


class _Frame:
    """The state every open element hands down to its content."""

    __slots__ = (
        "block",
        "bold",
        "code",
        "direction",
        "italic",
        "lang",
        "link",
        "lists",
        "quotes",
    )

    def __init__(
        self,
        block: _BlockContext,
        direction: Direction,
        lang: str | None,
    ) -> None:
        self.block = block
        self.bold = False
        self.italic = False
        self.code = False
        self.link: str | None = None
        self.lists: _ListContext | None = None
        self.quotes = 0
        self.direction = direction
        self.lang = lang

    def child(self) -> _Frame:
        frame = _Frame(self.block, self.direction, self.lang)
        frame.bold, frame.italic, frame.code, frame.link = (
            self.bold,
            self.italic,
            self.code,
            self.link,
        )
        frame.lists, frame.quotes = self.lists, self.quotes
        return frame


def is_hidden(attrib: Mapping[str, str]) -> bool:
    """Whether an element's attributes hide it from a reader of the page."""
    if "hidden" in attrib or attrib.get("aria-hidden", "").strip().lower() == "true":
        return True
    style = attrib.get("style")
    if not style:
        return False
    style = style.replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


class BlockBuilder:
    """Parser target collecting blocks; feed it events, then read :attr:`blocks`."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        direction: Direction = Direction.AUTO,
        lang: str | None = None,
    ) -> None:
        self.blocks: list[Block] = []
        self._base_url = base_url
        self._stack = [_Frame(_BlockContext(BlockKind.PARAGRAPH), direction, lang)]
        self._skip_depth = 0
        self._pending: list[str] = []  # consecutive text events, joined before use
        self._buffer: list[Inline] = []  # the runs of the block being collected

    # --- lxml parser-target interface ----------------------------------------------------

    def start(self, tag: str, attrib: Mapping[str, str]) -> None:
        """An element opens."""
        if self._skip_depth:
            self._skip_depth += 1
            return
        self._take_pending()
        tag = tag.lower()
        if tag in DROPPED_TAGS or is_hidden(attrib):
            self._skip_depth = 1
            return
        parent = self._stack[-1]
        is_block = tag in _GENERIC_BLOCKS or tag in _STRUCTURAL
        if is_block and tag != "br" and parent.block.kind is not BlockKind.TABLE_ROW:
            # The text so far belongs to the parent: emit it before this element's attributes
            # (dir, lang) apply.
            if tag in _VOID:
                self._flush()
            else:
                self._boundary(tag)
        frame = parent.child()
        self._stack.append(frame)
        if is_block:
            self._set_direction(frame, attrib)
            self._open_block(tag, attrib, frame)
        else:
            self._set_inline_style(tag, attrib, frame)

    def end(self, tag: str) -> None:
        """An element closes (the parser balances every start with an end)."""
        if self._skip_depth:
            self._skip_depth -= 1
            return
        self._take_pending()
        tag = tag.lower()
        if len(self._stack) > 1:
            if (tag in _GENERIC_BLOCKS or tag in _STRUCTURAL) and tag not in _VOID:
                self._boundary(tag)
            self._stack.pop()

    def data(self, text: str) -> None:
        """Text content."""
        if not self._skip_depth and text:
            self._pending.append(text)

    def comment(self, text: str) -> None:
        """A comment: dropped; the text on both sides of it joins up."""

    def close(self) -> list[Block]:
        """The end of input: emit what is left and return the blocks."""
        self._take_pending()
        self._flush()
        return self.blocks

    # --- block structure -----------------------------------------------------------------

    def _open_block(self, tag: str, attrib: Mapping[str, str], frame: _Frame) -> None:
        if tag == "br":
            self._line_break()
            return
        in_row = frame.block.kind is BlockKind.TABLE_ROW
        if in_row:
            self._open_in_row(tag, frame)
            return
        if tag in _VOID:
            if tag == "hr":
                self._emit(Block(BlockKind.RULE, direction=frame.direction, lang=frame.lang))
            else:
                self._emit_image(attrib, frame)
            return
        if tag in _HEADINGS:
            frame.block = _BlockContext(BlockKind.HEADING, level=_HEADINGS[tag], joiner=" ")
        elif tag in ("ul", "ol", "menu"):
            depth = frame.lists.depth + 1 if frame.lists else 1
            frame.lists = _ListContext(tag == "ol", depth, _int_attr(attrib, "start", 1))
        elif tag == "li":
            frame.block = self._list_item_context(frame, attrib)
        elif tag == "blockquote":
            frame.quotes += 1
            frame.block = _BlockContext(BlockKind.QUOTE, level=frame.quotes)
        elif tag == "pre":
            frame.block = _BlockContext(BlockKind.PRE, pre=True)
            frame.code = False
        elif tag in ("figcaption", "caption"):
            frame.block = _BlockContext(BlockKind.CAPTION, joiner="\n")
        elif tag == "tr":
            frame.block = _BlockContext(BlockKind.TABLE_ROW, joiner=" ")
            frame.block.rows_open = 1

    def _open_in_row(self, tag: str, frame: _Frame) -> None:
        """Inside a table row everything flattens into one line; cells are separated."""
        if tag in ("td", "th"):
            if frame.block.cells:
                self._buffer.append(Inline(CELL_SEPARATOR))
            frame.block.cells += 1
            frame.bold = frame.bold or tag == "th"
        elif tag == "tr":
            frame.block.rows_open += 1
        elif tag != "img":
            self._join(" ")

    def _list_item_context(self, frame: _Frame, attrib: Mapping[str, str]) -> _BlockContext:
        lists = frame.lists
        if lists is None:
            return _BlockContext(BlockKind.LIST_ITEM, level=1, joiner="\n")
        number = None
        if lists.ordered:
            number = _int_attr(attrib, "value", lists.next_number)
            lists.next_number = number + 1
        return _BlockContext(
            BlockKind.LIST_ITEM,
            level=lists.depth,
            ordered=lists.ordered,
            number=number,
            joiner="\n",
        )

    def _boundary(self, tag: str) -> None:
        """A block element starts or ends: split the text, or join it inside a line context."""
        context = self._stack[-1].block
        if context.kind is BlockKind.TABLE_ROW:
            if tag == "tr":
                context.rows_open -= 1
                if context.rows_open <= 0:
                    self._flush()
                    return
            if tag not in ("td", "th"):
                self._join(" ")
            return
        if context.joiner is not None and tag in _GENERIC_BLOCKS:
            self._join(context.joiner)
            return
        self._flush()

    def _set_direction(self, frame: _Frame, attrib: Mapping[str, str]) -> None:
        direction = _DIRECTIONS.get(attrib.get("dir", "").strip().lower())
        if direction is not None:
            frame.direction = direction
        lang = attrib.get("lang", "").strip()
        if LANGUAGE_TAG.fullmatch(lang):
            frame.lang = lang

    def _set_inline_style(self, tag: str, attrib: Mapping[str, str], frame: _Frame) -> None:
        if tag in _BOLD:
            frame.bold = True
        elif tag in _ITALIC:
            frame.italic = True
        elif tag in _CODE and not frame.block.pre:
            frame.code = True
        elif tag == "a":
            href = attrib.get("href")
            if href is not None:
                frame.link = safe_url(href, self._base_url)

    # --- text ----------------------------------------------------------------------------

    def _take_pending(self) -> None:
        if not self._pending:
            return
        text = sanitize_text("".join(self._pending))
        self._pending.clear()
        frame = self._stack[-1]
        if not frame.block.pre:
            text = _SPACES.sub(" ", text)
            if text.startswith(" ") and self._ends_in_space():
                text = text[1:]
        if text:
            inline = Inline(text, frame.bold, frame.italic, frame.code, frame.link)
            self._buffer.append(inline)

    def _ends_in_space(self) -> bool:
        for inline in reversed(self._buffer):
            if inline.text:
                return inline.text[-1] in " \n"
        return True

    def _line_break(self) -> None:
        frame = self._stack[-1]
        if frame.block.kind is BlockKind.TABLE_ROW:
            self._join(" ")
        elif frame.block.pre:
            self._buffer.append(Inline("\n"))
        else:
            self._trim_trailing_spaces()
            tail = "".join(i.text for i in self._buffer[-2:])
            if self._buffer and not tail.endswith("\n\n"):
                self._buffer.append(Inline("\n"))

    def _join(self, joiner: str) -> None:
        if joiner == "\n":
            self._trim_trailing_spaces()
        if self._buffer and not self._ends_in_space():
            self._buffer.append(Inline(joiner))

    def _trim_trailing_spaces(self) -> None:
        while self._buffer:
            last = self._buffer[-1]
            stripped = last.text.rstrip(" ")
            if stripped:
                if stripped != last.text:
                    self._buffer[-1] = Inline(
                        stripped, last.bold, last.italic, last.code, last.link
                    )
                return
            self._buffer.pop()

    def _flush(self) -> None:
        if not self._buffer:
            return
        frame = self._stack[-1]
        context = frame.block
        inlines = _strip_edges(self._buffer, keep_indent=context.pre)
        self._buffer = []
        if not inlines:
            return
        number, context.number = context.number, None
        self._emit(
            Block(
                context.kind,
                inlines,
                level=context.level,
                ordered=context.ordered,
                number=number,
                direction=frame.direction,
                lang=frame.lang,
            )
        )

    def _emit(self, block: Block) -> None:
        self.blocks.append(block)

    def _emit_image(self, attrib: Mapping[str, str], frame: _Frame) -> None:
        if attrib.get("width", "").strip() in ("0", "1") or attrib.get("height", "").strip() in (
            "0",
            "1",
        ):
            return  # a tracking pixel
        src = None
        for name in _IMAGE_SOURCES:
            candidate = safe_url(attrib.get(name, ""), self._base_url)
            if candidate and candidate.lower().startswith(("http://", "https://")):
                src = candidate
                break
        alt = _SPACES.sub(" ", sanitize_text(attrib.get("alt", "") or attrib.get("title", "")))
        alt = alt.strip()
        if src is None and not alt:
            return
        inlines = (Inline(alt),) if alt else ()
        self._emit(
            Block(BlockKind.IMAGE, inlines, src=src, direction=frame.direction, lang=frame.lang)
        )


def _strip_edges(buffer: list[Inline], *, keep_indent: bool) -> tuple[Inline, ...]:
    """Trim whitespace at both ends of a block (a <pre> keeps its first line's indent)."""
    inlines = list(merge_inlines(buffer))
    while inlines:
        first = inlines[0]
        text = first.text.lstrip("\n") if keep_indent else first.text.lstrip(" \n")
        if keep_indent and not text.strip(" "):
            text = ""
        if text:
            inlines[0] = Inline(text, first.bold, first.italic, first.code, first.link)
            break
        inlines.pop(0)
    while inlines:
        last = inlines[-1]
        text = last.text.rstrip(" \n")
        if text:
            inlines[-1] = Inline(text, last.bold, last.italic, last.code, last.link)
            break
        inlines.pop()
    return tuple(inlines)


def _int_attr(attrib: Mapping[str, str], name: str, default: int) -> int:
    value = attrib.get(name, "").strip()
    if value.lstrip("-").isdecimal() and len(value) < 10:
        return int(value)
    return default


_LONE_SURROGATES = re.compile("[\ud800-\udfff]")


def parse_html_blocks(
    html: str,
    *,
    base_url: str | None = None,
    direction: Direction = Direction.AUTO,
    lang: str | None = None,
) -> list[Block]:
    """Parse an HTML string (a fragment or a page) into blocks."""
    builder = BlockBuilder(base_url=base_url, direction=direction, lang=lang)
    html = _LONE_SURROGATES.sub("", html)  # not encodable: lxml would raise on them
    if not html.strip():
        return []
    parser = etree.HTMLParser(target=builder, no_network=True, recover=True)
    try:
        parser.feed(html)
        parser.close()
    except etree.LxmlError:
        return builder.close()  # libxml2 gave up on the input: keep what it produced
    return builder.blocks


def html_to_document(
    html: str,
    *,
    base_url: str | None = None,
    direction: Direction = Direction.AUTO,
    lang: str | None = None,
) -> Document:
    """Convert feed HTML (content or summary) into a document; never raises on bad HTML.

    Scripts, styles, frames, forms, SVG, templates and hidden elements are dropped; every
    text run is sanitized; links survive only as absolute http(s)/mailto URLs. ``direction``
    and ``lang`` (the feed's, say) apply to blocks whose HTML sets none of its own.
    """
    blocks = parse_html_blocks(html, base_url=base_url, direction=direction, lang=lang)
    return Document(blocks=tuple(blocks), source_url=base_url)


def tree_blocks(
    root: etree._Element,
    *,
    base_url: str | None = None,
    direction: Direction = Direction.AUTO,
    lang: str | None = None,
) -> list[Block]:
    """Convert an lxml element tree (HTML vocabulary) into blocks."""
    builder = BlockBuilder(base_url=base_url, direction=direction, lang=lang)
    for event, element in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        tag = element.tag
        if event == "start":
            builder.start(str(tag), element.attrib)
            builder.data(element.text or "")
        elif event == "end":
            builder.end(str(tag))
            builder.data(element.tail or "")
        else:
            builder.comment("")
            builder.data(element.tail or "")
    return builder.close()
