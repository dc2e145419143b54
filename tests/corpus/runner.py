"""Run a whole corpus in a child process, so that a hang or a hard crash is caught and named.

The child (``python3 -m tests.corpus.runner CORPUS --start N``) runs the files in order
through ``pipeline.run_file`` with one temporary SQLite store, and writes one JSON line per
event on stdout: ``{"start": index}`` before a file, ``{"report": {...}}`` after it,
``{"done": true}`` at the end. Before each file it arms ``faulthandler`` to dump its stack
when the file overruns the budget. The parent (``run_corpus``) reads those lines; when a file
overruns the budget (plus a grace for the stack dump) it kills the child, records a hang
naming the file with the stack, and starts a new child after it. A child that dies (a
segfault in a C extension, say) is recorded the same way. No thread outlives the run.
"""

from __future__ import annotations

import argparse
import dataclasses
import faulthandler
import json
import os
import selectors
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.corpus.agreement import Check
from tests.corpus.archive import CORPORA, read_corpus
from tests.corpus.pipeline import FileReport, run_file
from tuireader.core.store import Store

REPOSITORY = Path(__file__).resolve().parents[2]
DEFAULT_BUDGET = 5.0  # seconds per file
_GRACE = 2.0  # seconds after the budget for the child's stack dump
_STACK_TAIL = 3000  # characters of the child's stderr kept with a hang


@dataclass(frozen=True, slots=True)
class Stuck:
    """A file that hung (``kind`` "hang") or killed the child ("died"), with the stack or
    the child's last words."""

    name: str
    kind: str
    detail: str


@dataclass(slots=True)
class CorpusRun:
    """Everything one corpus run found."""

    corpus: str
    files: int
    reports: list[FileReport] = field(default_factory=list)
    stuck: list[Stuck] = field(default_factory=list)
    seconds: float = 0.0


# --- child -------------------------------------------------------------------------------------


_EVENTS = sys.stdout  # the child's channel to the parent; anything else printed goes to stderr


def _emit(event: dict[str, Any]) -> None:
    _EVENTS.write(json.dumps(event) + "\n")
    _EVENTS.flush()


def child_main(argv: list[str] | None = None) -> int:
    """Run the files of a corpus from ``--start`` on, reporting as JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", choices=sorted(CORPORA))
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET)
    args = parser.parse_args(argv)
    sys.stdout = sys.stderr
    files = read_corpus(args.corpus)
    with tempfile.TemporaryDirectory(prefix="tuireader-corpus-") as directory:
        store = Store(Path(directory) / "corpus.db")
        try:
            for index in range(args.start, len(files)):
                _emit({"start": index})
                faulthandler.dump_traceback_later(args.budget, exit=False)
                report = run_file(
                    files[index], store, with_expectations=args.corpus == "feedparser"
                )
                faulthandler.cancel_dump_traceback_later()
                _emit({"report": dataclasses.asdict(report)})
        finally:
            store.close()
    _emit({"done": True})
    return 0


# --- parent ------------------------------------------------------------------------------------


def _report(data: dict[str, Any]) -> FileReport:
    checks = [Check(**check) for check in data.pop("checks")]
    return FileReport(**data, checks=checks)


def _child_environment() -> dict[str, str]:
    paths = [str(REPOSITORY / "src"), str(REPOSITORY), os.environ.get("PYTHONPATH", "")]
    return dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in paths if p))


class _LineReader:
    """Lines from the child's stdout, each awaited until a deadline."""

    def __init__(self, stream: Any) -> None:
        self._fd = stream.fileno()
        self._buffer = b""
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._fd, selectors.EVENT_READ)

    def close(self) -> None:
        self._selector.close()

    def line(self, deadline: float) -> str | None:
        """The next line; "" at the end of the stream, None when ``deadline`` (monotonic)
        passes first."""
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._selector.select(remaining):
                return None
            chunk = os.read(self._fd, 65536)
            if not chunk:
                return ""
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode("utf-8", errors="replace") + "\n"


def run_corpus(corpus: str, *, budget: float = DEFAULT_BUDGET) -> CorpusRun:
    """Run every file of ``corpus``; hangs and hard crashes are recorded, not raised."""
    names = [file.name for file in read_corpus(corpus)]
    run = CorpusRun(corpus, len(names))
    started = time.monotonic()
    start = 0
    while start < len(names):
        start = _one_child(run, names, start, budget)
    run.seconds = time.monotonic() - started
    return run


def _one_child(run: CorpusRun, names: list[str], start: int, budget: float) -> int:
    """Run a child from file ``start``; return where the next child must start."""
    command = [sys.executable, "-m", "tests.corpus.runner", run.corpus, "--start", str(start)]
    command += ["--budget", str(budget)]
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(
            command,
            cwd=REPOSITORY,
            env=_child_environment(),
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        assert child.stdout is not None
        current: int | None = None
        # Start-up (imports, reading the archive) gets a budget of its own.
        deadline = time.monotonic() + budget + 30.0
        reader = _LineReader(child.stdout)
        try:
            while (line := reader.line(deadline)) != "":
                if line is None:
                    return _stuck(run, names, current, "hang", child, errors, budget)
                try:
                    event = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if "start" in event:
                    current = int(event["start"])
                    deadline = time.monotonic() + budget + _GRACE
                elif "report" in event:
                    run.reports.append(_report(event["report"]))
                elif event.get("done"):
                    child.wait()
                    return len(names)
            child.wait()
            return _stuck(run, names, current, "died", child, errors, budget)
        finally:
            reader.close()
            if child.poll() is None:
                child.kill()
                child.wait()
            child.stdout.close()


def _stuck(
    run: CorpusRun,
    names: list[str],
    current: int | None,
    kind: str,
    child: subprocess.Popen[bytes],
    errors: Any,
    budget: float,
) -> int:
    if child.poll() is None:
        child.kill()
        child.wait()
    errors.seek(0)
    tail = errors.read().decode("utf-8", errors="replace")[-_STACK_TAIL:]
    if current is None:
        raise RuntimeError(f"the corpus child failed before its first file:\n{tail}")
    detail = f"over {budget:g} s" if kind == "hang" else f"exit status {child.returncode}"
    run.stuck.append(Stuck(names[current], kind, f"{detail}\n{tail}"))
    return current + 1


if __name__ == "__main__":
    sys.exit(child_main())
