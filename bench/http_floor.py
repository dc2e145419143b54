"""What a warm refresh cannot go below here: httpx alone, and the interpreter starting.

Run from the repository root:

    python3 bench/http_floor.py [--feeds 200] [--items 50] [--hosts 20] [--repeat 5]

The feeds of bench/refresh.py are served the same way (bench/_feeds.py). After one round of
plain GETs to learn the ETags, each round sends every feed a conditional GET with
``httpx.AsyncClient`` as tuireader configures it (16 connections, 4 per host, gzip), and no
tuireader code at all: the wall and CPU time of those 200 304s is the floor under
tuireader's warm refresh, which must also start Python, import itself and write 200 rows.
Beside it, ``python3 -c pass``: the interpreter's own start and exit.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from urllib.parse import urlsplit

import httpx

from _feeds import FeedServer

CONCURRENCY, PER_HOST = 16, 4


async def conditional_round(urls: list[str], etags: dict[str, str]) -> list[int]:
    """One GET per URL (If-None-Match when an ETag is known); the status codes."""
    overall = asyncio.Semaphore(CONCURRENCY)
    hosts: dict[str, asyncio.Semaphore] = {}
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(limits=limits, headers={"Accept-Encoding": "gzip"}) as client:

        async def one(url: str) -> int:
            host = hosts.setdefault(urlsplit(url).netloc, asyncio.Semaphore(PER_HOST))
            headers = {"If-None-Match": etags[url]} if url in etags else {}
            async with host, overall:
                response = await client.get(url, headers=headers)
                if "etag" in response.headers:
                    etags[url] = response.headers["etag"]
                return response.status_code

        return await asyncio.gather(*(one(url) for url in urls))


def interpreter_start(repeat: int) -> float:
    """Median seconds of ``python3 -c pass``."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    with FeedServer(options.feeds, options.items, hosts=options.hosts) as server:
        etags: dict[str, str] = {}
        asyncio.run(conditional_round(server.urls, etags))
        walls, cpus = [], []
        for _ in range(options.repeat):
            started, cpu = time.perf_counter(), time.process_time()
            codes = asyncio.run(conditional_round(server.urls, etags))
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
            if set(codes) != {304}:
                sys.exit(f"expected only 304s, got {sorted(set(codes))}")
    print(f"{options.feeds} conditional GETs, httpx alone, all 304")
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(f"  wall median {wall:.3f} s, CPU median {cpu:.3f} s")
    print(f"python3 -c pass: {interpreter_start(options.repeat):.3f} s")


if __name__ == "__main__":
    main()
