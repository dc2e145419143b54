"""Every file of two public corpora through parse → store → layout: no crash, no hang, clean
output, and agreement with the titles, links and encodings feedparser's files expect.

Each corpus runs once per module in a watched child process (tests/corpus/runner.py); both
take about 15 s together on a 2-core machine. ``PYTHONPATH=src python3 bench/corpus.py``
prints the same figures as a table, ``--details`` with every disagreement.
"""

from __future__ import annotations

import pytest

from tests.corpus.archive import CORPORA
from tests.corpus.runner import CorpusRun, run_corpus
from tests.corpus.summary import agreement, disagreements

BUDGET = 5.0  # seconds per file; the slowest file takes about 0.3 s
FILES = {"feedparser": 2107, "w3c": 1724}
# Measured on 2026-11-29: 2,079 of 2,107 and 1,657 of 1,724 files give a feed; the others
# are refused with a FeedParseError (see bench/corpus.py for the messages).
MIN_PARSED = {"feedparser": 2075, "w3c": 1650}
# Measured on 2026-11-29 (files agreeing / files with an expectation): title 361/400,
# link 32/38, encoding 63/70. Each floor is just under, so that one more disagreement fails.
MIN_RATE = {"title": 0.905, "link": 0.84, "encoding": 0.99}
# An annotation reader that silently found fewer expectations must not pass either.
MIN_EXPECTED_IN = {"title": 400, "link": 38, "encoding": 70}
W3C_OPML_FILES = 37


@pytest.fixture(scope="module")
def feedparser_run() -> CorpusRun:
    return run_corpus("feedparser", budget=BUDGET)


@pytest.fixture(scope="module")
def w3c_run() -> CorpusRun:
    return run_corpus("w3c", budget=BUDGET)


@pytest.fixture(params=sorted(CORPORA))
def run(request: pytest.FixtureRequest) -> CorpusRun:
    result: CorpusRun = request.getfixturevalue(f"{request.param}_run")
    return result


def test_every_file_of_the_corpus_was_run(run: CorpusRun) -> None:
    assert run.files == FILES[run.corpus]
    names = [report.name for report in run.reports] + [stuck.name for stuck in run.stuck]
    assert len(names) == len(set(names)) == run.files


def test_no_file_hangs_or_kills_the_process(run: CorpusRun) -> None:
    stuck = [f"{s.name} ({s.kind}): {s.detail}" for s in run.stuck]
    assert not stuck, "\n\n".join(stuck)
    slow = [f"{r.name}: {r.seconds:.2f} s" for r in run.reports if r.seconds >= BUDGET]
    assert not slow, "\n".join(slow)


def test_no_file_crashes(run: CorpusRun) -> None:
    crashes = [f"{r.name}: {r.message}" for r in run.reports if r.outcome == "crash"]
    assert not crashes, "\n".join(crashes)


def test_stored_text_and_screen_lines_are_clean(run: CorpusRun) -> None:
    problems = [f"{r.name}: {p}" for r in run.reports for p in r.problems]
    assert not problems, "\n".join(problems[:50])


def test_most_files_give_a_feed_and_refusals_are_explained(run: CorpusRun) -> None:
    parsed = [r for r in run.reports if r.outcome == "parsed"]
    assert len(parsed) >= MIN_PARSED[run.corpus]
    refused = [r for r in run.reports if r.outcome == "parse error"]
    assert all(r.message.strip() for r in refused)


def test_articles_went_through_store_and_layout(run: CorpusRun) -> None:
    entries = sum(r.entries for r in run.reports)
    articles = sum(r.articles for r in run.reports)
    lines = sum(r.lines for r in run.reports)
    assert entries > 800
    assert articles >= 0.95 * entries  # fewer only where a feed repeats an entry's id
    assert lines >= 3 * articles  # at least title, gap and meta line of each


def test_w3c_opml_files_go_through_the_opml_reader(w3c_run: CorpusRun) -> None:
    opml = [r for r in w3c_run.reports if r.opml]
    assert len(opml) == W3C_OPML_FILES
    assert sum(1 for r in opml if r.opml.startswith("read")) >= W3C_OPML_FILES - 3


@pytest.mark.parametrize("field", sorted(MIN_RATE))
def test_agreement_with_feedparser_expectations(feedparser_run: CorpusRun, field: str) -> None:
    tally = agreement(feedparser_run.reports)[field]
    assert tally.files >= MIN_EXPECTED_IN[field]
    differing = [line for line in disagreements(feedparser_run.reports) if f" {field} " in line]
    assert tally.rate >= MIN_RATE[field], "\n".join(differing)
