"""Shared driver for the fuzz harnesses: atheris (coverage-guided) when it is installed, else
a plain loop of mutated seeds, both for a fixed time budget.

    python fuzz/parse_feed.py --seconds 60              # atheris if importable, else random
    python fuzz/parse_feed.py --seconds 60 --engine random
    python fuzz/parse_feed.py --engine atheris -- -max_total_time=60 fuzz/corpus/parse

A finding (any exception but the documented ones, or unsafe text in the output) is written to
``fuzz/findings/<harness>-<sha1>.bin`` and the run exits with status 1.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import random
import sys
import time
import traceback
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

FINDINGS = ROOT / "fuzz" / "findings"
SLOW_SECONDS = 2.0  # an input that takes longer is saved too (time must stay bounded)

# Byte strings that make parsers and extractors work: escapes, entities, markup, Arabic.
TOKENS: tuple[bytes, ...] = (
    b"\x1b[2J",
    b"\x1b]0;t\x07",
    b"\x1b]52;c;eA==\x07",
    b"\xc2\x9b",
    b"\x00",
    b"\xff\xfe",
    b"&#27;",
    b"&#x9b;",
    b"&#0;",
    b"&amp;",
    b"&lt;",
    b"&nbsp;",
    b"&lol;",
    b"]]>",
    b"<![CDATA[",
    b'<!DOCTYPE x [<!ENTITY a "aaaa">]>',
    b'<!ENTITY % p SYSTEM "file:///etc/passwd">',
    b"<item>",
    b"</item>",
    b"<entry>",
    b"<title>",
    b"</title>",
    b"<link>",
    b"<guid>",
    b"<description>",
    b"<content:encoded>",
    b'<a href="javascript:x">',
    b'<a href="/r">',
    b"<script>",
    b'<p dir="rtl">',
    b"<br>",
    b"<img src=x>",
    b"<table><tr><td>",
    b"[bold]",
    b"[@click=app.quit]",
    b"\xd8\xa7\xd9\x84",
    b"\xe2\x80\xae",
    b"\xe2\x81\xa6",
    b"\xef\xbb\xbf",
    b'{"version":"https://jsonfeed.org/version/1.1","items":[',
    b'<?xml version="1.0"?>',
)


def unsafe(text: str) -> list[str]:
    """Characters no shown string may hold: controls but newline, and LRO/RLO."""
    return [
        f"U+{ord(c):04X}"
        for c in text
        if (unicodedata.category(c) == "Cc" and c != "\n") or c in "\u202d\u202e"
    ]


def check_safe(strings: Sequence[str | None]) -> None:
    """Raise AssertionError when any of ``strings`` holds an unsafe character."""
    for text in strings:
        if text and unsafe(text):
            raise AssertionError(f"unsafe characters {unsafe(text)[:5]} in {text[:80]!r}")


def mutate(data: bytes, rng: random.Random, seeds: Sequence[bytes]) -> bytes:
    """A few random edits: flips, cuts, token insertions, repeats, splices, truncation."""
    body = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = rng.randint(0, len(body)) if body else 0
        action = rng.randrange(7)
        if action == 0 and body:
            body[min(at, len(body) - 1)] = rng.randrange(256)
        elif action == 1:
            del body[at : at + rng.randint(1, 128)]
        elif action == 2:
            body[at:at] = rng.choice(TOKENS)
        elif action == 3:
            body[at:at] = body[at : at + rng.randint(1, 256)] * rng.randint(2, 8)
        elif action == 4 and seeds:
            other = rng.choice(seeds)
            start = rng.randint(0, len(other))
            body[at:at] = other[start : start + rng.randint(1, 512)]
        elif action == 5:
            del body[at:]
        else:
            body[at:at] = rng.randbytes(rng.randint(1, 16))
    return bytes(body)


def record(name: str, data: bytes) -> Path:
    FINDINGS.mkdir(parents=True, exist_ok=True)
    path = FINDINGS / f"{name}-{hashlib.sha1(data).hexdigest()[:12]}.bin"
    path.write_bytes(data)
    return path


def repeat_time(target: Callable[[bytes], None], data: bytes) -> float:
    """Seconds ``target`` takes on ``data`` a second time."""
    started = time.monotonic()
    with contextlib.suppress(Exception):
        target(data)
    return time.monotonic() - started


def run_random(
    name: str, target: Callable[[bytes], None], seeds: list[bytes], seconds: float, seed: int
) -> int:
    """Mutated seeds until the budget is spent; prints iterations and findings."""
    rng = random.Random(seed)
    for data in seeds:  # warm up: the first calls compile the libraries' patterns (seconds)
        target(data)
    iterations = findings = slow = 0
    slowest = 0.0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        data = (
            mutate(rng.choice(seeds), rng, seeds)
            if seeds and rng.random() < 0.9
            else (rng.randbytes(rng.randint(0, 2048)))
        )
        started = time.monotonic()
        try:
            target(data)
        except Exception:
            findings += 1
            path = record(name, data)
            print(f"finding saved to {path}:\n{traceback.format_exc()}", file=sys.stderr)
        took = time.monotonic() - started
        if took > SLOW_SECONDS and repeat_time(target, data) > SLOW_SECONDS:
            slow += 1
            path = record(f"{name}-slow", data)
            print(f"slow input ({took:.1f} s) saved to {path}", file=sys.stderr)
        elif took > SLOW_SECONDS:  # fast the second time: a library's one-time setup
            print(f"one-time setup of {took:.1f} s on an input (fast when repeated)")
        slowest = max(slowest, took)
        iterations += 1
    print(
        f"{name}: {iterations} inputs in {seconds:.0f} s (random mutation, seed {seed}), "
        f"{findings} findings, {slow} inputs over {SLOW_SECONDS:.0f} s, "
        f"slowest input {slowest * 1000:.0f} ms"
    )
    return 1 if findings else 0


def load_atheris() -> Any:
    """The atheris module, or None when it is not installed."""
    try:
        import atheris  # type: ignore[import-untyped]
    except ImportError:
        return None
    return atheris


def run_atheris(name: str, target: Callable[[bytes], None], argv: list[str]) -> int:
    atheris = load_atheris()

    def one_input(data: bytes) -> None:
        try:
            target(data)
        except Exception:
            record(name, data)
            raise

    atheris.Setup([sys.argv[0], *argv], one_input)
    atheris.Fuzz()
    return 0


def starting_corpus(name: str, seeds: list[bytes]) -> list[str]:
    """libFuzzer arguments for a temporary corpus holding the seeds, and a token dictionary."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix=f"fuzz-{name}-"))
    for number, seed in enumerate(seeds):
        (folder / f"seed-{number}").write_bytes(seed)
    dictionary = folder.parent / f"{folder.name}.dict"
    lines = ['"' + "".join(f"\\x{byte:02x}" for byte in token) + '"' for token in TOKENS]
    dictionary.write_text("\n".join(lines) + "\n", encoding="ascii")
    return [f"-dict={dictionary}", str(folder)]


def main(name: str, load: Callable[[], Callable[[bytes], None]], seeds: list[bytes]) -> int:
    """Parse the command line and fuzz ``load()``'s target for the time budget."""
    parser = argparse.ArgumentParser(description=f"fuzz {name}")
    parser.add_argument("--seconds", type=float, default=60.0, help="time budget")
    parser.add_argument("--engine", choices=["auto", "atheris", "random"], default="auto")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random engine")
    parser.add_argument("libfuzzer_args", nargs="*", help="passed to libFuzzer (after --)")
    args = parser.parse_args()
    engine = args.engine
    atheris = load_atheris()
    if engine == "auto":
        engine = "random" if atheris is None else "atheris"
    if engine == "atheris":
        if atheris is None:
            parser.error("atheris is not installed (python3 -m pip install atheris)")
        with atheris.instrument_imports(include=["tuireader"]):
            target = load()
        extra = list(args.libfuzzer_args)
        if not any(a.startswith("-max_total_time") for a in extra):
            extra.append(f"-max_total_time={int(args.seconds)}")
        if not any(not a.startswith("-") for a in extra):
            extra += starting_corpus(name, seeds)  # a fresh corpus of the seeds, and a dictionary
        return run_atheris(name, target, extra)
    return run_random(name, load(), seeds, args.seconds, args.seed)
