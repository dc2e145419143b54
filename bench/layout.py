"""Benchmark of the RTL layout engine on a 10,000-word Arabic news article.

Run from the repository root:  PYTHONPATH=src python3 bench/layout.py [--words N] [--repeat R]

Prints, for layout without and with shaping: the first layout at 80 columns (sanitize, isolate
links, shape, resolve levels, wrap, reorder) and a re-layout of the same paragraphs at 100
columns (wrap and reorder only), in milliseconds for the article and microseconds per
paragraph (CPU), beside python-bidi's plain ``get_display`` on the same paragraphs (which neither
wraps, mirrors, shapes nor keeps marks after their letters). The best of R runs is shown,
in wall time and in CPU time.
Targets: first layout <= 150 ms, re-layout <= 40 ms.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from bidi import get_display

from tuireader.text import ParagraphLayout
from tuireader.text.shaping import _word_cache

VOCABULARY = """
قال المتحدث باسم الحكومة إن الاجتماع الذي عقد في العاصمة انتهى دون اتفاق على الخطوات
المقبلة وأضاف أن الوزراء ناقشوا الأوضاع الاقتصادية والسياسية في المنطقة كما أكد رئيس
الوزراء أن البلاد ستواصل دعم المبادرات الإقليمية من أجل تحقيق الاستقرار والتنمية وأشار
التقرير إلى ارتفاع أسعار النفط والقمح خلال الأسبوع الماضي بينما تراجعت البورصة المحلية
وسط مخاوف المستثمرين من تباطؤ النمو العالمي وأعلنت وزارة الصحة عن حملة جديدة للتطعيم
تشمل جميع المحافظات ويتوقع الخبراء أن تستمر المفاوضات حتى نهاية الشهر الجاري لا يزال
الوضع متوترا على الحدود حسب مصادر مطلعة تحدثت إلى الصحفيين مساء أمس
"""
WORDS = VOCABULARY.split()
PREFIXES = ("",) * 12 + ("و", "ب", "ل", "ف", "وال", "بال", "لل")
SUFFIXES = ("",) * 12 + ("ها", "هم", "ات", "ين", "ة", "ه", "نا")
EXTRAS = ("(CNN)", "Apple", "BBC", "«الأمم المتحدة»", "28-02-2025", "%12.5", "2025", "(Q1)")


def make_article(words: int, seed: int = 7) -> list[str]:
    """A deterministic Arabic article of about ``words`` words, as a list of paragraphs."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    total = 0
    while total < words:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            sentence = [
                rng.choice(PREFIXES) + rng.choice(WORDS) + rng.choice(SUFFIXES)
                for _ in range(rng.randint(8, 18))
            ]
            if rng.random() < 0.5:
                sentence.insert(rng.randrange(len(sentence)), rng.choice(EXTRAS))
            if rng.random() < 0.05:
                sentence.append(
                    "https://news.example.com/ar/2025/article?id=" + str(rng.randint(1, 9999))
                )
            total += len(sentence)
            sentences.append(" ".join(sentence) + rng.choice((".", "،", ".", ":")))
        paragraphs.append(" ".join(sentences))
    return paragraphs


def best_of(
    repeat: int, run: Callable[[], object], setup: Callable[[], None] | None = None
) -> tuple[float, float]:
    """Best wall time and best CPU time of ``repeat`` runs, in seconds.

    CPU time is shown too because the machine is shared: other processes lengthen the wall
    time but not the CPU time.
    """
    wall = cpu = float("inf")
    for _ in range(repeat):
        if setup:
            setup()
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        cpu = min(cpu, time.process_time() - start_cpu)
        wall = min(wall, time.perf_counter() - start)
    return wall, cpu


def measure_layouts(
    paragraphs: list[str],
    shaping: bool,
    repeat: int,
    row: Callable[[str, tuple[float, float]], None],
) -> None:
    """First layout, re-layout and styled layout of every paragraph, shaped or not."""
    name = "shaped" if shaping else "unshaped"
    layouts: list[ParagraphLayout] = []

    def first() -> None:
        layouts[:] = [ParagraphLayout(p, shaping=shaping) for p in paragraphs]
        for layout in layouts:
            layout.visual_lines(80)

    row(f"first layout at 80, {name} (word cache cold)", best_of(repeat, first, _word_cache.clear))
    row(f"first layout at 80, {name} (word cache warm)", best_of(repeat, first))
    widths = iter(range(100, 100 + repeat))

    def relayout() -> None:
        width = next(widths)  # a new width each time: nothing cached
        for layout in layouts:
            layout.visual_lines(width)

    row(f"re-layout at a new width (100+), {name}", best_of(repeat, relayout))

    def styled() -> None:
        for layout in layouts:
            layout.lines(80)

    row(f"styled lines(80), aligned, {name}", best_of(repeat, styled))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    paragraphs = make_article(args.words)
    count = len(paragraphs)
    chars = sum(map(len, paragraphs))
    unique = len({w for p in paragraphs for w in p.split(" ")})
    print(
        f"article: {args.words} words ({unique} distinct), {count} paragraphs, "
        f"{chars} characters; best of {args.repeat}"
    )
    print(f"{'what':<46} {'wall ms':>8} {'cpu ms':>8} {'µs/paragraph':>13}")

    def row(label: str, seconds: tuple[float, float]) -> None:
        wall, cpu = seconds
        print(f"{label:<46} {wall * 1e3:>8.1f} {cpu * 1e3:>8.1f} {cpu * 1e6 / count:>13.0f}")

    row(
        "python-bidi get_display (no wrap, no L3/L4)",
        best_of(args.repeat, lambda: [get_display(p) for p in paragraphs]),
    )
    for shaping in (False, True):
        measure_layouts(paragraphs, shaping, args.repeat, row)


if __name__ == "__main__":
    main()
