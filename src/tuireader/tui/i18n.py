"""Interface strings in English and Arabic, and localized relative times."""

from __future__ import annotations

import locale
import os
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from functools import cached_property

from textual.dom import DOMNode

from tuireader.core.reading import Labels
from tuireader.tui.ago import ago, babel_ago, speaks

# Babel is imported when a date is first written (its date module reads the local time zone,
# and a locale's date data takes a while to load): the list's relative times do without it.

CATALOG: dict[str, dict[str, str]] = {
    "en": {
        "all": "All",
        "unread": "Unread",
        "starred": "Starred",
        "feeds": "Feeds",
        "sections": "Sections",
        "related": "Related",
        "no_related": "No related articles yet.",
        "refreshing": "Refreshing {done}/{total}",
        "summary": "{feeds} feeds refreshed, {new} new, {failed} failed",
        "summary_one": "1 feed refreshed, {new} new, {failed} failed",
        "unknown_theme": "There is no theme {theme}; using {used}.",
        "command_palette": "Command palette",
        "no_article": "Choose an article to read it here.",
        "empty": "Nothing here yet. Press r to refresh.",
        "link_copied": "Link sent to the clipboard (OSC 52; your terminal must allow it).",
        "no_link": "This article has no link.",
        "opened": "Opened in the browser.",
        "cannot_open": "No browser could be opened here. The link: {url}",
        "full_text_fetching": "Fetching the full article…",
        "full_text_done": "Full article fetched.",
        "bidi_mode": "Right-to-left text: {mode}",
        "saved": "saved in {path}",
        "search": "Search",
        "search_placeholder": "Search articles (Arabic spelling variants match)",
        "results": "Results: {count}",
        "help": "Keys",
        "welcome_title": "Welcome to tuireader",
        "welcome_body": (
            "You have no feeds yet. Paste a feed URL below and press Enter, import an OPML "
            "file (type its path), or press Ctrl+D to open the demo."
        ),
        "feed_url": "https://example.org/feed",
        "feed_failed": "{title}: {error}",
        "more_failed": "More feeds failed: {count}; `tuireader feeds list` shows why.",
        "links": "Links",
        "also": "also reported by {source}",
        "image": "image",
        "summary_note": "Showing the feed's summary: {reason}",
    },
    "ar": {
        "all": "الكل",
        "unread": "غير مقروء",
        "starred": "المميزة",
        "feeds": "المصادر",
        "sections": "الأقسام",
        "related": "قد يعجبك أيضا",
        "no_related": "لا مقالات ذات صلة بعد.",
        "refreshing": "جارٍ التحديث {done}/{total}",
        "summary": "حُدّث {feeds} مصدرا، {new} جديدا، {failed} أخفق",
        "summary_one": "حُدّث مصدر واحد، {new} جديدا، {failed} أخفق",
        "unknown_theme": "لا توجد سمة باسم {theme}؛ تُستعمل {used}.",
        "command_palette": "لوحة الأوامر",
        "no_article": "اختر مقالا لقراءته هنا.",
        "empty": "لا شيء هنا بعد. اضغط r للتحديث.",
        "link_copied": "أُرسل الرابط إلى الحافظة (OSC 52؛ يجب أن تسمح به الطرفية).",
        "no_link": "لا رابط لهذا المقال.",
        "opened": "فُتح في المتصفح.",
        "cannot_open": "تعذر فتح متصفح هنا. الرابط: {url}",
        "full_text_fetching": "جارٍ جلب المقال كاملا…",
        "full_text_done": "جُلب المقال كاملا.",
        "bidi_mode": "النص من اليمين إلى اليسار: {mode}",
        "saved": "حُفظ في {path}",
        "search": "بحث",
        "search_placeholder": "ابحث في المقالات",
        "results": "النتائج: {count}",
        "help": "المفاتيح",
        "welcome_title": "مرحبا بك في tuireader",
        "welcome_body": (
            "لا مصادر لديك بعد. الصق رابط مصدر أدناه واضغط Enter، أو استورد ملف OPML "
            "(اكتب مساره)، أو اضغط Ctrl+D لفتح العرض التجريبي."
        ),
        "feed_url": "https://example.org/feed",
        "feed_failed": "{title}: {error}",
        "more_failed": "مصادر أخرى أخفقت: {count}؛ الأمر tuireader feeds list يبين السبب.",
        "links": "الروابط",
        "also": "نشره أيضا: {source}",
        "image": "صورة",
        "summary_note": "يُعرض ملخص المصدر: {reason}",
    },
}


# Key descriptions (as written in the BINDINGS) in Arabic, for the footer and the help screen.
BINDING_LABELS: dict[str, dict[str, str]] = {
    "ar": {
        "Quit": "خروج",
        "Refresh": "تحديث",
        "Help": "مساعدة",
        "Bidi mode": "اتجاه النص",
        "Calibrate": "معايرة",
        "Next pane": "اللوحة التالية",
        "Previous pane": "اللوحة السابقة",
        "Pane right": "اللوحة اليمنى",
        "Pane left": "اللوحة اليسرى",
        "Back": "رجوع",
        "Next unread": "غير المقروء التالي",
        "Previous unread": "غير المقروء السابق",
        "Star": "تمييز",
        "Read/unread": "مقروء/غير مقروء",
        "Full text": "المقال كاملا",
        "Open": "فتح",
        "Read": "قراءة",
        "Copy link": "نسخ الرابط",
        "Related": "ذات صلة",
        "Search": "بحث",
        "Close": "إغلاق",
        "Down": "أسفل",
        "Up": "أعلى",
        "Top": "البداية",
        "Bottom": "النهاية",
        "Page down": "الصفحة التالية",
        "Page up": "الصفحة السابقة",
        "Results": "النتائج",
        "Open the demo": "العرض التجريبي",
    }
}


def localize_bindings(node: DOMNode, language: str, visual: Callable[[str], str]) -> None:
    """Give one widget's or screen's key descriptions in ``language``, laid out by ``visual``.

    Textual copies the class bindings into each node, so this changes this node only.
    """
    labels = BINDING_LABELS.get(language)
    if not labels:
        return
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [
            replace(b, description=visual(labels[b.description])) if b.description in labels else b
            for b in bindings
        ]


def system_locale() -> str:
    """The user's locale code, e.g. "ar_MA" or "en_US" ("" when none is set)."""
    for variable in ("LC_ALL", "LC_TIME", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value and value not in ("C", "POSIX"):
            return value.split(".")[0].split("@")[0]
    return locale.getlocale()[0] or ""


def interface_language(setting: str) -> str:
    """The interface language: the setting, else the locale (Arabic for ar_*), else English."""
    if setting in CATALOG:
        return setting
    return "ar" if system_locale().lower().startswith("ar") else "en"


def date_locale(language: str, system: str) -> str:
    """The locale for dates: the system's regional variant of the interface language when there
    is one (ar_MA and ar_DZ name months differently from ar_SY), else the language itself."""
    if system.lower().startswith(language + "_"):
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(system)
        except (ValueError, UnknownLocaleError):
            return language
        return system
    return language


class Strings:
    """Looks up interface strings; template variables are filled in, never parsed as markup."""

    def __init__(self, language: str, dates: str | None = None) -> None:
        self.language = language
        self._dates = dates
        self._table = CATALOG[language]

    @cached_property
    def dates(self) -> str:
        """The locale dates are written in (see :func:`date_locale`)."""
        return self._dates or date_locale(self.language, system_locale())

    def __call__(self, key: str, **values: object) -> str:
        template = self._table.get(key) or CATALOG["en"][key]
        return template.format(**values) if values else template

    def reading_labels(self) -> Labels:
        """The words the article renderer writes itself."""
        return Labels(links=self("links"), image=self("image"), summary_note=self("summary_note"))

    @property
    def rtl(self) -> bool:
        return self.language == "ar"

    def relative_time(
        self, now: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> Callable[[datetime], str]:
        """A function that says how long ago a moment was: "3h ago", "قبل 3 ساعات"."""
        language = self.language

        def say(moment: datetime) -> str:
            delta = moment - now()
            if abs(delta.total_seconds()) > 7 * 24 * 3600:
                from babel.dates import format_date

                return format_date(moment, format="d MMM", locale=self.dates)
            return ago(delta, language) if speaks(language) else babel_ago(delta, language)

        return say

    def date(self, moment: datetime) -> str:
        """A date as people write it here: "28 February 2025", "28 فبراير 2025", "28 فيفري 2025"."""
        from babel.dates import format_date

        return format_date(moment, format="long", locale=self.dates)
