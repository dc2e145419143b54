"""What a warm refresh cannot go below: the HTTP layer alone, and the interpreter starting.

Run from the repository root:

    python3 bench/http_floor.py [--feeds 200] [--items 50] [--hosts 20] [--repeat 5]

The feeds of bench/refresh.py are served the same way (bench/_feeds.py). After one round of
plain GETs to learn the ETags, each round sends every feed a conditional GET (16 at a time,
4 per host, gzip), with none of tuireader's fetcher, in three ways:

- ``httpx.AsyncClient`` with one pool of 16 connections, as tuireader used it at first;
- ``httpx.AsyncHTTPTransport``, the layer under the client, with one small pool per host
  whose connections stay alive between the host's feeds (httpcore's pool on anyio);
- tuireader's own HTTP/1.1 pool per host (``tuireader.core.http11``: h11 on asyncio's
  transports), the layer tuireader's fetcher is built on.

The wall and CPU time of those 200 304s is the floor under tuireader's warm refresh, which
must also start Python, import itself and write 200 rows. Beside it, ``python3 -c pass``:
the interpreter's own start and exit.
"""

from __future__ import annotations

import argparse
import asyncio
import ssl
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlsplit

from _feeds import FeedServer
from tuireader.core.host_pools import KEEPALIVE_SECONDS, KEPT_IDLE
from tuireader.core.http11 import OriginPool
from tuireader.core.httpstack import httpx

CONCURRENCY, PER_HOST = 16, 4
TIMEOUTS = httpx.Timeout(10.0).as_dict()  # httpx's client sends these with every request


async def conditional_round(urls: list[str], etags: dict[str, str]) -> list[int]:
    """One GET per URL (If-None-Match when an ETag is known) through one client; the status
    codes."""
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


Round = Callable[[list[str], dict[str, str]], Coroutine[Any, Any, list[int]]]

# Plain http needs no CA certificates: loading them (about 30 ms) per host would dominate.
NO_TLS = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def httpx_transport() -> httpx.AsyncBaseTransport:
    """httpx's own transport (httpcore's pool on anyio), as many connections kept as used."""
    limits = httpx.Limits(max_connections=PER_HOST, max_keepalive_connections=PER_HOST)
    return httpx.AsyncHTTPTransport(verify=NO_TLS, limits=limits)


def tuireader_pool() -> httpx.AsyncBaseTransport:
    """tuireader's HTTP/1.1 pool, with the fetcher's settings."""
    return OriginPool(tls=NO_TLS, kept_idle=KEPT_IDLE, keepalive=KEEPALIVE_SECONDS)


def per_host_round(make_transport: Callable[[], httpx.AsyncBaseTransport]) -> Round:
    """The same GETs through one transport per host, made by ``make_transport``, whose
    connections stay alive between the host's feeds; the round gives the status codes."""

    async def round_(urls: list[str], etags: dict[str, str]) -> list[int]:
        overall = asyncio.Semaphore(CONCURRENCY)
        hosts: dict[str, tuple[asyncio.Semaphore, httpx.AsyncBaseTransport]] = {}

        async def one(url: str) -> int:
            netloc = urlsplit(url).netloc
            if netloc not in hosts:
                hosts[netloc] = (asyncio.Semaphore(PER_HOST), make_transport())
            slot, transport = hosts[netloc]
            headers = {
                "Accept-Encoding": "gzip",
                **({"If-None-Match": etags[url]} if url in etags else {}),
            }
            async with slot, overall:
                timeout = {"timeout": TIMEOUTS}
                request = httpx.Request("GET", url, headers=headers, extensions=timeout)
                response = await transport.handle_async_request(request)
                await response.aread()  # to the end, so that the connection serves the next GET
                return response.status_code

        try:
            return await asyncio.gather(*(one(url) for url in urls))
        finally:
            for _, transport in hosts.values():
                await transport.aclose()

    return round_


def timed_rounds(
    round_: Round,
    urls: list[str],
    etags: dict[str, str],
    repeat: int,
) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeat`` rounds; exits unless all are 304s."""
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        codes = asyncio.run(round_(urls, etags))
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        if set(codes) != {304}:
            sys.exit(f"expected only 304s, got {sorted(set(codes))}")
    return statistics.median(walls), statistics.median(cpus)


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
        rows = [
            ("AsyncClient, one pool of 16", conditional_round),
            ("AsyncHTTPTransport, a pool per host", per_host_round(httpx_transport)),
            ("tuireader's HTTP/1.1 pool per host", per_host_round(tuireader_pool)),
        ]
        # They take turns, so that load drift on a shared machine hits them alike.
        times: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in rows}
        for _ in range(options.repeat):
            for label, round_ in rows:
                times[label].append(timed_rounds(round_, server.urls, etags, 1))
    medians = f"medians of {options.repeat}"
    print(f"{options.feeds} conditional GETs, the HTTP layer alone, all 304 ({medians})")
    for label, samples in times.items():
        wall = statistics.median(w for w, _ in samples)
        cpu = statistics.median(c for _, c in samples)
        print(f"  {label:<38} wall {wall:.3f} s, CPU {cpu:.3f} s")
    print(f"python3 -c pass: {interpreter_start(options.repeat):.3f} s")


if __name__ == "__main__":
    main()
