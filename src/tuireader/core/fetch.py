"""Download feeds and article pages politely and robustly.

One :class:`Fetcher` per refresh owns one HTTP client, a global concurrency limit and a
limit per host. The client is an httpx transport with a small HTTP/1.1 pool per host
(``core.host_pools``, ``core.http11``) under a few lines of our own that do what
``httpx.AsyncClient`` would (redirects, cookies, basic auth from the URL) without its cost
on every request; connections stay alive between a host's feeds, and TLS certificates are
loaded only when an https URL is fetched. Every fetch has an overall deadline on top of the
per-read timeouts (a server that trickles bytes must not hold a feed for minutes), a
streamed size cap, conditional GET, and turns every network or HTTP problem into a
:class:`FetchResult` whose ``error`` is a sentence a user can read. Nothing here raises for
a bad feed, so one bad feed never stops the others.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import errno
import importlib
import socket
import ssl
import time
import zlib
from collections.abc import AsyncGenerator, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, Self

from tuireader import __version__
from tuireader.core.host_pools import HostPools, UnusableProxy
from tuireader.core.http11 import SERVER_DISCONNECTED
from tuireader.core.httpstack import httpx
from tuireader.core.models import FetchOutcome, FetchRequest, FetchResult
from tuireader.core.urls import DEFAULT_PORTS, is_feed_url
from tuireader.text.sanitize import sanitize_text

_brotli: Any
try:
    _brotli = importlib.import_module("brotli")  # untyped; its API is used in _Brotli only
except ImportError:  # pragma: no cover - httpx[brotli] is a dependency
    _brotli = None

PROJECT_URL = "https://github.com/tuireader/tuireader"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"

RETRY_AFTER_CAP = timedelta(days=7)
BACKOFF_BASE = timedelta(minutes=15)
BACKOFF_CAP = timedelta(hours=24)

UNSUPPORTED_SCHEME_ERROR = "only http and https feed URLs are supported"

_PERMANENT_REDIRECTS = frozenset({301, 308})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10
_RETRY_LATER_STATUSES = frozenset({429, 503})
# The body handed on is already decoded and complete: these would mislead a parser.
_DROPPED_RESPONSE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})
_MAX_ERROR_LENGTH = 300
_MAX_CHAIN_DEPTH = 12
# A body no one needs is read to its end (so the connection can serve the next request) only
# when it is announced this short; a longer one is cut by closing the connection.
_DISCARD_LIMIT = 64 * 1024
_BODILESS_STATUSES = frozenset({204, 304})


def default_user_agent() -> str:
    """The honest User-Agent: names tuireader, its version and where to learn about it."""
    return f"tuireader/{__version__} (+{PROJECT_URL})"


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """Limits of one refresh. ``timeout`` bounds each connect, read and write; ``deadline``
    each fetch as a whole."""

    concurrency: int = 16
    per_host: int = 4
    timeout: float = 10.0
    deadline: float = 20.0
    max_bytes: int = 20 * 1024 * 1024
    user_agent: str = default_user_agent()

    def __post_init__(self) -> None:
        if self.concurrency < 1 or self.per_host < 1:
            raise ValueError("concurrency and per_host must be at least 1")
        if self.timeout <= 0 or self.deadline <= 0:
            raise ValueError("timeout and deadline must be positive")
        if self.max_bytes < 1:
            raise ValueError("max_bytes must be positive")


class DeadlineExceeded(Exception):
    """A fetch took longer than its overall deadline."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"deadline of {seconds} s exceeded")
        self.seconds = seconds


class ResponseTooLarge(Exception):
    """A response body is (or announced to be) larger than the size cap."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"body larger than {limit} bytes")
        self.limit = limit


class CompressionError(Exception):
    """A compressed body could not be decoded, or used a coding we do not read."""

    def __init__(self, detail: str, coding: str) -> None:
        super().__init__(detail)
        self.coding = coding


# Every failure a hostile or broken server (or a bad proxy setting) can cause; anything else is
# our bug and propagates.
_FETCH_FAILURES = (
    httpx.HTTPError,
    httpx.InvalidURL,
    ResponseTooLarge,
    CompressionError,
    UnusableProxy,
)


# --- pure helpers ------------------------------------------------------------------------------


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """When a ``Retry-After`` header (delta-seconds or HTTP-date) allows the next request.

    The result is timezone-aware UTC, never before ``now`` and at most 7 days after it.
    A missing or unparsable value gives ``None``.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    latest = now + RETRY_AFTER_CAP
    if text.isascii() and text.isdigit():
        digits = text.lstrip("0") or "0"
        # A long number is past the cap anyway (and int() refuses over 4300 digits).
        seconds = int(digits) if len(digits) <= 12 else int(RETRY_AFTER_CAP.total_seconds())
        seconds = min(seconds, int(RETRY_AFTER_CAP.total_seconds()))
        return (now + timedelta(seconds=seconds)).astimezone(UTC)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000" means UTC with no claim about local time
        when = when.replace(tzinfo=UTC)
    return max(now, min(when, latest)).astimezone(UTC)


def backoff_delay(
    failures: int,
    *,
    base: timedelta = BACKOFF_BASE,
    cap: timedelta = BACKOFF_CAP,
    jitter: float = 0.0,
) -> timedelta:
    """How long to wait after ``failures`` consecutive failures: ``base · 2^(failures-1)``.

    Capped at ``cap`` (15 min, 30 min, 1 h, … 24 h by default); ``failures < 1`` gives zero.
    ``jitter`` (0 to 1, e.g. ``random.uniform(0, 0.1)`` from the caller) adds that fraction of
    the delay after the cap, so the result stays deterministic for a given input.
    """
    if not 0.0 <= jitter <= 1.0:
        raise ValueError("jitter must be between 0 and 1")
    if failures < 1:
        return timedelta(0)
    cap_seconds = cap.total_seconds()
    # Beyond 2^62 the product is past any sensible cap; this also keeps timedelta in range.
    seconds = min(base.total_seconds() * 2 ** min(failures - 1, 62), cap_seconds)
    return timedelta(seconds=seconds * (1.0 + jitter))


def describe_error(exc: BaseException, url: str) -> str:
    """Say in plain words why fetching ``url`` failed."""
    host = _host_of(url) or "the server"
    return _clean_sentence(_describe(exc, host))


def check_url(url: str) -> str | None:
    """Why ``url`` must not be fetched (not http or https, no host), or ``None`` if it may be."""
    parsed = _parsed_url(url)
    return parsed if isinstance(parsed, str) else None


def _parsed_url(url: str) -> httpx.URL | str:
    """``url`` parsed, or why it must not be fetched."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return "the URL is not valid"
    if parsed.scheme not in ("http", "https"):
        return UNSUPPORTED_SCHEME_ERROR
    if not parsed.host:
        return "the URL has no host name"
    if not is_feed_url(url):  # the same rule as config, OPML and links: one place decides
        return "the URL holds characters a web address may not (spaces, controls, invisible marks)"
    return parsed


def _describe(exc: BaseException, host: str) -> str:
    match exc:
        case DeadlineExceeded():
            return f"timed out after {exc.seconds:g} s"
        case ResponseTooLarge():
            return f"response is larger than {_format_size(exc.limit)}"
        case UnusableProxy():
            return f"the proxy {exc.proxy} cannot be used (see HTTP_PROXY, HTTPS_PROXY, ALL_PROXY)"
        case httpx.TooManyRedirects():
            return "too many redirects"
        case httpx.UnsupportedProtocol():
            return "redirected to an address that is not http or https"
        case httpx.InvalidURL():
            return "the URL is not valid"
        case httpx.ConnectTimeout():
            return f"could not connect to {host} (timed out)"
        case httpx.ReadTimeout():
            return f"{host} stopped sending data (read timed out)"
        case httpx.WriteTimeout():
            return f"timed out while sending the request to {host}"
        case httpx.PoolTimeout():
            return "timed out waiting for a free connection"
        case httpx.ProxyError():
            return f"the proxy could not reach {host}"
        case httpx.ConnectError():
            return _connect_problem(exc, host)
        case httpx.NetworkError():
            tls = _tls_problem(exc, host)
            return tls or f"the connection to {host} was lost"
        case httpx.RemoteProtocolError():
            if SERVER_DISCONNECTED in str(exc):  # the same words from httpcore (proxies)
                return f"{host} closed the connection without answering"
            return f"{host} sent a broken HTTP response"
        case httpx.LocalProtocolError():
            return "could not send the request (it is not valid HTTP)"
        case CompressionError() if exc.coding not in _DECODERS:
            return f"{host} used a compression tuireader cannot read ({exc.coding})"
        case httpx.DecodingError() | CompressionError():
            return f"could not decode the compressed response from {host}"
        case httpx.HTTPStatusError():
            return _status_sentence(exc.response.status_code)
    return f"could not fetch from {host} ({type(exc).__name__}: {exc})"


_ERRNO_WORDS = {
    errno.ECONNREFUSED: "connection refused",
    errno.ECONNRESET: "connection reset",
    errno.ENETUNREACH: "network is unreachable",
    errno.EHOSTUNREACH: "host is unreachable",
    errno.ETIMEDOUT: "timed out",
}


def _connect_problem(exc: BaseException, host: str) -> str:
    tls = _tls_problem(exc, host)
    if tls:
        return tls
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            return f"could not find {host} (DNS lookup failed)"
        if isinstance(cause, OSError) and cause.errno in _ERRNO_WORDS:
            return f"could not connect to {host} ({_ERRNO_WORDS[cause.errno]})"
    return f"could not connect to {host}"


def _tls_problem(exc: BaseException, host: str) -> str | None:
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS certificate problem: {cause.verify_message or cause.reason}"
        if isinstance(cause, ssl.SSLError):
            # Only errors raised by OpenSSL carry a reason code such as WRONG_VERSION_NUMBER.
            code = getattr(cause, "reason", None)
            reason = code.replace("_", " ").lower() if isinstance(code, str) else str(cause)
            return f"TLS problem with {host} ({reason})"
    return None


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and the exceptions it was raised from, guarding against cycles."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(seen) < _MAX_CHAIN_DEPTH:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _status_sentence(status: int) -> str:
    phrase = httpx.codes.get_reason_phrase(status)  # ours, never the server's reason text
    return f"server said {status} {phrase}".rstrip()


def _format_size(size: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


def _host_of(url: str) -> str:
    try:
        return httpx.URL(url).host
    except httpx.InvalidURL:
        return ""


def _clean_sentence(text: str) -> str:
    text = " ".join(sanitize_text(text).split())
    if len(text) > _MAX_ERROR_LENGTH:
        text = text[: _MAX_ERROR_LENGTH - 1] + "…"
    return text


def _outcome_for(status: int) -> FetchOutcome:
    if status == 304:
        return FetchOutcome.NOT_MODIFIED
    if status == 410:
        return FetchOutcome.GONE
    if status in _RETRY_LATER_STATUSES:
        return FetchOutcome.RETRY_LATER
    if 200 <= status < 300:
        return FetchOutcome.OK
    return FetchOutcome.ERROR


def _header_value(value: str | None) -> str | None:
    """``value`` if it can be sent back as a header as is (printable ASCII), else ``None``."""
    if not value or not value.isascii() or not value.isprintable():
        return None
    return value


def _content_length(response: httpx.Response) -> int | None:
    raw = response.headers.get("content-length", "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() else None


async def _discard_short_body(response: httpx.Response) -> None:
    """Read to its end a body no one needs when it is empty (a 304) or announced short.

    A failure here only costs the connection: the answer's status is what is reported.
    """
    length = _content_length(response)
    if response.status_code in _BODILESS_STATUSES or (
        length is not None and length <= _DISCARD_LIMIT
    ):
        with contextlib.suppress(httpx.HTTPError):
            async for _ in response.aiter_raw():
                pass


def _permanent_url(response: httpx.Response) -> str | None:
    """Where the feed has moved for good: the target of the redirects that are permanent
    from the first one on (A -301-> B -302-> C moved to B; A -302-> B -301-> C did not)."""
    hops = response.history
    if not hops:
        return None
    targets = [*(hop.url for hop in hops[1:]), response.url]
    moved: httpx.URL | None = None
    for hop, target in zip(hops, targets, strict=True):
        if hop.status_code not in _PERMANENT_REDIRECTS:
            break
        moved = target
    return None if moved is None else str(moved)


# --- redirects, as httpx's client follows them -------------------------------------------------


def redirect_target(response: httpx.Response) -> httpx.URL | None:
    """Where a redirect leads (``None`` if ``response`` is not one), resolved as httpx does.

    A relative ``Location`` is joined to the request's URL, one with a scheme but no host gets
    the request's host, and the fragment carries over. Raises ``httpx.RemoteProtocolError`` for
    a ``Location`` that is not a URL and ``httpx.UnsupportedProtocol`` for one that is not http
    or https.
    """
    location = response.headers.get("location")
    if response.status_code not in _REDIRECTS or location is None:
        return None
    source = response.request.url
    try:
        target = httpx.URL(location)
    except httpx.InvalidURL as exc:
        message = f"Invalid URL in location header: {exc}."
        raise httpx.RemoteProtocolError(message, request=response.request) from None
    if target.scheme not in ("", "http", "https"):
        message = f"Scheme {target.scheme!r} not supported."
        raise httpx.UnsupportedProtocol(message, request=response.request)
    if target.scheme and not target.host:
        target = target.copy_with(host=source.host)
    if target.is_relative_url:
        target = source.join(target)
    if source.fragment and not target.fragment:
        target = target.copy_with(fragment=source.fragment)
    return target


def redirect_headers(
    headers: dict[str, str], source: httpx.URL, target: httpx.URL
) -> dict[str, str]:
    """The headers to send on to ``target``: the credentials stay with their origin (or its
    plain http to https upgrade), as with httpx's client."""
    if _origin(source) == _origin(target) or _is_https_upgrade(source, target):
        return headers
    return {name: value for name, value in headers.items() if name.lower() != "authorization"}


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port or DEFAULT_PORTS.get(url.scheme)


def _is_https_upgrade(source: httpx.URL, target: httpx.URL) -> bool:
    """Whether ``target`` is ``source``'s host moved from http to https, default ports."""
    upgrade = (("http", target.host, 80), ("https", source.host, 443))
    return (_origin(source), _origin(target)) == upgrade


def _basic_credentials(url: httpx.URL) -> str | None:
    """The ``Authorization`` value for a URL's ``user:password@``, as httpx's client sends it."""
    if not (url.username or url.password):
        return None
    pair = f"{url.username}:{url.password}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")


# --- bounded decompression ---------------------------------------------------------------------

_PIECE = 64 * 1024  # the most decoded bytes produced before the size cap is checked again


class _Identity:
    def decode(self, data: bytes) -> Iterator[bytes]:
        yield data

    def flush(self) -> bytes:
        return b""


class _Zlib:
    """gzip, or deflate with or without the zlib wrapper (servers send both)."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._raw_fallback = coding == "deflate"
        wbits = zlib.MAX_WBITS | 16 if coding == "gzip" else zlib.MAX_WBITS
        self._inflater = zlib.decompressobj(wbits)

    def decode(self, data: bytes) -> Iterator[bytes]:
        pending = data
        while pending:
            try:
                piece = self._inflater.decompress(pending, _PIECE)
            except zlib.error as exc:
                if not self._raw_fallback:
                    raise CompressionError(str(exc), self._coding) from exc
                self._raw_fallback = False
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._raw_fallback = False
            pending = self._inflater.unconsumed_tail
            if piece:
                yield piece

    def flush(self) -> bytes:
        try:
            # Everything was consumed within the piece limit, so what is left is small.
            return self._inflater.flush()
        except zlib.error as exc:
            raise CompressionError(str(exc), self._coding) from exc


class _Brotli:
    def __init__(self) -> None:
        self._decompressor = _brotli.Decompressor()

    def decode(self, data: bytes) -> Iterator[bytes]:
        if not data:
            return
        yield self._process(data)
        while not self._decompressor.can_accept_more_data():
            piece = self._process(b"")
            if not piece:
                break
            yield piece

    def _process(self, data: bytes) -> bytes:
        try:
            return bytes(self._decompressor.process(data, output_buffer_limit=_PIECE))
        except _brotli.error as exc:
            raise CompressionError(str(exc), "br") from exc

    def flush(self) -> bytes:
        return b""


# Each decoder's ``decode`` yields pieces of at most about 64 KB.
_Decoder = _Identity | _Zlib | _Brotli
_BROTLI_BOUNDED = _brotli is not None and hasattr(_brotli.Decompressor, "can_accept_more_data")
_DECODERS = ("identity", "gzip", "x-gzip", "deflate", *(("br",) if _BROTLI_BOUNDED else ()))
ACCEPT_ENCODING = ", ".join(c for c in _DECODERS if c not in ("identity", "x-gzip"))


def _decoder_for(content_encoding: str) -> _Decoder:
    codings = [c.strip().lower() for c in content_encoding.split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if not codings:
        return _Identity()
    if len(codings) > 1 or codings[0] not in _DECODERS:
        # Stacked codings are legal but unseen in practice; refuse them rather than guess.
        raise CompressionError("unsupported content coding", ", ".join(codings)[:40])
    coding = "gzip" if codings[0] == "x-gzip" else codings[0]
    return _Brotli() if coding == "br" else _Zlib(coding)


# --- the fetcher -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Progress:
    """What one fetch has learned so far, so a failure can still report it."""

    started: float
    response: httpx.Response | None = None


class Fetcher:
    """One refresh's HTTP client: ``async with Fetcher() as f: await f.fetch(request)``.

    ``pools`` holds its connections; a ``transport`` given (``httpx.MockTransport`` in tests)
    is used instead of them.
    """

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings or FetchSettings()
        self.pools = HostPools(
            per_host=self.settings.per_host,
            proxy_connections=self.settings.concurrency,
            max_hosts=2 * self.settings.concurrency,
        )
        self._transport: httpx.AsyncBaseTransport = transport or self.pools
        self._timeouts = httpx.Timeout(self.settings.timeout).as_dict()
        self._cookies = httpx.Cookies()  # kept for the refresh, as httpx's client keeps them
        self._slots = asyncio.Semaphore(self.settings.concurrency)
        self._host_slots: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections."""
        await self._transport.aclose()
        if self._transport is not self.pools:
            await self.pools.aclose()

    async def fetch(self, request: FetchRequest, *, accept: str = FEED_ACCEPT) -> FetchResult:
        """Fetch one URL. Network and HTTP problems come back as a result, never raised.

        Waits for a free slot (per host, then overall) first; the deadline and ``elapsed``
        count from when the request starts, not the time spent waiting.
        """
        url = _parsed_url(request.url)
        if isinstance(url, str):
            return FetchResult(url=request.url, outcome=FetchOutcome.ERROR, error=url)
        # Host slot first: feeds queued behind one busy host must not hold global slots.
        async with self._host_slot(url.host), self._slots:
            progress = _Progress(started=time.monotonic())
            window = asyncio.timeout(self.settings.deadline)
            try:
                async with window:
                    return await self._download(request, url, accept, progress)
            except TimeoutError:
                if not window.expired():
                    raise
                return self._failure(request, progress, DeadlineExceeded(self.settings.deadline))
            except _FETCH_FAILURES as exc:
                return self._failure(request, progress, exc)

    async def fetch_many(
        self, requests: Iterable[FetchRequest], *, accept: str = FEED_ACCEPT
    ) -> AsyncGenerator[FetchResult, None]:
        """Fetch all ``requests`` concurrently, yielding each result as soon as it is ready.

        Leaving early (``aclose()``, ``break`` then close, cancellation) cancels the fetches
        still running.
        """
        tasks = [asyncio.create_task(self.fetch(request, accept=accept)) for request in requests]
        try:
            for next_done in asyncio.as_completed(tasks):
                yield await next_done
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    def _host_slot(self, host: str) -> asyncio.Semaphore:
        key = host.lower().rstrip(".")  # example.com. is example.com
        slot = self._host_slots.get(key)
        if slot is None:
            slot = self._host_slots[key] = asyncio.Semaphore(self.settings.per_host)
        return slot

    def _request_headers(
        self, request: FetchRequest, url: httpx.URL, accept: str
    ) -> dict[str, str]:
        headers = {
            "User-Agent": self.settings.user_agent,
            "Accept-Encoding": ACCEPT_ENCODING,
            "Accept": accept,
        }
        credentials = _basic_credentials(url)
        if credentials is not None:
            headers["Authorization"] = credentials
        # Validators that cannot be sent back verbatim are dropped: a full fetch is harmless.
        etag = _header_value(request.etag)
        if etag is not None:
            headers["If-None-Match"] = etag
        last_modified = _header_value(request.last_modified)
        if last_modified is not None:
            headers["If-Modified-Since"] = last_modified
        return headers

    async def _download(
        self, request: FetchRequest, url: httpx.URL, accept: str, progress: _Progress
    ) -> FetchResult:
        headers = self._request_headers(request, url, accept)
        response = await self._follow(url, headers)
        try:
            progress.response = response
            outcome = _outcome_for(response.status_code)
            body = b""
            if outcome is FetchOutcome.OK:
                body = await self._read_body(response)
            else:
                await _discard_short_body(response)
        finally:
            await response.aclose()
        return self._result(request, response, outcome, body, progress.started)

    async def _follow(self, url: httpx.URL, headers: dict[str, str]) -> httpx.Response:
        """GET ``url`` and follow up to 10 redirects; the last response, its body unread."""
        history: list[httpx.Response] = []
        while True:
            response = await self._send(url, headers)
            response.history = list(history)
            try:
                target = redirect_target(response)
                if target is None:
                    return response
                await _discard_short_body(response)
            except BaseException:
                await response.aclose()
                raise
            await response.aclose()
            history.append(response)
            if len(history) > MAX_REDIRECTS:
                message = "Exceeded maximum allowed redirects."
                raise httpx.TooManyRedirects(message, request=response.request)
            headers = redirect_headers(headers, url, target)
            url = target

    async def _send(self, url: httpx.URL, headers: dict[str, str]) -> httpx.Response:
        """One request and its response, body unread; cookies are sent and kept."""
        request = httpx.Request("GET", url, headers=headers, extensions={"timeout": self._timeouts})
        if self._cookies:
            self._cookies.set_cookie_header(request)
        response = await self._transport.handle_async_request(request)
        response.request = request
        if "set-cookie" in response.headers:
            self._cookies.extract_cookies(response)
        return response

    async def _read_body(self, response: httpx.Response) -> bytes:
        limit = self.settings.max_bytes
        announced = _content_length(response)
        if announced is not None and announced > limit:
            raise ResponseTooLarge(limit)
        decoder = _decoder_for(response.headers.get("content-encoding", ""))
        body = bytearray()
        # We decode the raw bytes ourselves, piece by bounded piece, so the cap holds for the
        # decoded size: a 300-byte brotli body can expand to 200 MB in a single httpx decode.
        async for raw in response.aiter_raw():
            for piece in decoder.decode(raw):
                body += piece
                if len(body) > limit:
                    raise ResponseTooLarge(limit)
        body += decoder.flush()
        if len(body) > limit:
            raise ResponseTooLarge(limit)
        return bytes(body)

    def _result(
        self,
        request: FetchRequest,
        response: httpx.Response,
        outcome: FetchOutcome,
        body: bytes,
        started: float,
    ) -> FetchResult:
        status = response.status_code
        etag = response.headers.get("etag")
        last_modified = response.headers.get("last-modified")
        if outcome is FetchOutcome.NOT_MODIFIED:
            # A 304 need not repeat the validators; the ones we sent are still current.
            etag = etag or request.etag
            last_modified = last_modified or request.last_modified
        retry_after = None
        if outcome is FetchOutcome.RETRY_LATER:
            retry_after = parse_retry_after(response.headers.get("retry-after"), datetime.now(UTC))
        settled = outcome in (FetchOutcome.OK, FetchOutcome.NOT_MODIFIED)
        return FetchResult(
            url=request.url,
            outcome=outcome,
            status=status,
            final_url=str(response.url),
            permanent_url=_permanent_url(response) if settled else None,
            body=body,
            headers=_kept_headers(response),
            etag=etag,
            last_modified=last_modified,
            retry_after=retry_after,
            error=None if settled else _clean_sentence(_status_sentence(status)),
            elapsed=time.monotonic() - started,
        )

    def _failure(
        self, request: FetchRequest, progress: _Progress, exc: BaseException
    ) -> FetchResult:
        response = progress.response
        return FetchResult(
            url=request.url,
            outcome=FetchOutcome.ERROR,
            status=response.status_code if response is not None else None,
            final_url=str(response.url) if response is not None else None,
            headers=_kept_headers(response) if response is not None else {},
            error=describe_error(exc, request.url),
            elapsed=time.monotonic() - progress.started,
        )


def _kept_headers(response: httpx.Response) -> dict[str, str]:
    return {
        name.lower(): value
        for name, value in response.headers.items()
        if name.lower() not in _DROPPED_RESPONSE_HEADERS
    }
