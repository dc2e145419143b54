"""Public feed corpora through tuireader's parse → store → layout path: the reliability table.

Run from the repository root:  python3 bench/corpus.py [--budget 5] [--details]

Every file of feedparser's test suite (2,107 files) and of the W3C Feed Validator's test cases
(1,724 files), vendored under tests/data/corpora/, goes through ``parse_feed``, a real SQLite
store and the article layout, each corpus in a child process that is watched file by file (see
tests/corpus/runner.py). Printed: outcomes per corpus (a crash is any exception other than
FeedParseError/OPMLError; a hang is a file over the budget; violations are control characters
or over-wide lines in the output), the parse errors grouped by message, and for feedparser's
files the agreement with the title, link and encoding their ``Expect:`` lines state (what
counts as agreement: tests/corpus/agreement.py). ``--details`` lists every disagreement.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

_REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_REPOSITORY))  # the tests package
sys.path.insert(0, str(_REPOSITORY / "src"))  # this checkout's tuireader

from tests.corpus.runner import DEFAULT_BUDGET, CorpusRun, run_corpus  # noqa: E402
from tests.corpus.summary import (  # noqa: E402
    agreement,
    agreement_table,
    disagreements,
    error_kinds,
    outcome_table,
    slowest,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET, help="seconds per file")
    parser.add_argument("--details", action="store_true", help="list every disagreement")
    args = parser.parse_args()
    runs = [run_corpus(corpus, budget=args.budget) for corpus in ("feedparser", "w3c")]
    print("\n".join(outcome_table(runs)))
    for run in runs:
        _print_run(run, args.details)
    failed = any(
        run.stuck or any(r.outcome == "crash" or r.problems for r in run.reports) for run in runs
    )
    return 1 if failed else 0


def _print_run(run: CorpusRun, details: bool) -> None:
    print(f"\n{run.corpus}: slowest files")
    for report in slowest(run, 5):
        print(f"  {report.seconds:6.3f} s  {report.name}")
    print(f"{run.corpus}: parse errors by message")
    for message, count in error_kinds(run.reports).most_common():
        print(f"  {count:4d}  {message}")
    for stuck in run.stuck:
        print(f"  {stuck.kind.upper()} {stuck.name}: {stuck.detail}")
    for report in run.reports:
        if report.outcome == "crash":
            print(f"  CRASH {report.name}: {report.message}")
        for problem in report.problems:
            print(f"  VIOLATION {report.name}: {problem}")
    if run.corpus == "feedparser":
        print("\nfeedparser: agreement with the files' Expect: lines")
        print("\n".join(agreement_table(agreement(run.reports))))
        lines = disagreements(run.reports)
        if details:
            print("\n".join(f"  {line}" for line in lines))
        else:
            print(f"({len(lines)} expectations not met; --details lists them)")


if __name__ == "__main__":
    sys.exit(main())
