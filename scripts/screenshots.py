"""Regenerate the SVG screenshots in screenshots/ from the demo at a fixed moment.

    python3 scripts/screenshots.py

Each picture is the real app under Textual's headless driver. The SVGs get one extra CSS
rule: the text in them is already in visual order, so a browser must not run its own bidi
algorithm over it (that would reverse the Arabic a second time).
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tuireader.core.config import Config
from tuireader.demo.scenes import (
    NOW,
    copy_database,
    demo_app,
    go_to,
    is_arabic_example,
    is_english_example,
    settle,
    then_press,
)
from tuireader.demo.server import build_demo_database

OUT = Path(__file__).resolve().parent.parent / "screenshots"
NO_BROWSER_BIDI = "text { unicode-bidi: bidi-override; direction: ltr; }\n"


async def shoot(
    name: str,
    database: Path,
    config: Config,
    size: tuple[int, int],
    steps: Callable[[Any], Any],
    **options: Any,
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        app = demo_app(copy_database(database, Path(scratch)), config, **options)
        async with app.run_test(size=size) as pilot:
            await steps(pilot)
            svg = app.export_screenshot(title=f"tuireader — {name}")
    svg = svg.replace("<style>", "<style>\n" + NO_BROWSER_BIDI, 1)
    (OUT / f"{name}.svg").write_text(svg, encoding="utf-8")
    print(f"wrote screenshots/{name}.svg")


async def search_for(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("slash", *"مراكش")
    await settle(pilot)


async def shoot_all(database: Path, config: Config) -> None:
    arabic = go_to(is_arabic_example)
    await shoot("main-arabic", database, config, (120, 36), arabic)
    await shoot("main-english", database, config, (120, 36), go_to(is_english_example))
    await shoot("mirrored-arabic", database, config, (130, 36), arabic, language="ar")
    await shoot("search", database, config, (120, 36), search_for)
    await shoot("narrow", database, config, (60, 24), then_press(arabic, "enter"))
    await shoot("calibration", database, config, (100, 30), then_press(settle, "c"))


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "demo.db"
        config = build_demo_database(database, NOW)
        asyncio.run(shoot_all(database, config))


if __name__ == "__main__":
    main()
