"""Fuzz the HTML side: ``html_to_document`` (feed HTML) and ``extract_article`` (whole pages)
on any bytes; documents carry only safe text and http(s)/mailto links, and the only error is
ExtractionError.

    python fuzz/extract.py --seconds 60 [--engine atheris|random]
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from harness import ROOT, check_safe, main

SAFE_LINK = ("http://", "https://", "mailto:")


def load() -> Callable[[bytes], None]:
    from tuireader.core.document import Document
    from tuireader.core.extract import ExtractionError, extract_article, html_to_document

    def check(document: Document) -> None:
        strings: list[str | None] = [document.title]
        for block in document.blocks:
            strings.append(block.text)
            strings += [inline.text for inline in block.inlines]
            links = [inline.link for inline in block.inlines] + [block.src]
            for link in links:
                if link and not link.startswith(SAFE_LINK):
                    raise AssertionError(f"unsafe link {link!r}")
        check_safe(strings)

    def target(data: bytes) -> None:
        html = data.decode("utf-8", errors="replace")
        check(html_to_document(html, base_url="https://site.example/a/b.html"))
        # The full-page extractor (trafilatura) costs more: every fourth input goes there.
        if data[:1] and data[0] % 4 == 0:
            try:
                check(extract_article(html, url="https://site.example/a/b.html").document)
            except ExtractionError as error:
                check_safe([error.message])

    return target


def seeds() -> list[bytes]:
    pages = ROOT / "tests" / "data" / "pages"
    found = [p.read_bytes() for p in sorted(pages.glob("*.html"))]
    found.append((ROOT / "tests" / "data" / "feeds" / "html_page.html").read_bytes())
    return found


if __name__ == "__main__":
    sys.exit(main("extract", load, seeds()))
