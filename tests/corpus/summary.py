"""Figures of corpus runs: outcomes, slowest files, agreement rates, as data and as a table."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tests.corpus.agreement import AGREE, DELIBERATE
from tests.corpus.pipeline import FileReport
from tests.corpus.runner import CorpusRun

FIELDS = ("title", "link", "encoding")
_NUMBER = re.compile(r"\d+")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True, slots=True)
class Tally:
    """Files with an expectation of one field, and how many we agree on. A file agrees when
    every expectation of that field in it does; ``deliberate`` counts the files that differ
    only by deliberate differences (they are not in ``agree``)."""

    files: int
    agree: int
    deliberate: int

    @property
    def rate(self) -> float:
        return self.agree / self.files if self.files else 0.0

    @property
    def differ(self) -> int:
        return self.files - self.agree - self.deliberate


def agreement(reports: Iterable[FileReport]) -> dict[str, Tally]:
    """Per field, the files with an expectation and how many agree."""
    counts = {name: [0, 0, 0] for name in FIELDS}
    for report in reports:
        for name in FIELDS:
            verdicts = [check.verdict for check in report.checks if check.field == name]
            if not verdicts:
                continue
            count = counts[name]
            count[0] += 1
            if all(verdict in AGREE for verdict in verdicts):
                count[1] += 1
            elif all(verdict in AGREE or verdict == DELIBERATE for verdict in verdicts):
                count[2] += 1
    return {name: Tally(*count) for name, count in counts.items()}


def error_kinds(reports: Iterable[FileReport]) -> Counter[str]:
    """Parse errors by message, numbers and URLs blanked so that alike errors group."""
    return Counter(
        _URL.sub("URL", _NUMBER.sub("N", report.message))
        for report in reports
        if report.outcome == "parse error"
    )


def disagreements(reports: Iterable[FileReport]) -> list[str]:
    """One line per expectation we do not meet (deliberate differences included)."""
    lines = []
    for report in reports:
        for check in report.checks:
            if not check.agrees:
                where = "feed" if check.entry is None else f"entries[{check.entry}]"
                lines.append(
                    f"{report.name}: {where} {check.field} {check.verdict}:"
                    f" expected {check.expected!r}, ours {check.ours!r}"
                )
    return lines


def slowest(run: CorpusRun, count: int = 1) -> list[FileReport]:
    """The files that took longest."""
    return sorted(run.reports, key=lambda report: report.seconds, reverse=True)[:count]


def _rows(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    out = []
    for number, row in enumerate((header, *rows)):
        cells = [
            str(cell).ljust(width) if index == 0 else str(cell).rjust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
        if number == 0:
            out.append("  ".join("-" * width for width in widths))
    return out


def outcome_table(runs: Sequence[CorpusRun]) -> list[str]:
    """Files, parsed, refused, crashes, hangs, violations, time and the slowest file's time."""
    rows = []
    for run in runs:
        outcomes = Counter(report.outcome for report in run.reports)
        opml = [r.opml for r in run.reports if r.opml]
        slow = slowest(run)
        rows.append(
            (
                run.corpus,
                str(run.files),
                str(outcomes["parsed"]),
                str(outcomes["parse error"]),
                str(outcomes["crash"]),
                str(sum(1 for s in run.stuck if s.kind == "hang")),
                str(sum(1 for s in run.stuck if s.kind == "died")),
                str(sum(1 for r in run.reports if r.problems)),
                f"{sum(1 for o in opml if o.startswith('read'))}/{len(opml)}",
                f"{run.seconds:.1f} s",
                f"{slow[0].seconds:.2f} s" if slow else "-",
            )
        )
    header = (
        "corpus",
        "files",
        "parsed",
        "parse errors",
        "crashes",
        "hangs",
        "died",
        "violations",
        "OPML read",
        "time",
        "slowest",
    )
    return _rows(header, rows)


def agreement_table(tallies: dict[str, Tally]) -> list[str]:
    """Per field: files with an expectation, agree, deliberate, differ, rate."""
    header = ("field", "expected in", "agree", "deliberate", "differ", "rate")
    rows = [
        (
            name,
            str(t.files),
            str(t.agree),
            str(t.deliberate),
            str(t.differ),
            f"{t.rate:.3f}",
        )
        for name, t in tallies.items()
    ]
    return _rows(header, rows)
