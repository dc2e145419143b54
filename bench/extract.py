"""Benchmark full-article extraction on the fixture pages of tests/data/pages.

For every page: the median time of ``extract_article`` (and of ``html_to_document`` on the
whole page, the feed-HTML path), paragraph recall and precision against the page's
``.expected.json``, and how many boilerplate strings leak with each cleaning layer switched
off, to show what the site profiles and the label filter each remove.

Run from the repository root: ``PYTHONPATH=src python3 bench/extract.py [--runs 20]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from tuireader.core.document import Document
from tuireader.core.extract import ExtractionError, extract_article, html_to_document

PAGES = Path(__file__).resolve().parent.parent / "tests" / "data" / "pages"
VARIANTS: dict[str, dict[str, bool]] = {
    "trafilatura alone": {"use_profiles": False, "use_filter": False},
    "profiles, no filter": {"use_profiles": True, "use_filter": False},
    "filter, no profiles": {"use_profiles": False, "use_filter": True},
    "both (default)": {"use_profiles": True, "use_filter": True},
}


def median_ms(run: Callable[[], object], runs: int) -> float:
    """Median wall time of ``run`` in milliseconds, after one warm-up call."""
    run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def score(document: Document, expected: dict[str, Any]) -> tuple[float, float, int]:
    """Paragraph recall, precision, and the number of boilerplate strings that leaked."""
    texts = [block.text for block in document.blocks if block.text.strip()]
    wanted = set(expected["paragraphs"])
    counted = [text for text in texts if text not in set(expected["optional"])]
    recall = len(wanted & set(texts)) / len(wanted)
    precision = sum(text in wanted for text in counted) / len(counted) if counted else 0.0
    leaks = sum(any(label in text for text in texts) for label in expected["boilerplate"])
    return recall, precision, leaks


def main() -> None:
    """Print one table of timings and quality, and one of leaks per cleaning layer."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per page (median)")
    args = parser.parse_args()

    pages = sorted(PAGES.glob("*.html"))
    print(f"{len(pages)} pages, median of {args.runs} runs\n")
    header = f"{'page':<22} {'KB':>5} {'extract ms':>10} {'html→doc ms':>11}"
    print(header + f" {'blocks':>6} {'recall':>6} {'precision':>9} {'leaks':>5}")
    leak_rows = []
    for path in pages:
        html = path.read_text("utf-8")
        expected = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
        url: str = expected["url"]
        extract_ms = median_ms(partial(extract_article, html, url=url), args.runs)
        convert_ms = median_ms(partial(html_to_document, html, base_url=url), args.runs)
        document = extract_article(html, url=url).document
        recall, precision, leaks = score(document, expected)
        print(
            f"{path.stem:<22} {len(html.encode()) / 1024:>5.1f} {extract_ms:>10.1f}"
            f" {convert_ms:>11.1f} {len(document.blocks):>6} {recall:>6.2f}"
            f" {precision:>9.2f} {leaks:>5}"
        )
        row = [path.stem]
        for flags in VARIANTS.values():
            try:
                variant = extract_article(html, url=url, **flags).document
                variant_recall, _, variant_leaks = score(variant, expected)
                row.append(f"{variant_leaks} leaks, recall {variant_recall:.2f}")
            except ExtractionError as error:
                row.append(error.message)
        leak_rows.append(row)

    print("\nboilerplate strings leaked (out of each page's list), by cleaning layer")
    print(f"{'page':<22} " + " ".join(f"{name:>24}" for name in VARIANTS))
    for row in leak_rows:
        print(f"{row[0]:<22} " + " ".join(f"{cell:>24}" for cell in row[1:]))

    big = "<p>" + "كلمة عربية وword لاتينية " * 20 + "<b>bold</b> <a href='/x'>link</a></p>\n"
    big_page = "<html><body>" + big * (1_000_000 // len(big) + 1) + "</body></html>"
    deep_page = "<div><span>" * 5000 + "deep" + "</span></div>" * 5000
    print("\nhostile feed HTML through html_to_document")
    for name, page in (("1 MB page", big_page), ("5,000-deep nesting", deep_page)):
        print(f"  {name:<20} {median_ms(partial(html_to_document, page), 3):8.1f} ms")


if __name__ == "__main__":
    main()
