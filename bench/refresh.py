"""Refresh wall time and peak memory of tuireader beside newsboat, on loopback.

Run from the repository root:

    python3 bench/refresh.py [--feeds 200] [--items 50] [--repeat 3] [--hosts 20] [--profile]

N generated Arabic WordPress-style feeds of M items (bench/_feeds.py) are served from a
separate process on H loopback addresses (127.0.0.1 ... 127.0.0.H, feed i on host i % H, so
per-host connection limits work as with real sites). Each tool runs as a fresh child process,
first on an empty cache ("cold": every feed answers 200) and then again on the same cache
("warm": every feed answers 304 to the conditional GET). The wall time includes start-up,
since that is what the user waits for; the "refresh()" row times only tuireader's
``refresh()`` inside a child that has already imported it, so start-up shows as the
difference; that child also notes how late its event loop ran a task that wakes every 10 ms
(the reader refreshes on its event loop: a keystroke waits as long). Peak memory is the
child's maximum resident set size (``os.wait4``). CPU seconds (user + system, worker
processes included; of ``refresh()`` alone in that row) are printed too: on a shared
machine they are steadier than wall time. Every run is checked: exit status
0, the server saw N 200s (cold) or N 304s (warm) and no 404 (nothing followed an item link),
and the cache holds N x M items (tuireader's ``articles`` table, newsboat's ``rss_item``
table); a failed check is printed and makes the exit status 1. Medians of R rounds are printed.

newsboat (Debian: ``apt-get install newsboat``) runs as ``newsboat -x reload`` with
``reload-threads 8``; when it is missing, tuireader's figures are printed alone. newsboat
stores a feed's ETag only from its second download, so its second run still gets 200s: runs
that still see a 200 after the cold one are repeated (untimed, at most twice) until a run
is all 304s, and that run is the "warm" figure. tuireader runs with its default settings.
``--profile`` then profiles a cold and a warm in-process refresh of tuireader (cProfile on
the event-loop thread and on the threads that open the store and write; parsing runs in
worker processes, which are not profiled: ``python3 bench/parse.py`` measures it) and prints
where the time goes; ``--repeat 0 --profile`` profiles only. Targets at N=200, M=50:
tuireader's cold refresh at most a third of newsboat's wall time, its warm refresh at most a
tenth.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _feeds import FeedServer

REPOSITORY = Path(__file__).resolve().parent.parent
NEWSBOAT_THREADS = 8
RUN_TIMEOUT = 600.0  # seconds: a run that takes longer is killed and reported
MAX_SETTLING_RUNS = 2
LOOP_PROBE_PERIOD = 0.01  # seconds between the event-loop probe's wake-ups
COLD_TARGET, WARM_TARGET = 1 / 3, 1 / 10
NEWSBOAT_MISSING = "newsboat not installed: apt-get install newsboat"


# --- running a child and measuring it ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    """One measured child process."""

    seconds: float
    cpu_seconds: float  # user + system
    peak_kb: int
    exit_code: int
    output: str


def become_subreaper() -> bool:
    """Adopt the orphaned descendants of our children (Linux), so their CPU can be counted.

    tuireader parses in worker processes forked by a forkserver, which outlives the command
    by a moment: without this, their CPU time would be missing from the child's.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(36, 1, 0, 0, 0)) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def _children() -> set[int]:
    """Our own child processes, from /proc (empty where it is not available)."""
    pids: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").glob("*/children"):
        try:
            pids.update(int(pid) for pid in task.read_text().split())
        except OSError:
            continue
    return pids


def _reap_adopted(before: set[int]) -> float:
    """Wait for the descendants adopted after a child exited; their CPU seconds."""
    cpu = 0.0
    deadline = time.monotonic() + 10.0
    pending = _children() - before
    while pending and time.monotonic() < deadline:
        for pid in list(pending):
            try:
                done, _, usage = os.wait4(pid, os.WNOHANG)
            except ChildProcessError:
                pending.discard(pid)
                continue
            if done:
                cpu += usage.ru_utime + usage.ru_stime
                pending.discard(pid)
        time.sleep(0.01)
        pending |= _children() - before
    return cpu


def run_measured(command: list[str], env: dict[str, str], log: Path) -> Run:
    """Run ``command`` to completion; its wall time, peak RSS (ru_maxrss) and output.

    CPU is the child's with every descendant's, adopted ones included (``become_subreaper``).
    """
    before = _children()
    with log.open("wb") as sink:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, env=env, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT
        )
        # The child is not reaped before wait4 returns, so its pid cannot be reused meanwhile.
        watchdog = threading.Timer(RUN_TIMEOUT, process.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            watchdog.cancel()
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime + _reap_adopted(before)
    output = log.read_text(errors="replace")
    return Run(seconds, cpu, usage.ru_maxrss, process.returncode, output)


def count_rows(database: Path, table: str) -> int:
    """Rows of ``table`` in the SQLite file, or -1 if it cannot be read."""
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
            return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    except sqlite3.Error:
        return -1


# --- the tools ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tool:
    """How to set a tool up in a fresh directory, run one refresh, and count what it stored."""

    name: str
    prepare: Callable[[Path, list[str]], None]
    command: Callable[[Path], list[str]]
    stored: Callable[[Path], int]
    env: dict[str, str]
    # Reads the timings a child printed when the process as a whole is not what is timed:
    # "seconds" and "cpu_seconds" (and the event loop's stalls, in ms).
    inner_timings: Callable[[Run], dict[str, float]] | None = None


def _tuireader_env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(REPOSITORY / "src"), os.environ.get("PYTHONPATH")) if p)
    return dict(os.environ, PYTHONPATH=path)


def _write_tuireader_config(directory: Path, urls: list[str]) -> None:
    # The URLs are our own loopback ones (digits, dots, slashes): no TOML escaping needed.
    feeds = "".join(f'[[feed]]\nurl = "{url}"\n\n' for url in urls)
    (directory / "config.toml").write_text(feeds, encoding="utf-8")


def _tuireader_stored(directory: Path) -> int:
    return count_rows(directory / "data" / "tuireader.db", "articles")


def _in_process_timings(run: Run) -> dict[str, float]:
    return {
        key: float(value) for key, value in json.loads(run.output.strip().splitlines()[-1]).items()
    }


def tuireader_cli() -> Tool:
    """tuireader's own command, ``tuireader --config C --data-dir D refresh``."""
    return Tool(
        name="tuireader CLI",
        prepare=_write_tuireader_config,
        command=lambda d: [
            sys.executable,
            "-m",
            "tuireader",
            "--config",
            str(d / "config.toml"),
            "--data-dir",
            str(d / "data"),
            "refresh",
        ],
        stored=_tuireader_stored,
        env=_tuireader_env(),
    )


def tuireader_in_process() -> Tool:
    """``refresh()`` timed inside a child that has already imported tuireader."""
    return Tool(
        name="tuireader refresh()",
        prepare=_write_tuireader_config,
        command=lambda d: [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child-refresh",
            str(d / "config.toml"),
            str(d / "data"),
        ],
        stored=_tuireader_stored,
        env=_tuireader_env(),
        inner_timings=_in_process_timings,
    )


def _prepare_newsboat(directory: Path, urls: list[str]) -> None:
    (directory / "urls").write_text("".join(f"{url}\n" for url in urls), encoding="utf-8")
    (directory / "config").write_text(f"reload-threads {NEWSBOAT_THREADS}\n", encoding="utf-8")
    (directory / "home").mkdir()


def newsboat(executable: str) -> Tool:
    """``newsboat -x reload`` on its own urls, cache and config files, with a throwaway HOME."""

    def command(d: Path) -> list[str]:
        return [
            executable,
            "-u",
            str(d / "urls"),
            "-c",
            str(d / "cache.db"),
            "-C",
            str(d / "config"),
            "-x",
            "reload",
        ]

    return Tool(
        name=f"newsboat ({NEWSBOAT_THREADS} threads)",
        prepare=_prepare_newsboat,
        command=command,
        stored=lambda d: count_rows(d / "cache.db", "rss_item"),
        env=dict(os.environ),
    )


# --- one tool, cold then warm ------------------------------------------------------------------


@dataclass(slots=True)
class Sample:
    """A cold and a warm run of one tool in one fresh directory."""

    cold: float
    warm: float
    peak_kb: int
    stored: int
    # CPU seconds of the whole processes: near the wall time means CPU-bound.
    cold_cpu: float = 0.0
    warm_cpu: float = 0.0
    problems: list[str] = field(default_factory=list)
    # The event loop's stalls during refresh() (99th percentile and longest, ms), when timed.
    stalls: dict[str, tuple[float, float]] = field(default_factory=dict)


def measure(tool: Tool, server: FeedServer, root: Path, expected_items: int) -> Sample:
    """Cold run on an empty cache, then warm runs until one is all 304s; checked."""
    directory = Path(tempfile.mkdtemp(prefix="run-", dir=root))
    tool.prepare(directory, server.urls)
    # HOME and XDG dirs point into the run directory, so no tool reads or writes the user's.
    env = dict(
        tool.env,
        HOME=str(directory / "home"),
        XDG_CONFIG_HOME=str(directory / "xdg"),
        XDG_DATA_HOME=str(directory / "xdg"),
        XDG_CACHE_HOME=str(directory / "xdg"),
    )
    (directory / "home").mkdir(exist_ok=True)
    feeds = len(server.urls)
    problems: list[str] = []
    server.stats(reset=True)

    def one(label: str) -> tuple[Run, dict[str, int]]:
        run = run_measured(tool.command(directory), env, directory / f"{label}.log")
        counts = server.stats(reset=True)
        if run.exit_code != 0:
            tail = " | ".join(run.output.strip().splitlines()[-3:])
            problems.append(f"{label}: exit status {run.exit_code}: {tail}")
        stored = tool.stored(directory)
        if stored != expected_items:
            problems.append(f"{label}: {stored} items stored, expected {expected_items}")
        return run, counts

    cold, counts = one("cold")
    if counts.get("200", 0) != feeds or counts.get("304", 0) or counts.get("404", 0):
        problems.append(f"cold: server answered {counts}, expected {feeds} x 200")
    warm, counts = one("warm")
    for settling in range(1, MAX_SETTLING_RUNS + 1):
        if counts.get("200", 0) == 0:
            break
        warm, counts = one(f"warm{settling + 1}")
    if counts.get("304", 0) != feeds or counts.get("200", 0) or counts.get("404", 0):
        problems.append(f"warm: server answered {counts}, expected {feeds} x 304")

    def timings(run: Run) -> dict[str, float]:
        if tool.inner_timings is None or run.exit_code != 0:
            return {"seconds": run.seconds, "cpu_seconds": run.cpu_seconds}
        return tool.inner_timings(run)

    stored = tool.stored(directory)
    shutil.rmtree(directory, ignore_errors=True)
    peak = max(cold.peak_kb, warm.peak_kb)
    cold_timed, warm_timed = timings(cold), timings(warm)
    stalls = {
        label: (timed["stall_p99_ms"], timed["stall_max_ms"])
        for label, timed in (("cold", cold_timed), ("warm", warm_timed))
        if "stall_max_ms" in timed
    }
    return Sample(
        cold=cold_timed["seconds"],
        warm=warm_timed["seconds"],
        peak_kb=peak,
        stored=stored,
        cold_cpu=cold_timed["cpu_seconds"],
        warm_cpu=warm_timed["cpu_seconds"],
        problems=problems,
        stalls=stalls,
    )


# --- the children ------------------------------------------------------------------------------


def child_refresh(config_file: Path, data_dir: Path) -> None:
    """Time one ``refresh()`` after the imports, and how late a callback scheduled every
    10 ms ran meanwhile (the reader's keystrokes wait on this event loop); print
    {"seconds", "cpu_seconds", "stall_p99_ms", "stall_max_ms", "failed"} as JSON."""
    from tuireader.core.config import load_config
    from tuireader.core.refresh import RefreshReport, refresh

    config = load_config(config_file)
    stalls: list[float] = []

    async def refresh_watched() -> RefreshReport:
        probe = asyncio.ensure_future(_watch_loop(stalls))
        try:
            return await refresh(data_dir / "tuireader.db", config)
        finally:
            probe.cancel()

    started, cpu_started = time.perf_counter(), time.process_time()
    report = asyncio.run(refresh_watched())
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    cpu += _forkserver_cpu()
    stalls.sort()
    timings = {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "stall_p99_ms": stalls[int(len(stalls) * 0.99)] if stalls else 0.0,
        "stall_max_ms": stalls[-1] if stalls else 0.0,
        "failed": len(report.failed),
    }
    print(json.dumps(timings))
    sys.exit(1 if report.failed else 0)


async def _watch_loop(stalls: list[float], period: float = LOOP_PROBE_PERIOD) -> None:
    """Forever: sleep ``period`` and note, in ms, how much later than that the loop woke us."""
    while True:
        asleep = time.perf_counter()
        await asyncio.sleep(period)
        stalls.append((time.perf_counter() - asleep - period) * 1000)


def _forkserver_cpu() -> float:
    """CPU seconds of the forkserver that tuireader's workers came from, workers included
    (it reaps them), if one was started in this process."""
    from multiprocessing import forkserver

    pid = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime, stime, cutime, cstime: fields 14-17 of stat, 12-15 after the name.
    ticks = sum(int(value) for value in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def child_profile(config_file: Path, data_dir: Path) -> None:
    """Profile a cold and then a warm ``refresh()``, on the event loop and in its threads."""
    import tuireader.core.refresh as refresh_module
    from tuireader.core.config import load_config

    config = load_config(config_file)
    for label in ("cold", "warm"):
        loop, workers, seconds, summary = _profiled_refresh(refresh_module, data_dir, config)
        print(f"\nprofiled {label} refresh: {seconds:.2f} s wall (cProfile slows it); {summary}")
        print_stages(loop, workers)
        print(f"\n{label}, threads that open the store, parse and store (top by own time):")
        workers.sort_stats("tottime").print_stats(14 if label == "cold" else 8)
        print(f"{label}, event-loop thread: fetching (top by own time; select is idle time):")
        loop.sort_stats("tottime").print_stats(10)


def _profiled_refresh(
    refresh_module: Any, data_dir: Path, config: Any
) -> tuple[pstats.Stats, pstats.Stats, float, str]:
    """One refresh with one cProfile per thread; (loop, threads merged, wall s, summary)."""
    profiles: list[cProfile.Profile] = []
    local = threading.local()
    to_thread = asyncio.to_thread

    def profiled(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        profile = getattr(local, "profile", None)
        if profile is None:
            profile = local.profile = cProfile.Profile()
            profiles.append(profile)
        profile.enable()
        try:
            return function(*args, **kwargs)
        finally:
            profile.disable()

    async def profiled_to_thread(function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        return await to_thread(profiled, function, *args, **kwargs)

    # Every blocking step of refresh() (open and migrate, sync, parse and store) goes through
    # asyncio.to_thread: wrapping it profiles each of them in the thread that runs it.
    refresh_module.asyncio.to_thread = profiled_to_thread
    loop_profile = cProfile.Profile()
    try:
        started = time.perf_counter()
        loop_profile.enable()
        report = asyncio.run(refresh_module.refresh(data_dir / "tuireader.db", config))
        loop_profile.disable()
        seconds = time.perf_counter() - started
    finally:
        refresh_module.asyncio.to_thread = to_thread
    return pstats.Stats(loop_profile), pstats.Stats(*profiles), seconds, report.summary()


def _stages() -> list[tuple[str, Callable[..., Any]]]:
    from tuireader.core import ingest, refresh, store
    from tuireader.core.fetch import Fetcher

    return [
        ("open the store (connect, migrate)", store.Store.__init__),
        ("sync_feeds (config into the feeds table)", store.Store.sync_feeds),
        ("create the HTTP client (Fetcher.__init__)", Fetcher.__init__),
        ("parse and index here (few feeds; else in workers)", ingest.prepare_feed),
        ("write a batch of feeds (one transaction)", refresh._apply_batch),
        ("  store_prepared (SQLite writes, FTS insert)", store.Store.store_prepared),
        ("  record_fetch (the feed's row)", store.Store.record_fetch),
        ("read back the new articles that want full text", refresh._wanting_full_text),
    ]


def print_stages(loop: pstats.Stats, workers: pstats.Stats) -> None:
    """Cumulative seconds of the main steps of a refresh, from the profiles."""
    print(f"{'step':<52}{'cumulative s':>13}")
    tables = [loop.stats, workers.stats]  # type: ignore[attr-defined]
    for label, function in _stages():
        code = function.__code__
        key = (code.co_filename, code.co_firstlineno, code.co_name)
        seconds = sum(float(table[key][3]) for table in tables if key in table)
        print(f"{label:<52}{seconds:>13.2f}")
    rows = workers.stats.items()  # type: ignore[attr-defined]
    sql = sum(float(row[3]) for (where, _, fn), row in rows if where == "~" and "sqlite3" in fn)
    print(f"{'all SQLite calls in threads (SQL, FTS5, COMMIT)':<52}{sql:>13.2f}")
    print(f"{'all work in threads':<52}{workers.total_tt:>13.2f}")  # type: ignore[attr-defined]


# --- the report --------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def print_table(results: dict[str, list[Sample]], expected: int) -> None:
    """tool | cold s | warm s | peak MB | items stored (| CPU s), medians of the rounds."""
    print(
        f"\n{'tool':<22}{'cold s':>8}{'warm s':>8}{'peak MB':>9}{'items stored':>15}"
        f"{'cold cpu s':>12}{'warm cpu s':>12}"
    )
    for name, samples in results.items():
        cold, warm = median([s.cold for s in samples]), median([s.warm for s in samples])
        peak = median([s.peak_kb / 1024 for s in samples])
        stored = f"{min(s.stored for s in samples)}/{expected}"
        cold_cpu = median([s.cold_cpu for s in samples])
        warm_cpu = median([s.warm_cpu for s in samples])
        mark = "" if all(not s.problems for s in samples) else "  (failed checks, below)"
        print(
            f"{name:<22}{cold:>8.2f}{warm:>8.2f}{peak:>9.0f}{stored:>15}"
            f"{cold_cpu:>12.2f}{warm_cpu:>12.2f}{mark}"
        )


def print_stalls(results: dict[str, list[Sample]]) -> None:
    """How late the event loop ran during refresh(): what a keystroke in the reader, which
    refreshes on the same loop, can wait for (medians of the rounds' 99th percentiles and
    longest stalls)."""
    for name, samples in results.items():
        parts = []
        for label in ("cold", "warm"):
            stalls = [s.stalls[label] for s in samples if label in s.stalls]
            if stalls:
                p99, longest = median([p for p, _ in stalls]), median([m for _, m in stalls])
                parts.append(f"{label} 99th percentile {p99:.0f} ms, longest {longest:.0f} ms")
        if parts:
            print(f"{name}, event loop late by (a keystroke waits as long): {'; '.join(parts)}")


def print_targets(results: dict[str, list[Sample]], reference: str) -> None:
    """tuireader's median wall times as a fraction of newsboat's, against the targets."""
    base = results[reference]
    base_cold, base_warm = median([s.cold for s in base]), median([s.warm for s in base])
    print()
    for name, samples in results.items():
        if name == reference:
            continue
        cold = median([s.cold for s in samples]) / base_cold
        warm = median([s.warm for s in samples]) / base_warm
        verdict = [
            "cold " + ("met" if cold <= COLD_TARGET else "missed"),
            "warm " + ("met" if warm <= WARM_TARGET else "missed"),
        ]
        print(
            f"{name} / newsboat: cold {cold:.2f}x (target <= {COLD_TARGET:.2f}x),"
            f" warm {warm:.2f}x (target <= {WARM_TARGET:.2f}x): {', '.join(verdict)}"
        )


def newsboat_version(executable: str) -> str:
    result = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=30)
    return result.stdout.splitlines()[0] if result.stdout else "newsboat (version unknown)"


def print_header(options: argparse.Namespace, executable: str | None) -> None:
    """What is measured, on what machine, against which newsboat."""
    from tuireader.core.config import FetchConfig

    defaults = FetchConfig()
    hosts = min(options.hosts, options.feeds)
    print(
        f"{options.feeds} feeds x {options.items} items = {options.feeds * options.items} items"
        f" on {hosts} loopback hosts; median of {options.repeat}; {os.cpu_count()} CPUs,"
        f" load average {os.getloadavg()[0]:.1f}"
    )
    newsboat_words = newsboat_version(executable) if executable else NEWSBOAT_MISSING
    print(
        f"tuireader: concurrency {defaults.concurrency}, per_host {defaults.per_host};"
        f" {newsboat_words}"
    )


def measure_all(
    tools: list[Tool], server: FeedServer, scratch: Path, repeat: int, expected: int
) -> dict[str, list[Sample]]:
    """``repeat`` rounds of every tool in turn (interleaved, so drifting load hits all)."""
    results: dict[str, list[Sample]] = {tool.name: [] for tool in tools}
    for round_number in range(1, repeat + 1):
        for tool in tools:
            sample = measure(tool, server, scratch, expected)
            results[tool.name].append(sample)
            print(
                f"  run {round_number} {tool.name:<22} cold {sample.cold:6.2f} s"
                f" (cpu {sample.cold_cpu:5.2f})  warm {sample.warm:5.2f} s"
                f" (cpu {sample.warm_cpu:4.2f})  peak {sample.peak_kb / 1024:4.0f} MB"
                f"  stored {sample.stored}",
                flush=True,
            )
    return results


def profile_tuireader(server: FeedServer, scratch: Path) -> None:
    """Profile a cold and a warm in-process refresh in a fresh child and directory."""
    directory = Path(tempfile.mkdtemp(prefix="profile-", dir=scratch))
    _write_tuireader_config(directory, server.urls)
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child-profile",
        str(directory / "config.toml"),
        str(directory / "data"),
    ]
    subprocess.run(command, env=_tuireader_env(), check=False, timeout=RUN_TIMEOUT)


def run_benchmark(options: argparse.Namespace) -> int:
    """Measure every tool and print the table (and the profile); 1 if any check failed."""
    from _feeds import FeedServer

    executable = shutil.which("newsboat")
    if not become_subreaper():
        print("note: CPU seconds leave out tuireader's worker processes (no subreaper here)")
    tools = [tuireader_cli(), tuireader_in_process()]
    if executable is not None:
        tools.append(newsboat(executable))
    expected = options.feeds * options.items
    print_header(options, executable)
    problems: list[str] = []
    with (
        FeedServer(options.feeds, options.items, hosts=options.hosts, seed=options.seed) as server,
        tempfile.TemporaryDirectory(prefix="tuireader-bench-") as scratch,
    ):
        if options.repeat > 0:
            results = measure_all(tools, server, Path(scratch), options.repeat, expected)
            print_table(results, expected)
            print_stalls(results)
            if executable is None:
                print(f"\n{NEWSBOAT_MISSING}")
            else:
                print_targets(results, tools[-1].name)
            for name, samples in results.items():
                problems += [f"{name}: {p}" for sample in samples for p in sample.problems]
            for problem in problems:
                print(f"CHECK FAILED: {problem}")
        if options.profile:
            profile_tuireader(server, Path(scratch))
    return 1 if problems else 0


def main() -> None:
    """Parse the options and run the benchmark (or one of its child roles)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200, help="feeds (N)")
    parser.add_argument("--items", type=int, default=50, help="items per feed (M)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians are shown")
    parser.add_argument("--hosts", type=int, default=20, help="loopback hosts serving them")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated feeds")
    parser.add_argument(
        "--profile", action="store_true", help="then profile tuireader's cold and warm refresh"
    )
    parser.add_argument("--child-refresh", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", nargs=2, type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child_refresh:
        child_refresh(*options.child_refresh)
    elif options.child_profile:
        child_profile(*options.child_profile)
    else:
        if options.feeds < 1 or options.items < 1:
            parser.error("--feeds and --items must be at least 1")
        if options.repeat < 0 or (options.repeat == 0 and not options.profile):
            parser.error("--repeat must be at least 1 (or 0 with --profile: profile only)")
        if not 1 <= options.hosts <= 254:
            parser.error("--hosts must be between 1 and 254")
        sys.exit(run_benchmark(options))


if __name__ == "__main__":
    main()
