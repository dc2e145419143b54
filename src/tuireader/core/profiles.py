"""Site profiles: XPath pruning of the theme furniture a page carries around its article.

A profile says how to recognise a family of pages (a theme, a CMS) and which elements of it
are never article text. Pruning happens before the extractor sees the page, so an ad label
or a related-posts block cannot be mistaken for a paragraph however long it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree


def has_class(name: str) -> str:
    """An XPath predicate: the element's class attribute holds the token ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _any_of(*predicates: str) -> str:
    return "//*[" + " or ".join(predicates) + "]"


def _ids(*names: str) -> str:
    return " or ".join(f"@id='{name}'" for name in names)


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """A family of pages: ``markers`` recognise it (any match), ``prune`` removes furniture."""

    name: str
    markers: tuple[etree.XPath, ...]
    prune: tuple[etree.XPath, ...]

    def matches(self, tree: etree._Element) -> bool:
        """Whether the page belongs to this family (a profile without markers always does)."""
        return not self.markers or any(bool(marker(tree)) for marker in self.markers)


def _profile(name: str, markers: tuple[str, ...], prune: tuple[str, ...]) -> SiteProfile:
    return SiteProfile(
        name,
        tuple(etree.XPath(m) for m in markers),
        tuple(etree.XPath(p) for p in prune),
    )


# Applied to every page: what no reader sees, and consent/newsletter boxes.
GENERIC = _profile(
    "generic",
    (),
    (
        "//*[@hidden or @aria-hidden='true']",
        "//*[contains(translate(@style, ' ', ''), 'display:none')]",
        "//*[contains(translate(@style, ' ', ''), 'visibility:hidden')]",
        _any_of(
            has_class("cookie-banner"),
            has_class("cookie-notice"),
            has_class("cookie-consent"),
            has_class("consent-banner"),
            has_class("newsletter"),
            has_class("newsletter-box"),
            has_class("screen-reader-text"),
            has_class("sr-only"),
            "@id='cookie-banner' or @id='cookie-notice' or @role='dialog'",
        ),
    ),
)

# WordPress core and its common plugins (share bars, related posts, comment forms).
WORDPRESS = _profile(
    "wordpress",
    (
        "//meta[@name='generator'][starts-with(@content, 'WordPress')]",
        "//link[contains(@href, '/wp-content/') or contains(@href, '/wp-includes/')]",
        "//script[contains(@src, '/wp-content/') or contains(@src, '/wp-includes/')]",
        "//*[" + has_class("wp-block-post-content") + "]",
    ),
    (
        _ids("comments", "respond", "breadcrumb", "breadcrumbs", "jp-relatedposts"),
        _any_of(
            has_class("comment-respond"),
            has_class("comments-area"),
            has_class("sharedaddy"),
            has_class("jp-relatedposts"),
            has_class("yarpp-related"),
            has_class("addtoany_share_save_container"),
            has_class("heateor_sss_sharing_container"),
            has_class("post-navigation"),
            has_class("nav-links"),
            has_class("breadcrumb"),
            has_class("breadcrumbs"),
            has_class("read-also"),
            has_class("related-posts"),
        ),
    ),
)

# Jannah (TieLabs): ad slots are .stream-item*, furniture ids below are the theme's.
JANNAH = _profile(
    "jannah",
    (
        "//link[contains(@href, '/themes/jannah')]",
        "//script[contains(@src, '/themes/jannah')]",
        "//*[@id='tie-container' or @id='tie-wrapper']",
    ),
    (
        "//*[contains(@class, 'stream-item')]",
        "//*["
        + _ids(
            "related-posts",
            "check-also-box",
            "breadcrumb",
            "go-to-top",
            "comments",
            "respond",
            "post-extra-info",
            "share-buttons-top",
            "share-buttons-bottom",
        )
        + "]",
        _any_of(
            has_class("share-links"),
            has_class("share-buttons"),
            has_class("post-components"),
            has_class("side-aside"),
            has_class("read-also"),
            has_class("tie-alignright"),
            has_class("tie-alignleft"),
            has_class("post-bottom-meta"),
            has_class("post-cat-wrap"),
            has_class("breaking"),
            has_class("breaking-news"),
            has_class("related-posts"),
            has_class("check-also-box"),
            has_class("tie-popup"),
        ),
    ),
)

PROFILES: tuple[SiteProfile, ...] = (GENERIC, WORDPRESS, JANNAH)


def matching_profiles(tree: etree._Element) -> list[SiteProfile]:
    """The profiles that apply to a parsed page, generic first."""
    return [profile for profile in PROFILES if profile.matches(tree)]


def prune(tree: etree._Element, profiles: list[SiteProfile]) -> int:
    """Remove every element the profiles name, keeping the text that follows each one.

    Returns how many elements were removed.
    """
    removed = 0
    for profile in profiles:
        for xpath in profile.prune:
            found = xpath(tree)
            if not isinstance(found, list):
                continue
            for element in found:
                if isinstance(element, etree._Element) and _detach(element):
                    removed += 1
    return removed


def _detach(element: etree._Element) -> bool:
    parent = element.getparent()
    if parent is None:
        return False  # the root, or already removed with an ancestor
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)
    return True
