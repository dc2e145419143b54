"""The fetcher against a real HTTP server on 127.0.0.1, and its pure helpers."""

from __future__ import annotations

import asyncio
import gzip
import socket
import ssl
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import brotli  # type: ignore[import-untyped]
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.feedserver import (
    FeedServer,
    Handler,
    RecordedRequest,
    Response,
    redirect,
)
from tuireader import __version__
from tuireader.core.fetch import (
    FEED_ACCEPT,
    PAGE_ACCEPT,
    UNSUPPORTED_SCHEME_ERROR,
    DeadlineExceeded,
    Fetcher,
    FetchSettings,
    ResponseTooLarge,
    backoff_delay,
    describe_error,
    parse_retry_after,
)
from tuireader.core.models import FetchOutcome, FetchRequest, FetchResult

FEED = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<rss version="2.0"><channel><title>t</title></channel></rss>'
)
RSS_TYPE = "application/rss+xml; charset=utf-8"


async def fetch_one(url: str, settings: FetchSettings | None = None, **request: str) -> FetchResult:
    async with Fetcher(settings) as fetcher:
        return await fetcher.fetch(FetchRequest(url, **request))


def validated(etag: str | None = None, last_modified: str | None = None) -> Handler:
    """A feed that answers 304 when the request carries the given validator."""

    def handler(request: RecordedRequest) -> Response:
        if etag is not None and request.headers.get("if-none-match") == etag:
            return Response(status=304, headers={"ETag": etag})
        if last_modified is not None and request.headers.get("if-modified-since") == last_modified:
            return Response(status=304)
        headers = {"Content-Type": RSS_TYPE}
        if etag is not None:
            headers["ETag"] = etag
        if last_modified is not None:
            headers["Last-Modified"] = last_modified
        return Response(body=FEED, headers=headers)

    return handler


# --- success and conditional GET ---------------------------------------------------------------


async def test_ok_returns_body_validators_and_content_type(server: FeedServer) -> None:
    server.routes["/feed"] = Response(
        body=FEED,
        headers={
            "Content-Type": RSS_TYPE,
            "ETag": '"abc"',
            "Last-Modified": "Sun, 29 Nov 2026 10:00:00 GMT",
        },
    )
    result = await fetch_one(server.url("/feed"))
    assert result.outcome is FetchOutcome.OK
    assert result.status == 200
    assert result.body == FEED
    assert result.etag == '"abc"'
    assert result.last_modified == "Sun, 29 Nov 2026 10:00:00 GMT"
    assert result.headers["content-type"] == RSS_TYPE
    assert result.final_url == server.url("/feed")
    assert result.permanent_url is None
    assert result.error is None
    assert 0 < result.elapsed < 5


async def test_conditional_get_with_etag_gives_not_modified(server: FeedServer) -> None:
    server.routes["/feed"] = validated(etag='"v1"')
    first = await fetch_one(server.url("/feed"))
    assert first.outcome is FetchOutcome.OK
    assert first.etag == '"v1"'

    second = await fetch_one(server.url("/feed"), etag='"v1"')
    assert second.outcome is FetchOutcome.NOT_MODIFIED
    assert second.status == 304
    assert second.body == b""
    assert second.etag == '"v1"'
    assert server.requests("/feed")[-1].headers["if-none-match"] == '"v1"'

    changed = await fetch_one(server.url("/feed"), etag='"v0"')
    assert changed.outcome is FetchOutcome.OK


async def test_conditional_get_with_last_modified_gives_not_modified(server: FeedServer) -> None:
    stamp = "Sat, 28 Nov 2026 08:30:00 GMT"
    server.routes["/feed"] = validated(last_modified=stamp)
    result = await fetch_one(server.url("/feed"), last_modified=stamp)
    assert result.outcome is FetchOutcome.NOT_MODIFIED
    # The 304 repeated no validator: the ones sent stay current.
    assert result.last_modified == stamp
    assert server.requests("/feed")[-1].headers["if-modified-since"] == stamp


async def test_validator_that_cannot_be_sent_verbatim_is_dropped(server: FeedServer) -> None:
    server.routes["/feed"] = validated(etag='"v1"')
    result = await fetch_one(server.url("/feed"), etag='"v1"\r\nX-Injected: 1')
    assert result.outcome is FetchOutcome.OK
    seen = server.requests("/feed")[-1].headers
    assert "if-none-match" not in seen
    assert "x-injected" not in seen


# --- redirects ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 308])
async def test_permanent_redirect_chain_sets_permanent_url(server: FeedServer, status: int) -> None:
    server.routes["/a"] = redirect(server.url("/b"), status)
    server.routes["/b"] = redirect(server.url("/feed"), 301)
    server.routes["/feed"] = Response(body=FEED)
    result = await fetch_one(server.url("/a"))
    assert result.outcome is FetchOutcome.OK
    assert result.body == FEED
    assert result.final_url == server.url("/feed")
    assert result.permanent_url == server.url("/feed")


@pytest.mark.parametrize("status", [302, 307])
async def test_temporary_redirect_sets_only_final_url(server: FeedServer, status: int) -> None:
    server.routes["/a"] = redirect(server.url("/feed"), status)
    server.routes["/feed"] = Response(body=FEED)
    result = await fetch_one(server.url("/a"))
    assert result.outcome is FetchOutcome.OK
    assert result.final_url == server.url("/feed")
    assert result.permanent_url is None


async def test_permanent_then_temporary_redirect_moves_to_the_permanent_target(
    server: FeedServer,
) -> None:
    # /a has moved to /b for good; /b sends readers elsewhere for now.
    server.routes["/a"] = redirect(server.url("/b"), 301)
    server.routes["/b"] = redirect(server.url("/feed"), 302)
    server.routes["/feed"] = Response(body=FEED)
    result = await fetch_one(server.url("/a"))
    assert result.final_url == server.url("/feed")
    assert result.permanent_url == server.url("/b")


async def test_temporary_then_permanent_redirect_is_not_a_move(server: FeedServer) -> None:
    server.routes["/a"] = redirect(server.url("/b"), 307)
    server.routes["/b"] = redirect(server.url("/feed"), 308)
    server.routes["/feed"] = Response(body=FEED)
    result = await fetch_one(server.url("/a"))
    assert result.final_url == server.url("/feed")
    assert result.permanent_url is None


async def test_permanent_redirect_to_a_broken_url_is_not_adopted(server: FeedServer) -> None:
    server.routes["/a"] = redirect(server.url("/missing"), 301)
    result = await fetch_one(server.url("/a"))
    assert result.outcome is FetchOutcome.ERROR
    assert result.final_url == server.url("/missing")
    assert result.permanent_url is None


async def test_redirect_loop_is_an_error(server: FeedServer) -> None:
    server.routes["/a"] = redirect(server.url("/b"))
    server.routes["/b"] = redirect(server.url("/a"))
    result = await fetch_one(server.url("/a"))
    assert result.outcome is FetchOutcome.ERROR
    assert result.error == "too many redirects"


async def test_redirect_to_a_file_url_is_refused(server: FeedServer) -> None:
    server.routes["/a"] = redirect("file:///etc/passwd")
    result = await fetch_one(server.url("/a"))
    assert result.outcome is FetchOutcome.ERROR
    assert result.error == "redirected to an address that is not http or https"
    assert result.body == b""


# --- statuses the scheduler acts on ------------------------------------------------------------


async def test_gone(server: FeedServer) -> None:
    server.routes["/feed"] = Response(status=410, body=b"gone")
    result = await fetch_one(server.url("/feed"))
    assert result.outcome is FetchOutcome.GONE
    assert result.status == 410
    assert result.error == "server said 410 Gone"


async def test_too_many_requests_with_retry_after_seconds(server: FeedServer) -> None:
    server.routes["/feed"] = Response(status=429, headers={"Retry-After": "120"})
    before = datetime.now(UTC)
    result = await fetch_one(server.url("/feed"))
    after = datetime.now(UTC)
    assert result.outcome is FetchOutcome.RETRY_LATER
    assert result.status == 429
    assert result.retry_after is not None
    assert before + timedelta(seconds=120) <= result.retry_after <= after + timedelta(seconds=120)
    assert result.error == "server said 429 Too Many Requests"


async def test_too_many_requests_with_retry_after_date(server: FeedServer) -> None:
    when = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
    server.routes["/feed"] = Response(
        status=429, headers={"Retry-After": format_datetime(when, usegmt=True)}
    )
    result = await fetch_one(server.url("/feed"))
    assert result.outcome is FetchOutcome.RETRY_LATER
    assert result.retry_after == when


async def test_unavailable_without_retry_after(server: FeedServer) -> None:
    server.routes["/feed"] = Response(status=503)
    result = await fetch_one(server.url("/feed"))
    assert result.outcome is FetchOutcome.RETRY_LATER
    assert result.status == 503
    assert result.retry_after is None


@pytest.mark.parametrize(
    ("status", "error"),
    [(404, "server said 404 Not Found"), (500, "server said 500 Internal Server Error")],
)
async def test_http_errors_are_described(server: FeedServer, status: int, error: str) -> None:
    server.routes["/feed"] = Response(status=status, body=b"<h1>\x1b[31moops</h1>")
    result = await fetch_one(server.url("/feed"))
    assert result.outcome is FetchOutcome.ERROR
    assert result.status == status
    assert result.error == error
    assert result.body == b""  # an error page is not a feed


async def test_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = await fetch_one(f"http://127.0.0.1:{port}/feed")
    assert result.outcome is FetchOutcome.ERROR
    assert result.status is None
    assert result.final_url is None
    assert result.error == "could not connect to 127.0.0.1 (connection refused)"


async def test_a_host_whose_every_address_refuses_is_described_as_refusing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """asyncio folds the failures of a host's addresses into one error without an errno."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def two_loopback_addresses(host: str, port: int, **_: object) -> list[object]:
        tcp = (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "")
        return [(*tcp, ("127.0.0.1", port)), (*tcp, ("127.0.0.2", port))]

    # Only the name lookup is ours: both connections are really tried, and refused.
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", two_loopback_addresses)
    result = await fetch_one(f"http://two-addresses.test:{port}/feed")
    assert result.error == "could not connect to two-addresses.test (connection refused)"


# --- deadline, size cap, one bad feed never slows the others -----------------------------------


async def test_slow_drip_hits_deadline_and_does_not_slow_a_fast_feed(server: FeedServer) -> None:
    server.routes["/drip"] = lambda request: Response(body=server.drip(b"x", 0.1))
    server.routes["/fast"] = Response(body=FEED)
    settings = FetchSettings(deadline=1.0, timeout=5.0)
    requests = [FetchRequest(server.url("/drip")), FetchRequest(server.url("/fast"))]
    start = time.monotonic()
    arrivals: list[tuple[FetchResult, float]] = []
    # The guard turns a missing deadline into a failure instead of a hang.
    async with asyncio.timeout(5), Fetcher(settings) as fetcher:
        async for result in fetcher.fetch_many(requests):
            arrivals.append((result, time.monotonic() - start))

    (fast, fast_at), (drip, drip_at) = arrivals
    assert fast.url.endswith("/fast")
    assert fast.outcome is FetchOutcome.OK
    assert fast_at < 0.5
    assert drip.outcome is FetchOutcome.ERROR
    assert drip.error == "timed out after 1 s"
    assert drip.status == 200  # the headers had arrived; the body never ended
    assert 1.0 <= drip.elapsed < 1.5
    assert drip_at < 1.8


async def test_silent_server_hits_the_read_timeout_before_the_deadline(server: FeedServer) -> None:
    server.routes["/silent"] = Response(body=FEED, delay=3.0)
    result = await fetch_one(server.url("/silent"), FetchSettings(timeout=0.3, deadline=5.0))
    assert result.outcome is FetchOutcome.ERROR
    assert result.error == "127.0.0.1 stopped sending data (read timed out)"
    assert result.elapsed < 1.0


async def test_oversize_body_announced_by_content_length_is_rejected_unread(
    server: FeedServer,
) -> None:
    # If the fetcher read this body it would hit the deadline instead.
    server.routes["/big"] = lambda request: Response(
        body=server.drip(b"x" * 1000, 0.1), headers={"Content-Length": str(50_000_000)}
    )
    settings = FetchSettings(max_bytes=20 * 1024 * 1024, deadline=1.0)
    result = await fetch_one(server.url("/big"), settings)
    assert result.outcome is FetchOutcome.ERROR
    assert result.error == "response is larger than 20 MB"
    assert result.elapsed < 0.5


async def test_oversize_body_without_content_length_is_cut_at_the_cap(server: FeedServer) -> None:
    sent: list[int] = []

    def endless(request: RecordedRequest) -> Response:
        def chunks() -> Iterator[bytes]:
            while not server.stopping.is_set():
                sent.append(16_384)
                yield b"y" * 16_384

        return Response(body=chunks())

    server.routes["/big"] = endless
    result = await fetch_one(server.url("/big"), FetchSettings(max_bytes=100_000, deadline=5.0))
    assert result.outcome is FetchOutcome.ERROR
    assert result.error == "response is larger than 97.7 KB"
    assert result.body == b""
    assert result.elapsed < 2.0


async def test_compressed_bomb_is_cut_at_the_decoded_size(server: FeedServer) -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)
    assert len(bomb) < 10_000
    server.routes["/bomb"] = Response(body=bomb, headers={"Content-Encoding": "gzip"})
    result = await fetch_one(server.url("/bomb"), FetchSettings(max_bytes=1_000_000))
    assert result.outcome is FetchOutcome.ERROR
    assert result.error == "response is larger than 977 KB"


async def test_brotli_bomb_never_expands_past_the_cap_in_memory(server: FeedServer) -> None:
    bomb = brotli.compress(b"\0" * 50_000_000, quality=5)
    assert len(bomb) < 1000
    server.routes["/bomb"] = Response(body=bomb, headers={"Content-Encoding": "br"})
    tracemalloc.start()
    try:
        result = await fetch_one(server.url("/bomb"), FetchSettings(max_bytes=1_000_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.outcome is FetchOutcome.ERROR
    assert result.error == "response is larger than 977 KB"
    assert peak < 8_000_000


# --- encodings and headers ---------------------------------------------------------------------


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(
    ("coding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("br", brotli.compress),
        ("x-gzip", gzip.compress),
        ("deflate", raw_deflate),  # what some servers send for "deflate"
        ("identity", bytes),
    ],
)
async def test_compressed_bodies_are_decoded(
    server: FeedServer, coding: str, compress: Callable[[bytes], bytes]
) -> None:
    arabic = "<title>أخبار المغرب</title>".encode() * 50
    server.routes["/feed"] = Response(
        body=compress(arabic), headers={"Content-Encoding": coding, "Content-Type": RSS_TYPE}
    )
    result = await fetch_one(server.url("/feed"))
    assert result.outcome is FetchOutcome.OK
    assert result.body == arabic
    assert server.requests("/feed")[-1].headers["accept-encoding"] == "gzip, deflate, br"
    # The body handed on is decoded: no header may claim otherwise.
    assert "content-encoding" not in result.headers
    assert "content-length" not in result.headers


@pytest.mark.parametrize("coding", ["gzip", "br", "deflate"])
async def test_corrupt_compressed_body_is_an_error(server: FeedServer, coding: str) -> None:
    server.routes["/feed"] = Response(body=b"\xff" * 64, headers={"Content-Encoding": coding})
    result = await fetch_one(server.url("/feed"))
    assert result.outcome is FetchOutcome.ERROR
    assert result.error == "could not decode the compressed response from 127.0.0.1"


@pytest.mark.parametrize("coding", ["zstd", "gzip, br", "\x1b[2Jcompress"])
async def test_unknown_compression_is_an_error(server: FeedServer, coding: str) -> None:
    server.routes["/feed"] = Response(body=b"\x00\x01", headers={"Content-Encoding": coding})
    result = await fetch_one(server.url("/feed"))
    assert result.outcome is FetchOutcome.ERROR
    assert result.error is not None
    assert result.error.startswith("127.0.0.1 used a compression tuireader cannot read (")
    assert result.error.isprintable()


async def test_corrupt_gzip_is_an_error(server: FeedServer) -> None:
    server.routes["/feed"] = Response(body=b"not gzip at all", headers={"Content-Encoding": "gzip"})
    result = await fetch_one(server.url("/feed"))
    assert result.outcome is FetchOutcome.ERROR
    assert result.error == "could not decode the compressed response from 127.0.0.1"


async def test_user_agent_and_accept_are_sent(server: FeedServer) -> None:
    server.routes["/feed"] = Response(body=FEED)
    server.routes["/page"] = Response(body=b"<html></html>", headers={"Content-Type": "text/html"})
    async with Fetcher() as fetcher:
        await fetcher.fetch(FetchRequest(server.url("/feed")))
        await fetcher.fetch(FetchRequest(server.url("/page")), accept=PAGE_ACCEPT)
    feed_headers = server.requests("/feed")[0].headers
    user_agent = feed_headers["user-agent"]
    assert user_agent.startswith(f"tuireader/{__version__} ")
    assert "https://github.com/tuireader/tuireader" in user_agent
    assert feed_headers["accept"] == FEED_ACCEPT
    assert server.requests("/page")[0].headers["accept"] == PAGE_ACCEPT
    assert "if-none-match" not in feed_headers


# --- URLs that must never be fetched -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("file:///etc/passwd", UNSUPPORTED_SCHEME_ERROR),
        ("exec:rm -rf /", UNSUPPORTED_SCHEME_ERROR),
        ("ftp://example.org/feed.xml", UNSUPPORTED_SCHEME_ERROR),
        ("/home/user/feed.xml", UNSUPPORTED_SCHEME_ERROR),
        ("example.org/feed.xml", UNSUPPORTED_SCHEME_ERROR),
        ("http:///feed.xml", "the URL has no host name"),
        ("http://[::1/feed", "the URL is not valid"),
    ],
)
async def test_non_http_urls_are_refused_without_io(url: str, error: str) -> None:
    calls: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, content=FEED)

    async with Fetcher(transport=httpx.MockTransport(record)) as fetcher:
        result = await fetcher.fetch(FetchRequest(url))
    assert result.outcome is FetchOutcome.ERROR
    assert result.error == error
    assert result.status is None
    assert calls == []


# --- concurrency -------------------------------------------------------------------------------


async def test_per_host_cap_holds_and_other_hosts_are_not_blocked(server: FeedServer) -> None:
    server.routes["/slow"] = Response(body=FEED, delay=0.3)
    server.routes["/fast"] = Response(body=FEED)
    settings = FetchSettings(concurrency=3, per_host=2)
    requests = [FetchRequest(server.url("/slow")) for _ in range(6)]
    requests.append(FetchRequest(server.url("/fast", host="localhost")))
    start = time.monotonic()
    arrivals: list[tuple[FetchResult, float]] = []
    async with Fetcher(settings) as fetcher:
        async for result in fetcher.fetch_many(requests):
            arrivals.append((result, time.monotonic() - start))

    assert all(result.outcome is FetchOutcome.OK for result, _ in arrivals)
    assert server.max_in_flight("127.0.0.1") == 2
    # Had the six slow feeds on one host taken the slot it needed, it would come after a wave.
    assert arrivals[0][0].url.endswith("/fast")
    assert arrivals[-1][1] >= 0.9  # three waves of two


async def test_global_concurrency_cap_holds(server: FeedServer) -> None:
    server.routes["/slow"] = Response(body=FEED, delay=0.2)
    settings = FetchSettings(concurrency=2, per_host=4)
    requests = [FetchRequest(server.url("/slow")) for _ in range(4)]
    requests += [FetchRequest(server.url("/slow", host="localhost")) for _ in range(2)]
    async with Fetcher(settings) as fetcher:
        results = [result async for result in fetcher.fetch_many(requests)]
    assert len(results) == 6
    assert all(result.outcome is FetchOutcome.OK for result in results)
    in_flight = server.max_in_flight("127.0.0.1") + server.max_in_flight("localhost")
    assert server.max_in_flight() <= 2
    assert in_flight >= 2


async def test_cancelling_a_fetch_propagates(server: FeedServer) -> None:
    server.routes["/drip"] = lambda request: Response(body=server.drip())
    async with Fetcher(FetchSettings(deadline=10.0)) as fetcher:
        task = asyncio.create_task(fetcher.fetch(FetchRequest(server.url("/drip"))))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_leaving_fetch_many_early_cancels_the_rest(server: FeedServer) -> None:
    server.routes["/drip"] = lambda request: Response(body=server.drip())
    server.routes["/fast"] = Response(body=FEED)
    requests = [FetchRequest(server.url("/drip")), FetchRequest(server.url("/fast"))]
    start = time.monotonic()
    async with Fetcher(FetchSettings(deadline=10.0)) as fetcher:
        results = fetcher.fetch_many(requests)
        first = await anext(results)
        await results.aclose()
    assert first.url.endswith("/fast")
    assert time.monotonic() - start < 1.0


# --- TLS ---------------------------------------------------------------------------------------


async def test_untrusted_certificate_is_described(
    certificate: tuple[Path, ssl.SSLContext],
) -> None:
    with FeedServer(tls=certificate[1]) as server:
        server.routes["/feed"] = Response(body=FEED)
        result = await fetch_one(server.url("/feed"))
    assert result.outcome is FetchOutcome.ERROR
    assert result.error is not None
    assert result.error.startswith("TLS certificate problem: ")
    assert "self-signed" in result.error or "self signed" in result.error


# --- pure helpers ------------------------------------------------------------------------------

NOW = datetime(2026, 11, 29, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", NOW + timedelta(seconds=120)),
        ("  0 ", NOW),
        ("Sun, 29 Nov 2026 14:00:00 GMT", NOW + timedelta(hours=2)),
        ("Sunday, 29-Nov-26 14:00:00 GMT", NOW + timedelta(hours=2)),
        ("Sun, 29 Nov 2026 14:00:00 -0000", NOW + timedelta(hours=2)),
        ("Sun, 29 Nov 2026 16:00:00 +0200", NOW + timedelta(hours=2)),
        ("Sat, 28 Nov 2026 14:00:00 GMT", NOW),  # in the past: now
        ("99999999999999999999999", NOW + timedelta(days=7)),
        ("9" * 5000, NOW + timedelta(days=7)),
        ("0" * 30 + "5", NOW + timedelta(seconds=5)),
        ("Fri, 01 Jan 2100 00:00:00 GMT", NOW + timedelta(days=7)),
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
        ("١٢٠", None),  # Arabic-Indic digits are not delta-seconds
        ("Sun, 31 Nov 2026 14:00:00 GMT", None),
    ],
)
def test_parse_retry_after(value: str | None, expected: datetime | None) -> None:
    assert parse_retry_after(value, NOW) == expected


@given(st.text(max_size=60))
def test_parse_retry_after_never_raises_and_stays_in_bounds(value: str) -> None:
    result = parse_retry_after(value, NOW)
    if result is not None:
        assert result.tzinfo is not None
        assert NOW <= result <= NOW + timedelta(days=7)


def test_parse_retry_after_needs_an_aware_now() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_retry_after("120", datetime(2026, 11, 29))


@pytest.mark.parametrize(
    ("failures", "minutes"),
    [(0, 0), (1, 15), (2, 30), (3, 60), (4, 120), (7, 960), (8, 1440), (9, 1440), (10_000, 1440)],
)
def test_backoff_delay_doubles_up_to_a_day(failures: int, minutes: int) -> None:
    assert backoff_delay(failures) == timedelta(minutes=minutes)


def test_backoff_delay_jitter_is_injected_and_applied_after_the_cap() -> None:
    assert backoff_delay(2, jitter=0.1) == timedelta(minutes=33)
    assert backoff_delay(50, jitter=0.5) == timedelta(hours=36)
    assert backoff_delay(3, base=timedelta(seconds=1), cap=timedelta(seconds=3)) == timedelta(
        seconds=3
    )
    with pytest.raises(ValueError, match="jitter"):
        backoff_delay(1, jitter=1.5)


@given(st.integers(min_value=1, max_value=10_000))
def test_backoff_delay_is_monotonic_and_capped(failures: int) -> None:
    assert backoff_delay(failures) <= backoff_delay(failures + 1) <= timedelta(hours=24)


URL = "https://news.example.org/feed"


def tls_error(reason: str) -> ssl.SSLError:
    error = ssl.SSLError(1, f"[SSL: {reason}] (_ssl.c:1000)")
    error.reason = reason
    return error


def chained(outer: BaseException, cause: BaseException) -> BaseException:
    outer.__cause__ = cause
    return outer


@pytest.mark.parametrize(
    ("exc", "sentence"),
    [
        (DeadlineExceeded(20.0), "timed out after 20 s"),
        (DeadlineExceeded(0.5), "timed out after 0.5 s"),
        (ResponseTooLarge(20 * 1024 * 1024), "response is larger than 20 MB"),
        (ResponseTooLarge(500), "response is larger than 500 bytes"),
        (
            chained(httpx.ConnectError("x"), socket.gaierror(-2, "Name or service not known")),
            "could not find news.example.org (DNS lookup failed)",
        ),
        (
            chained(httpx.ConnectError("x"), OSError(101, "Network is unreachable")),
            "could not connect to news.example.org (network is unreachable)",
        ),
        (
            httpx.ConnectError("All connection attempts failed"),
            "could not connect to news.example.org",
        ),
        (httpx.ConnectTimeout("x"), "could not connect to news.example.org (timed out)"),
        (httpx.ReadTimeout("x"), "news.example.org stopped sending data (read timed out)"),
        (
            chained(httpx.ConnectError("x"), tls_error("WRONG_VERSION_NUMBER")),
            "TLS problem with news.example.org (wrong version number)",
        ),
        (
            httpx.RemoteProtocolError("Server disconnected without sending a response."),
            "news.example.org closed the connection without answering",
        ),
        (httpx.ReadError("x"), "the connection to news.example.org was lost"),
    ],
)
def test_describe_error(exc: BaseException, sentence: str) -> None:
    assert describe_error(exc, URL) == sentence


def test_describe_error_never_passes_control_characters() -> None:
    hostile = RuntimeError("\x1b]52;c;ZXZpbA==\x07 \x9b31m red \x00" + "z" * 1000)
    sentence = describe_error(hostile, URL)
    assert sentence.isprintable()
    assert "\x1b" not in sentence and "\x9b" not in sentence
    assert len(sentence) <= 300
