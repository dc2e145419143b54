"""Run ``tuireader`` in a child process and measure it: exit code, output, wall time and the
child's peak resident memory (which, unlike tracemalloc, counts libxml2's allocations)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.terminal import child_env

# Runs the CLI in this very process and writes its peak RSS to a file, even on sys.exit.
# VmHWM, not getrusage: Linux carries ru_maxrss over fork and exec, so a child of a big test
# process would report its parent's peak.
_WRAPPER = """
import re, runpy, sys
out = sys.argv.pop(1)
sys.argv[0] = "tuireader"
try:
    runpy.run_module("tuireader", run_name="__main__")
finally:
    with open("/proc/self/status") as status:
        peak = re.search(r"VmHWM:\\s+(\\d+) kB", status.read())
    with open(out, "w") as f:
        f.write(peak.group(1) if peak else "0")
"""


@dataclass(frozen=True, slots=True)
class Measured:
    """How a child ``tuireader`` run went."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_measured(args: list[str], *, timeout: float = 120, tmp: Path) -> Measured:
    """Run ``python -m tuireader ARGS`` and measure it."""
    rss_file = tmp / f"rss-{time.monotonic_ns()}.txt"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, str(rss_file), *args],
        capture_output=True,
        env=child_env(),
        timeout=timeout,
        check=False,
    )
    seconds = time.monotonic() - started
    peak_kb = int(rss_file.read_text()) if rss_file.exists() else 0
    return Measured(
        done.returncode,
        done.stdout.decode("utf-8", errors="replace"),
        done.stderr.decode("utf-8", errors="replace"),
        seconds,
        peak_kb / 1024,
    )
