"""Article text: HTML to a document, full-page extraction, and when a page is worth fetching.

- :func:`html_to_document` converts the HTML a feed carries (content or summary); it lives in
  :mod:`tuireader.core.htmlblocks`, so that the reader opens an article without importing the
  page-extraction stack.
- :func:`extract_article` finds the article in a whole web page: site-profile pruning, then
  trafilatura in precision mode, then a filter of known boilerplate labels.
- :func:`needs_full_text` decides from a feed item whether its page should be fetched.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime
from html import unescape
from typing import Final

import lxml.html
from lxml import etree

from tuireader.core.arabic import normalize
from tuireader.core.boilerplate import filter_boilerplate
from tuireader.core.document import Block, BlockKind, Document
from tuireader.core.htmlblocks import html_to_document, parse_html_blocks, tree_blocks
from tuireader.core.models import FullText
from tuireader.core.pagemeta import (
    clean_line,
    page_base_url,
    page_direction,
    page_published,
    page_title,
    parse_timestamp,
)
from tuireader.core.profiles import matching_profiles, prune

__all__ = [
    "Extracted",
    "ExtractionError",
    "extract_article",
    "html_to_document",
    "needs_full_text",
]

#: A summary with fewer words than this is a teaser, not the article.
SHORT_SUMMARY_WORDS: Final = 60
_ELLIPSES: Final = ("…", "...", "[…]", "[...]", "[&#8230;]", "(…)", "[&hellip;]", "&hellip;")
_READ_MORE: Final = frozenset(
    normalize(marker)
    for marker in (
        "المزيد",
        "اقرأ المزيد",
        "قراءة المزيد",
        "للمزيد",
        "التفاصيل",
        "تابع القراءة",
        "أكمل القراءة",
        "Read more",
        "Continue reading",
        "Read the full story",
        "Read full article",
        "Lire la suite",
        "Weiterlesen",
        "Leer más",
    )
)
_TRAILING_MARKS: Final = " \t\n.:»›→>-–—!"
_MAX_PAGE_CHARS: Final = 8_000_000
_CONTROLS: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class ExtractionError(Exception):
    """No usable article came out of a page; ``message`` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Extracted:
    """The article found in a page, with the metadata the page gave (UTC)."""

    document: Document
    title: str | None
    published: datetime | None


def extract_article(
    html: str, *, url: str, use_profiles: bool = True, use_filter: bool = True
) -> Extracted:
    """Find the article in a whole web page, or raise :class:`ExtractionError`.

    ``use_profiles`` and ``use_filter`` switch off the site-profile pruning and the label
    filter; they exist so that a benchmark can show what each layer removes.
    """
    if len(html) > _MAX_PAGE_CHARS:
        raise ExtractionError("the page is too large to read")
    if not _looks_like_html(html):
        raise ExtractionError("the page is not HTML")
    tree = _parse_page(html)
    direction, lang = page_direction(tree)
    published = page_published(tree)
    own_title = page_title(tree)
    base_url = page_base_url(tree, url)
    # trafilatura resolves relative links against the site's root, not the page: do it first.
    tree.make_links_absolute(base_url, resolve_base_href=False, handle_failures="discard")

    if use_profiles:
        prune(tree, matching_profiles(tree))
    captions = _texts_of(tree, "figcaption")
    preformatted = _texts_of(tree, "pre")
    for caption in tree.iter("figcaption"):
        caption.tag = "p"  # trafilatura drops figure captions; as paragraphs they survive

    body, found_title, found_date = _run_trafilatura(tree, url)
    blocks = tree_blocks(body, base_url=base_url, direction=direction, lang=lang)
    blocks = [_restore_kind(block, captions, preformatted) for block in blocks]
    if use_filter:
        blocks = filter_boilerplate(blocks)
    title = clean_line(found_title) or own_title
    blocks = _drop_title_heading(blocks, title)
    if not any(block.kind is not BlockKind.IMAGE and block.text.strip() for block in blocks):
        raise ExtractionError("the page has no article text")

    if published is None:
        published = parse_timestamp(found_date)
    document = Document(tuple(blocks), title=title, published=published, source_url=url)
    return Extracted(document=document, title=title, published=published)


def needs_full_text(*, summary: str, content: str, mode: FullText) -> bool:
    """Whether a feed item should have its page fetched (``summary``/``content`` are HTML).

    ``auto`` fetches when the item's best text is missing or looks like a teaser: content
    that ends in an ellipsis or a "read more" link, or (without content) a summary that is
    short or ends that way.
    """
    if mode is FullText.ALWAYS:
        return True
    if mode is FullText.NEVER:
        return False
    if _plainly_complete(content):
        return False
    content_blocks = _item_blocks(_tail(content))
    if content_blocks:
        return _looks_truncated(content_blocks)
    summary_blocks = _item_blocks(summary)
    if not summary_blocks:
        return True
    words = sum(len(block.text.split()) for block in summary_blocks)
    return words < SHORT_SUMMARY_WORDS or _looks_truncated(summary_blocks)


# --- helpers -----------------------------------------------------------------------------------


def _looks_like_html(html: str) -> bool:
    head = html.lstrip("\ufeff \t\r\n")[:2048].lower()
    if not head.startswith("<"):
        return False
    if head.startswith("<?xml") and any(tag in head for tag in ("<rss", "<feed", "<rdf:rdf")):
        return False
    return "<html" in head or "<!doctype html" in head or "<body" in head or "<head" in head


_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def _keep_printable_reference(match: re.Match[str]) -> str:
    """A numeric reference, unless it names a control character (which lxml would turn back
    into one: "&#x1b;" is an ESC all the same)."""
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    control = (code < 0x20 and code not in (0x9, 0xA, 0xD)) or 0x7F <= code <= 0x9F
    return "" if control or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else match.group()


def _parse_page(html: str) -> lxml.html.HtmlElement:
    # Control characters are never article text, and lxml refuses them in the XML tree
    # trafilatura builds (it then silently discards the whole page).
    html = _NUMERIC_REFERENCE.sub(_keep_printable_reference, _CONTROLS.sub("", html))
    parser = lxml.html.HTMLParser(
        encoding="utf-8",
        no_network=True,
        recover=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,  # else libxml2 stops at depth 256 and drops the rest of the page
    )
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.LxmlError, ValueError) as error:
        raise ExtractionError("the page is not HTML") from error
    if any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in parser.error_log):
        raise ExtractionError("the page is nested too deeply to read")
    if tree is None or tree.find("body") is None:
        raise ExtractionError("the page is not HTML")
    return tree


def _run_trafilatura(tree: lxml.html.HtmlElement, url: str) -> tuple[etree._Element, str, str]:
    """The main content in HTML vocabulary, with trafilatura's title and date (maybe empty)."""
    import trafilatura  # 0.1-0.2 s to import: paid only when a page is extracted

    result = trafilatura.bare_extraction(
        tree,
        url=url,
        favor_precision=True,
        include_comments=False,
        include_formatting=True,
        include_links=True,
        include_images=True,
        include_tables=True,
        with_metadata=True,
        deduplicate=False,
    )
    body = getattr(result, "body", None)
    if body is None or not isinstance(body, etree._Element):
        raise ExtractionError("the page has no article text")
    _to_html_vocabulary(body)
    title = getattr(result, "title", None)
    date = getattr(result, "date", None)
    return body, title if isinstance(title, str) else "", date if isinstance(date, str) else ""


def _texts_of(tree: etree._Element, tag: str) -> frozenset[str]:
    return frozenset(" ".join(element.text_content().split()) for element in tree.iter(tag))


def _drop_title_heading(blocks: list[Block], title: str | None) -> list[Block]:
    """Without the page's title repeated as the first heading (the reader shows the title)."""
    first = blocks[0] if blocks else None
    if title and first is not None and first.kind is BlockKind.HEADING:
        return blocks[1:] if normalize(" ".join(first.text.split())) == normalize(title) else blocks
    return blocks


def _restore_kind(block: Block, captions: frozenset[str], pre: frozenset[str]) -> Block:
    """Give back the kinds trafilatura folds away: figure captions, and <pre> made quotes."""
    if block.kind is BlockKind.PARAGRAPH and " ".join(block.text.split()) in captions:
        return dataclasses.replace(block, kind=BlockKind.CAPTION)
    if block.kind is BlockKind.QUOTE and " ".join(block.text.split()) in pre:
        return dataclasses.replace(block, kind=BlockKind.PRE, level=0)
    return block


_HI_TAGS: Final = {"#b": "b", "#i": "i", "#t": "code", "#u": "u", "#sub": "sub", "#sup": "sup"}
_BLOCK_PARENTS: Final = frozenset(
    {"body", "doc", "main", "div", "quote", "blockquote", "item", "li"}
)


def _to_html_vocabulary(root: etree._Element) -> None:
    """Rename trafilatura's XML elements (head, list, hi, ref, ...) to their HTML tags."""
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag == "head":
            rend = str(element.get("rend", "h2"))
            element.tag = rend if rend in ("h1", "h2", "h3", "h4", "h5", "h6") else "h2"
        elif tag == "list":
            element.tag = "ol" if element.get("rend") == "ol" else "ul"
        elif tag == "item":
            element.tag = "li"
        elif tag == "quote":
            element.tag = "blockquote"
        elif tag == "code":
            parent = element.getparent()
            parent_tag = parent.tag if parent is not None else "body"
            element.tag = "pre" if parent_tag in _BLOCK_PARENTS else "code"
        elif tag == "hi":
            element.tag = _HI_TAGS.get(str(element.get("rend", "")), "span")
        elif tag == "ref":
            element.tag = "a"
            element.set("href", str(element.get("target", "")))
        elif tag == "graphic":
            element.tag = "img"
        elif tag == "lb":
            element.tag = "br"
        elif tag == "row":
            element.tag = "tr"
        elif tag == "cell":
            element.tag = "th" if element.get("role") == "head" else "td"


_TAIL = 1000
_TAG = re.compile(r"<[^>]*>")


def _plainly_complete(html: str) -> bool:
    """A cheap look at how a body ends, enough for most items: some text, no link near the
    end (it could be "read more"), no ellipsis, no "read more" words. Anything else gets the
    careful look."""
    tail = html[-400:]
    if "<a" in tail.lower():
        return False
    text = unescape(_TAG.sub(" ", tail)).strip()
    if len(text) < 20 or text.endswith(_ELLIPSES):
        return False
    ending = normalize(text[-40:])
    return not any(marker in ending for marker in _READ_MORE)


def _tail(html: str) -> str:
    """The end of a long body, from a tag start: enough to see how the item ends, without
    converting whole articles on every refresh."""
    if len(html) <= _TAIL:
        return html
    start = html.find("<", len(html) - _TAIL)
    return html[start:] if start != -1 else html[-_TAIL:]


def _item_blocks(html: str) -> list[Block]:
    """The blocks of a feed item's HTML that carry text, without an SEO plugin's footer."""
    if not html.strip():
        return []
    blocks = [b for b in parse_html_blocks(html) if b.text.strip()]
    if blocks and _is_appeared_first_on(blocks[-1].text):
        blocks.pop()
    return blocks


def _is_appeared_first_on(text: str) -> bool:
    """The line WordPress SEO plugins append to feed items ("The post X appeared first on Y")."""
    folded = normalize(text)
    english = folded.startswith("the post ") and " appeared first on " in folded
    arabic = folded.startswith("ظهرت المقاله") and "اولا علي" in folded
    return english or arabic


def _looks_truncated(blocks: list[Block]) -> bool:
    """Ends in an ellipsis, or in a "read more" line or link (not just the word in prose)."""
    last = blocks[-1]
    if last.text.rstrip().endswith(_ELLIPSES):
        return True
    candidates = [last.text.rsplit("\n", 1)[-1]]
    runs = [inline for inline in last.inlines if inline.text.strip()]
    if runs and runs[-1].link is not None:
        candidates.append(runs[-1].text)
    return any(_is_read_more(candidate) for candidate in candidates)


def _is_read_more(text: str) -> bool:
    return normalize(text).strip(_TRAILING_MARKS + "«‹←") in _READ_MORE
