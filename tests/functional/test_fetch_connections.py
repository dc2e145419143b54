"""The fetcher's own HTTP client: kept-alive connections per host, lazy TLS, what httpx's
client did for us (redirects, cookies, basic auth, proxies), and a light start.

Real servers on loopback throughout; the pool tests use a small keep-alive server of their
own that counts the connections it accepts.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from tests.feedgen import rss
from tests.feedserver import (
    FeedServer,
    RecordedRequest,
    Response,
    redirect,
)
from tests.terminal import child_env
from tuireader.core.config import Config, FeedConfig, FetchConfig
from tuireader.core.fetch import (
    MAX_REDIRECTS,
    Fetcher,
    FetchSettings,
    UnusableProxy,
    redirect_headers,
    redirect_target,
)
from tuireader.core.models import FetchOutcome, FetchRequest, FetchResult
from tuireader.core.refresh import refresh

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
ETAG = '"v1"'


# --- a keep-alive server that counts connections -----------------------------------------------


class _Counts:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.accepted = 0
        self.open = 0

    def change(self, accepted: int, open_: int) -> None:
        with self.lock:
            self.accepted += accepted
            self.open += open_


def _handler(counts: _Counts) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            counts.change(1, 1)

        def finish(self) -> None:
            counts.change(0, -1)
            super().finish()

        def do_GET(self) -> None:
            if self.headers.get("If-None-Match") == ETAG:
                self.send_response(304)
                self.send_header("ETag", ETAG)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", ETAG)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(FEED)))
            self.end_headers()
            self.wfile.write(FEED)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


@contextlib.contextmanager
def keep_alive_hosts(hosts: int) -> Iterator[tuple[list[str], _Counts]]:
    """One server on 127.0.0.1 … 127.0.0.<hosts>, all on one port; the base URLs and counts."""
    counts = _Counts()
    servers = [_Server(("127.0.0.1", 0), _handler(counts))]
    port = servers[0].server_address[1]
    try:
        for n in range(2, hosts + 1):
            servers.append(_Server((f"127.0.0.{n}", port), _handler(counts)))
    except OSError:
        for server in servers:
            server.server_close()
        pytest.skip("needs the loopback addresses 127.0.0.2 and up (as on Linux)")
    threads = [threading.Thread(target=s.serve_forever, args=(0.05,), daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    try:
        yield [f"http://127.0.0.{n}:{port}" for n in range(1, hosts + 1)], counts
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


async def fetch_all(fetcher: Fetcher, urls: list[str], etag: str | None) -> list[FetchResult]:
    requests = [FetchRequest(url, etag=etag) for url in urls]
    return [result async for result in fetcher.fetch_many(requests)]


def wait_for(condition: Callable[[], bool], seconds: float = 2.0) -> bool:
    """Whether ``condition`` comes true within ``seconds`` (the server sees a close late)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


# --- connections -------------------------------------------------------------------------------


async def test_not_modified_answers_keep_their_connection() -> None:
    with keep_alive_hosts(3) as (bases, counts):
        urls = [f"{base}/feed{i}.xml" for i in range(5) for base in bases]  # hosts interleaved
        async with Fetcher(FetchSettings(concurrency=2, per_host=1)) as fetcher:
            results = await fetch_all(fetcher, urls, ETAG)
    assert [r.outcome for r in results] == [FetchOutcome.NOT_MODIFIED] * 15
    # One connection per host, reused for its five 304s (httpx's client closed each one).
    assert counts.accepted == 3


async def test_a_host_never_gets_more_connections_than_its_cap() -> None:
    with keep_alive_hosts(2) as (bases, counts):
        urls = [f"{base}/feed{i}.xml" for i in range(12) for base in bases]
        async with Fetcher(FetchSettings(concurrency=8, per_host=2)) as fetcher:
            first = await fetch_all(fetcher, urls, None)
            second = await fetch_all(fetcher, urls, ETAG)
    assert {r.outcome for r in first} == {FetchOutcome.OK}
    assert {r.outcome for r in second} == {FetchOutcome.NOT_MODIFIED}
    assert counts.accepted <= 4


async def test_idle_pools_past_the_limit_are_closed() -> None:
    with keep_alive_hosts(4) as (bases, counts):
        # concurrency 1: at most two hosts' pools are kept.
        async with Fetcher(FetchSettings(concurrency=1, per_host=1)) as fetcher:
            for base in bases:
                result = await fetcher.fetch(FetchRequest(f"{base}/feed.xml"))
                assert result.outcome is FetchOutcome.OK
            assert fetcher.pools.open_pools == 2
            assert wait_for(lambda: counts.open == 2)
        assert wait_for(lambda: counts.open == 0)
    assert counts.accepted == 4


async def test_a_short_error_page_does_not_cost_the_connection(server: FeedServer) -> None:
    server.routes["/missing"] = Response(status=404, body=b"not here")
    server.routes["/feed"] = Response(body=FEED)
    async with Fetcher() as fetcher:
        missing = await fetcher.fetch(FetchRequest(server.url("/missing")))
        ok = await fetcher.fetch(FetchRequest(server.url("/feed")))
    assert missing.error == "server said 404 Not Found"
    assert ok.body == FEED


# --- TLS, loaded when needed -------------------------------------------------------------------


async def test_plain_http_never_loads_the_certificates(server: FeedServer) -> None:
    server.routes["/feed"] = Response(body=FEED)
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(FetchRequest(server.url("/feed")))
        assert result.outcome is FetchOutcome.OK
        assert not fetcher.pools.tls_loaded


async def test_https_verifies_with_the_trust_store_of_the_environment(
    certificate: tuple[Path, ssl.SSLContext], monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, context = certificate
    with FeedServer(tls=context) as tls_server:
        tls_server.routes["/feed"] = Response(body=FEED)
        url = tls_server.url("/feed")
        async with Fetcher() as fetcher:
            refused = await fetcher.fetch(FetchRequest(url))
            assert fetcher.pools.tls_loaded
        # SSL_CERT_FILE is honoured as httpx's client honours it.
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        async with Fetcher() as fetcher:
            trusted = await fetcher.fetch(FetchRequest(url))
    assert refused.error is not None
    assert refused.error.startswith("TLS certificate problem: ")
    assert trusted.outcome is FetchOutcome.OK
    assert trusted.body == FEED


# --- what httpx's client used to do ------------------------------------------------------------


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


async def test_credentials_in_the_url_are_sent_as_basic_auth(server: FeedServer) -> None:
    server.routes["/feed"] = Response(body=FEED)
    url = server.url("/feed").replace("://", "://reader:p%40ss%3Aw@")
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(FetchRequest(url))
    assert result.outcome is FetchOutcome.OK
    seen = server.requests("/feed")[0]
    assert seen.headers["authorization"] == basic("reader", "p@ss:w")
    assert seen.host == "127.0.0.1"


async def test_credentials_follow_a_redirect_only_within_their_origin(server: FeedServer) -> None:
    server.routes["/a"] = redirect("/b", 302)  # relative: same origin
    server.routes["/b"] = redirect(server.url("/feed", host="localhost"), 301)
    server.routes["/feed"] = Response(body=FEED)
    url = server.url("/a").replace("://", "://reader:secret@")
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(FetchRequest(url))
    assert result.outcome is FetchOutcome.OK
    assert result.final_url == server.url("/feed", host="localhost")
    assert result.permanent_url is None  # one hop was a 302
    assert server.requests("/b")[0].headers["authorization"] == basic("reader", "secret")
    assert "authorization" not in server.requests("/feed")[0].headers


async def test_a_cookie_set_on_a_redirect_goes_to_its_target(server: FeedServer) -> None:
    server.routes["/consent"] = Response(
        status=302, headers={"Location": "/feed", "Set-Cookie": "consent=yes; Path=/"}
    )

    def feed(request: RecordedRequest) -> Response:
        if request.headers.get("cookie") != "consent=yes":
            return redirect("/consent", 302)
        return Response(body=FEED)

    server.routes["/feed"] = feed
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(FetchRequest(server.url("/feed")))
    assert result.outcome is FetchOutcome.OK
    assert result.body == FEED


@pytest.mark.parametrize(("hops", "ok"), [(MAX_REDIRECTS, True), (MAX_REDIRECTS + 1, False)])
async def test_redirects_are_followed_up_to_the_limit(
    server: FeedServer, hops: int, ok: bool
) -> None:
    for hop in range(hops):
        server.routes[f"/r{hop}"] = redirect(server.url(f"/r{hop + 1}"), 308)
    server.routes[f"/r{hops}"] = Response(body=FEED)
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(FetchRequest(server.url("/r0")))
    if ok:
        assert result.outcome is FetchOutcome.OK
        assert result.permanent_url == server.url(f"/r{hops}")
    else:
        assert result.error == "too many redirects"


async def test_a_location_that_is_not_a_url_is_an_error(server: FeedServer) -> None:
    server.routes["/a"] = Response(status=302, headers={"Location": "http://[::1"})
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(FetchRequest(server.url("/a")))
    assert result.outcome is FetchOutcome.ERROR
    assert result.error == "127.0.0.1 sent a broken HTTP response"


@pytest.mark.parametrize("written", ["http://127.0.0.1:{port}/", "127.0.0.1:{port}"])
async def test_the_proxy_of_the_environment_is_used(
    server: FeedServer, monkeypatch: pytest.MonkeyPatch, written: str
) -> None:
    server.routes["/feed"] = Response(body=FEED)
    monkeypatch.setenv("HTTP_PROXY", written.format(port=server.port))  # no scheme: http
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    async with Fetcher() as fetcher:
        # .invalid never resolves: only the proxy can have answered.
        result = await fetcher.fetch(FetchRequest("http://feeds.invalid/feed"))
    assert result.outcome is FetchOutcome.OK
    assert server.requests("/feed")[0].host == "feeds.invalid"


async def test_a_proxy_that_cannot_be_used_fails_its_feed_in_words(
    server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.routes["/feed"] = Response(body=FEED)
    monkeypatch.setenv("HTTP_PROXY", "gopher://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(FetchRequest("http://feeds.invalid/feed"))
    assert result.outcome is FetchOutcome.ERROR
    assert (
        result.error
        == "the proxy gopher://127.0.0.1:9 cannot be used (see HTTP_PROXY, HTTPS_PROXY, ALL_PROXY)"
    )


@pytest.mark.parametrize("entry", ["127.0.0.1", "127.0.0.1:{port}"])
async def test_no_proxy_hosts_are_fetched_directly(
    server: FeedServer, monkeypatch: pytest.MonkeyPatch, entry: str
) -> None:
    server.routes["/feed"] = Response(body=FEED)
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # the discard port: nothing there
    monkeypatch.setenv("NO_PROXY", entry.format(port=server.port))
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(FetchRequest(server.url("/feed")))
    assert result.outcome is FetchOutcome.OK


def answer(
    status: int, location: str, url: str = "http://news.example/a/feed?x=1#top"
) -> httpx.Response:
    """An answer with a ``Location`` to the GET of ``url``."""
    return httpx.Response(status, headers={"Location": location}, request=httpx.Request("GET", url))


@pytest.mark.parametrize(
    ("location", "target"),
    [
        ("https://other.example/f", "https://other.example/f#top"),
        ("/b/feed", "http://news.example/b/feed#top"),
        ("next.xml", "http://news.example/a/next.xml#top"),
        ("http:///b", "http://news.example/b#top"),  # a scheme and no host: the same host
        ("/b#keep", "http://news.example/b#keep"),
    ],
)
def test_redirect_target_resolves_like_httpx(location: str, target: str) -> None:
    resolved = redirect_target(answer(302, location))
    assert resolved is not None
    assert str(resolved) == target


def test_redirect_target_is_none_for_other_answers() -> None:
    assert redirect_target(answer(200, "/b")) is None
    assert redirect_target(answer(304, "/b")) is None


@pytest.mark.parametrize(
    ("location", "error"),
    [
        ("file:///etc/passwd", httpx.UnsupportedProtocol),
        ("javascript:alert(1)", httpx.UnsupportedProtocol),
        ("http://[::1", httpx.RemoteProtocolError),
    ],
)
def test_redirect_target_refuses_what_cannot_be_fetched(
    location: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        redirect_target(answer(301, location))


@pytest.mark.parametrize(
    ("source", "target", "kept"),
    [
        ("http://a.example/x", "http://a.example:80/y", True),
        ("http://a.example/x", "https://a.example/y", True),  # the upgrade to https
        ("https://a.example/x", "http://a.example/y", False),
        ("http://a.example:8080/x", "https://a.example/y", False),
        ("http://a.example/x", "http://b.example/x", False),
        ("https://a.example/x", "https://a.example:8443/x", False),
    ],
)
def test_credentials_stay_with_their_origin(source: str, target: str, kept: bool) -> None:
    headers = {"Authorization": "Basic eDp5", "Accept": "*/*"}
    sent = redirect_headers(headers, httpx.URL(source), httpx.URL(target))
    assert ("Authorization" in sent) is kept
    assert sent["Accept"] == "*/*"


# --- a light start -----------------------------------------------------------------------------

_IMPORTS_PROBE = """
import asyncio, sys
from tuireader.core.fetch import Fetcher
from tuireader.core.models import FetchRequest

async def fetch_once():
    async with Fetcher() as fetcher:  # nothing listens on port 9 here: refused, in words
        return await fetcher.fetch(FetchRequest("http://127.0.0.1:9/feed.xml"))

print(asyncio.run(fetch_once()).outcome.value)
unused = ("httpx._main", "rich.console", "pygments", "trio", "httpcore", "anyio")
print(sorted(m for m in unused if m in sys.modules))
# Hidden while httpx loaded, not afterwards: no placeholder is left to block a later import
# (trio is not installed everywhere; httpx's command line is).
assert not [m for m in unused if m in sys.modules and sys.modules[m] is None]
import importlib.util, httpx._main
if importlib.util.find_spec("trio") is not None:
    import trio
print("later imports work")
"""


def test_fetching_loads_neither_httpx_command_line_nor_httpcore() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTS_PROBE],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["error", "[]", "later imports work"]


_REFRESH_PROBE = """
import asyncio, sys
from pathlib import Path
from tuireader.core.config import Config, FeedConfig, FetchConfig
from tuireader.core.refresh import refresh
config = Config(feeds=tuple(FeedConfig(u) for u in sys.argv[2:]), fetch=FetchConfig(timeout=5.0))
report = asyncio.run(refresh(Path(sys.argv[1]), config))
print(sorted({f.outcome for f in report.feeds}), "multiprocessing" in sys.modules)
"""


def test_a_refresh_of_not_modified_feeds_starts_no_parser(
    server: FeedServer, tmp_path: Path
) -> None:
    def answer(request: RecordedRequest) -> Response:
        if request.headers.get("if-none-match") == ETAG:
            return Response(status=304, headers={"ETag": ETAG})
        return Response(body=rss(range(1, 4)), headers={"ETag": ETAG})

    urls = [server.url(f"/feed{n}.xml") for n in range(10)]
    for n in range(10):
        server.routes[f"/feed{n}.xml"] = answer
    database = tmp_path / "db.sqlite"
    config = Config(feeds=tuple(FeedConfig(u) for u in urls), fetch=FetchConfig(timeout=5.0))
    first = asyncio.run(refresh(database, config))
    assert {f.new for f in first.feeds} == {3}
    done = subprocess.run(
        [sys.executable, "-c", _REFRESH_PROBE, str(database), *urls],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['not_modified'] False"


def test_an_unusable_proxy_is_named_without_its_credentials() -> None:
    assert UnusableProxy("socks5://me:secret@proxy.example:1080").proxy == (
        "socks5://proxy.example:1080"
    )
