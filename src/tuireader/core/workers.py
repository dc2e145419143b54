"""Parsing and indexing fetched feeds in worker processes, so a refresh uses every core.

Parsing, sanitizing and computing index terms are pure Python: threads would take turns on
the GIL. A refresh of many feeds hands them to a small process pool instead, while the main
process fetches and writes. A refresh of a few feeds parses in a thread: starting processes
would cost more than it saves.
"""

from __future__ import annotations

import asyncio
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING

from tuireader.core.threads import in_thread

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from tuireader.core.prepared import FeedParseError, FeedSettings, PreparedFeed

# multiprocessing and the process pool are imported when a pool starts: a refresh answered
# only with 304s never loads them.

__all__ = ["FeedPreparer", "worker_count"]

# The parsing itself (core.ingest: lxml, the cleaners, the stemmer) is imported where it
# runs: by the workers' server process as it starts (forkserver; each worker with its first
# job under spawn), or by a thread of this process when there are no workers. A refresh
# that gets only 304s never loads it, and one that parses in workers never loads it here.
_JOB_MODULE = "tuireader.core.ingest"

POOL_MIN_FEEDS = 8  # fewer feeds than this are parsed in a thread
MAX_WORKERS = 4


def worker_count(feeds: int) -> int:
    """Processes for a refresh of ``feeds`` feeds: 0 (parse in a thread) when few feeds or
    one core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if feeds < POOL_MIN_FEEDS or not cores or cores < 2:
        return 0
    return min(cores, MAX_WORKERS)


class FeedPreparer:
    """Runs ``prepare_feed`` in up to ``workers`` processes (in a thread when 0).

    The pool starts with the first body to parse, in a thread (starting processes blocks),
    so a refresh that gets only 304s never starts a process. Parsing in a thread of this
    process while the pool starts would only slow the downloads and the writes: they share
    its GIL. If the pool cannot start or breaks (a worker killed by the system, say), the
    rest is parsed in threads. Leaving the async context manager stops the workers: it waits
    for them after a refresh that went well, and stops them at once after an error or a
    cancellation (a reader that quits must not wait for a large feed's parse).

    As with any use of ``multiprocessing``, a script that refreshes must keep its top-level
    code under ``if __name__ == "__main__":``: the workers import the main module.
    """

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._starting: asyncio.Future[ProcessPoolExecutor] | None = None
        self._closed = False

    @property
    def in_processes(self) -> bool:
        """Whether the bodies go to worker processes (False once it fell back to threads)."""
        return self._workers > 0

    async def __aenter__(self) -> FeedPreparer:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        starting, self._starting, self._workers = self._starting, None, 0
        self._closed = True
        if starting is None:
            return
        await asyncio.wait([starting])
        if starting.cancelled() or starting.exception() is not None:
            return
        pool = starting.result()
        if kind is None:
            await in_thread(pool.shutdown, wait=True, cancel_futures=True)
        else:
            _stop_now(pool)

    async def prepare(
        self,
        body: bytes,
        url: str,
        content_type: str | None,
        known: Mapping[str, str],
        feed: FeedSettings,
    ) -> PreparedFeed | FeedParseError:
        """``core.ingest.prepare_feed`` off the event loop; RuntimeError once closed."""
        pool = await self._running_pool()
        if pool is not None:
            from concurrent.futures.process import BrokenProcessPool  # loaded with the pool

            try:  # a pool that broke while idle refuses new work at once
                running = asyncio.get_running_loop().run_in_executor(
                    pool, _prepare_feed, body, url, content_type, dict(known), feed
                )
                return await running
            except (BrokenProcessPool, RuntimeError):
                self._workers = 0
        if self._closed:  # stopped meanwhile: parsing in a thread now would delay the exit
            raise RuntimeError("the refresh is over: its parser is closed")
        return await in_thread(_prepare_feed, body, url, content_type, known, feed)

    async def _running_pool(self) -> ProcessPoolExecutor | None:
        """The pool, started the first time; None when there is none (or it broke)."""
        if self._workers <= 0:
            return None
        starting = self._starting
        if starting is None:
            starting = self._starting = asyncio.ensure_future(
                in_thread(_started_pool, self._workers)
            )
        await asyncio.wait([starting])
        if self._workers <= 0 or starting.cancelled() or starting.exception() is not None:
            self._workers = 0  # no processes here (a sandbox, a limit), or closed meanwhile
            return None
        return starting.result()


def _prepare_feed(
    body: bytes,
    url: str,
    content_type: str | None,
    known: Mapping[str, str],
    feed: FeedSettings,
) -> PreparedFeed | FeedParseError:
    """``core.ingest.prepare_feed``, imported here, where it runs (see ``_JOB_MODULE``)."""
    from tuireader.core.ingest import prepare_feed

    return prepare_feed(body, url, content_type, known, feed)


def _stop_now(pool: ProcessPoolExecutor) -> None:
    """Stop a pool without waiting for the jobs its workers are running."""
    # ProcessPoolExecutor has no public way to stop running jobs before Python 3.14
    # (terminate_workers): this does what it does on finding a worker killed.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()  # the workers ignore SIGINT, not SIGTERM
    # A body may be half written to the job pipe, which no worker will read again: closing
    # our end of it makes that write fail instead of blocking the exit (CPython gh-94777).
    reader = getattr(getattr(pool, "_call_queue", None), "_reader", None)
    if reader is not None:
        reader.close()


def _worker_setup(main_pid: int) -> None:
    """Set a worker up to stay out of the terminal and to end with the main process.

    Ctrl+C is the main process's to handle (it stops the pool); results and errors come
    back through the pool, so nothing a worker could print is needed (the reader's screen
    shares the terminal). A worker holds both ends of its job queue, so it would wait for
    jobs forever after the main process was killed: a thread watches for that instead.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (1, 2):
        os.dup2(devnull, stream)
    os.close(devnull)
    threading.Thread(target=_exit_with, args=(main_pid,), daemon=True).start()


def _exit_with(pid: int) -> None:
    """Wait for process ``pid`` to end, then end this process at once."""
    try:
        handle = os.pidfd_open(pid)  # Linux: readable when the process has ended
    except (AttributeError, OSError):
        while _alive(pid):
            time.sleep(0.5)
    else:
        select.select([handle], [], [])
    os._exit(0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _started_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers are running (each has answered once)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # forkserver: the workers are forked from a clean server process, never from this one,
    # which may be running threads (the reader's UI, the writer) whose locks a fork would copy.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload([_JOB_MODULE])
    _start_resource_tracker()
    # Ctrl+C while the helper processes start would make them print a traceback on the
    # terminal before they ignore it; the main thread still gets it.
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_worker_setup,
            initargs=(os.getpid(),),
        )
        try:
            for started in [pool.submit(os.getpid) for _ in range(workers)]:
                started.result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    return pool


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a real standard error.

    It hands ``sys.stderr.fileno()`` to its process; inside the reader, Textual has replaced
    ``sys.stderr`` with an object whose descriptor is -1, which starting a process refuses:
    without this the pool could never start in the reader.
    """
    from multiprocessing import resource_tracker

    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        resource_tracker.ensure_running()
        return
    with open(os.devnull, "w") as nowhere:
        saved, sys.stderr = sys.stderr, nowhere
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved
