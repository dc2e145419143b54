"""The last line of defence: known boilerplate labels, matched after Arabic normalization.

Labels are spelled many ways ("اقرأ أيضاً", "اقرا ايضا", "إقرأ أيضا"), so both the labels and
the block texts go through :func:`tuireader.core.arabic.normalize` before they are compared.
A block is boilerplate when its whole text is a label, or a label followed by a separator
("اقرأ أيضا: …"). A label never matches as a bare prefix of prose: "إعلان الحكومة …" is news.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

from tuireader.core.arabic import normalize
from tuireader.core.document import Block, BlockKind

# Labels of furniture that sits among the paragraphs: drop the block (and the links under it).
_DROP_LABELS: Final = (
    "إعلان",
    "إعلانات",
    "مساحة إعلانية",
    "محتوى مدعوم",
    "Advertisement",
    "Advertising",
    "Sponsored",
    "Sponsored content",
    "Back to top button",
    "Back to top",
    "العودة إلى الأعلى",
    "Close",
    "إغلاق",
    "Share",
    "Share this",
    "Share this article",
    "Share on Facebook",
    "شارك",
    "شارك المقال",
    "شارك هذا المقال",
    "شارك الخبر",
    "مشاركة",
    "اترك تعليقاً",
    "اترك تعليقا",
    "اترك رداً",
    "أضف تعليق",
    "أضف تعليقاً",
    "التعليقات",
    "Leave a comment",
    "Leave a Reply",
    "Comments",
    "تابعنا على",
    "تابعونا على",
    "تابعونا",
    "Follow us",
    "اقرأ أيضاً",
    "اقرأ أيضا",
    "اقرأ كذلك",
    "شاهد أيضاً",
    "شاهد أيضا",
    "طالع أيضا",
    "Read also",
    "Read more",
    "Also read",
    "See also",
    "اقرأ المزيد",
    "الوسوم",
    "كلمات مفتاحية",
    "Tags",
    "Skip to content",
    "تخطى إلى المحتوى",
    "Accept cookies",
    "Subscribe to our newsletter",
    "اشترك في النشرة البريدية",
)
# Headings of blocks that end an article (related posts, most read): cut from there on.
_CUT_LABELS: Final = (
    "قد يعجبك أيضاً",
    "قد يعجبك أيضا",
    "قد يهمك أيضا",
    "مقالات ذات صلة",
    "أخبار ذات صلة",
    "مواضيع ذات صلة",
    "مقالات مشابهة",
    "الأكثر قراءة",
    "الأكثر مشاهدة",
    "آخر الأخبار",
    "Related articles",
    "Related stories",
    "Related posts",
    "Related",
    "You may also like",
    "You might also like",
    "More stories",
    "Most read",
    "Most popular",
)
_EDGE_PUNCTUATION: Final = " \t\n:：.،,;؛!-–—|»«›‹→←…/\\()[]"
_SEPARATED: Final = re.compile(r"\s*[:：|\-–—»›]\s*\S")


def _fold(text: str) -> str:
    return " ".join(normalize(text).split())


DROP_LABELS: Final = frozenset(_fold(label) for label in _DROP_LABELS)
CUT_LABELS: Final = frozenset(_fold(label) for label in _CUT_LABELS)
_ALL_LABELS: Final = tuple(sorted(DROP_LABELS | CUT_LABELS, key=len, reverse=True))


def label_of(text: str) -> str | None:
    """The known label ``text`` consists of (alone or as "label: …"), normalized; else None."""
    folded = _fold(text).strip(_EDGE_PUNCTUATION)
    if not folded or len(folded) > 400:
        return None
    if folded in DROP_LABELS or folded in CUT_LABELS:
        return folded
    for label in _ALL_LABELS:
        if folded.startswith(label) and _SEPARATED.match(folded, len(label)):
            return label
    return None


def is_link_only(block: Block) -> bool:
    """Whether every visible character of the block is inside a link (a teaser, a menu)."""
    text_runs = [inline for inline in block.inlines if inline.text.strip()]
    return bool(text_runs) and all(inline.link is not None for inline in text_runs)


def filter_boilerplate(blocks: Sequence[Block]) -> list[Block]:
    """Drop label blocks and the link lists under them; cut at a closing related-posts heading.

    A closing heading only cuts when real text came before it, so a page whose extraction
    starts with a stray "most read" box still keeps its article.
    """
    kept: list[Block] = []
    after_label = False
    for block in blocks:
        label = label_of(block.text)  # an image whose alt text is "إعلان" is an ad too
        if label is not None:
            if label in CUT_LABELS and _has_prose(kept):
                break
            after_label = True
            continue
        if after_label and (is_link_only(block) or not block.text.strip()):
            continue
        after_label = False
        kept.append(block)
    return kept


def _has_prose(blocks: Iterable[Block]) -> bool:
    return any(block.kind is BlockKind.PARAGRAPH and block.text.strip() for block in blocks)
