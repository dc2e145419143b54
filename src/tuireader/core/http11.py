"""HTTP/1.1 for one origin: keep-alive connections on h11, as an httpx transport.

h11 reads and writes the protocol (framing, chunked bodies, keep-alive rules); this module
connects (``core.httpstack``), sends httpx's request, hands back httpx's response with its
body unread, and keeps a connection whose exchange ended cleanly for the next request. A
connection in any other state (a body not read to its end, an error, a cancellation, a
server that asked to close) is closed. (It replaces httpcore's pool, whose machinery cost as
much as the rest of the client on a refresh of many small answers: bench/http_floor.py.)

The fetcher bounds the requests in flight per host, so the pool never waits for a free
connection: each request takes an idle one or opens its own.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import AsyncIterator, Mapping

import h11

from tuireader.core.httpstack import SocketStream, connect, httpx
from tuireader.core.urls import DEFAULT_PORTS

__all__ = ["SERVER_DISCONNECTED", "OriginPool"]
READ_SIZE = 64 * 1024
MAX_HEAD_SIZE = 100 * 1024  # response line and headers (h11 waits for at most this much)
MAX_INFORMATIONAL = 20  # 1xx answers taken before the real one
# What httpcore says too (for proxied requests), so the fetcher words both alike.
SERVER_DISCONNECTED = "Server disconnected without sending a response."
_RETRIED_METHODS = frozenset({"GET", "HEAD"})  # safe to send twice, and bodiless


class _H11Connection:
    """One connection and its HTTP/1.1 state."""

    def __init__(self, stream: SocketStream) -> None:
        self.stream = stream
        self.protocol = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEAD_SIZE)
        self.idle_since = 0.0
        self.reusable = True

    async def send(self, request: httpx.Request, timeouts: Mapping[str, float | None]) -> None:
        head = h11.Request(
            method=request.method, target=request.url.raw_path, headers=request.headers.raw
        )
        data = bytearray(self._to_send(head))
        async for chunk in _request_body(request):
            data += self._to_send(h11.Data(data=chunk))
        data += self._to_send(h11.EndOfMessage())
        await self.stream.write(bytes(data), timeouts.get("write"))

    async def receive_head(self, timeouts: Mapping[str, float | None]) -> h11.Response:
        # Informational answers (100 Continue, 103 Early Hints) may precede the real one; a
        # server that sends only those is not read until the deadline.
        for _ in range(MAX_INFORMATIONAL + 1):
            event = await self._next_event(timeouts)
            if isinstance(event, h11.Response):
                if _framed_twice(event):
                    self.reusable = False
                return event
            if isinstance(event, h11.ConnectionClosed):
                raise httpx.RemoteProtocolError(SERVER_DISCONNECTED)
        raise httpx.RemoteProtocolError("too many informational (1xx) answers")

    async def body(self, timeouts: Mapping[str, float | None]) -> AsyncIterator[bytes]:
        while True:
            event = await self._next_event(timeouts)
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                return
            else:  # ConnectionClosed before the end
                raise httpx.RemoteProtocolError("the server closed the connection mid-body")

    def answer_begun(self) -> bool:
        """Whether any of the answer has arrived (its head, or part of it)."""
        waiting, _ = self.protocol.trailing_data
        return self.protocol.their_state is not h11.SEND_RESPONSE or bool(waiting)

    def ready_for_next(self) -> bool:
        """Start the next exchange if this one ended cleanly and both sides keep the
        connection; whether it did."""
        protocol = self.protocol
        if (
            self.reusable
            and protocol.our_state is h11.DONE
            and protocol.their_state is h11.DONE
            # Bytes read past the end of the answer (a body after a 304, more than its
            # Content-Length) would pass for the next request's answer.
            and protocol.trailing_data == (b"", False)
        ):
            protocol.start_next_cycle()
            return True
        return False

    async def _next_event(self, timeouts: Mapping[str, float | None]) -> object:
        while True:
            try:
                event = self.protocol.next_event()
            except h11.RemoteProtocolError as error:
                raise httpx.RemoteProtocolError(str(error)) from error
            if event is not h11.NEED_DATA:
                return event
            data = await self.stream.read(READ_SIZE, timeouts.get("read"))
            if not data and not self.answer_begun():
                raise httpx.RemoteProtocolError(SERVER_DISCONNECTED)
            self.protocol.receive_data(data)  # b"" tells h11 the server closed (mid-answer)

    def _to_send(self, event: h11.Request | h11.Data | h11.EndOfMessage) -> bytes:
        try:
            return self.protocol.send(event) or b""
        except h11.LocalProtocolError as error:
            raise httpx.LocalProtocolError(str(error)) from error


def _framed_twice(head: h11.Response) -> bool:
    """Whether an answer announces both a Transfer-Encoding and a Content-Length. The
    Transfer-Encoding wins, but RFC 9112 (6.3) says such a message ought to be handled as an
    error: the answer is read, and its connection is not used again."""
    names = {name for name, _ in head.headers}
    return b"transfer-encoding" in names and b"content-length" in names


async def _request_body(request: httpx.Request) -> AsyncIterator[bytes]:
    stream = request.stream
    assert isinstance(stream, httpx.AsyncByteStream)  # what an httpx.Request holds
    async for chunk in stream:
        if chunk:
            yield chunk


class _Body(httpx.AsyncByteStream):
    """A response body read from its connection; closing it gives the connection back."""

    def __init__(
        self, pool: OriginPool, exchange: _H11Connection, timeouts: Mapping[str, float | None]
    ) -> None:
        self._pool = pool
        self._exchange: _H11Connection | None = exchange
        self._timeouts = timeouts

    async def __aiter__(self) -> AsyncIterator[bytes]:
        exchange = self._exchange
        if exchange is None:
            raise httpx.StreamClosed()
        try:
            async for chunk in exchange.body(self._timeouts):
                yield chunk
        except BaseException:
            await self.aclose()  # in an unknown state: not to be used again
            raise

    async def aclose(self) -> None:
        exchange, self._exchange = self._exchange, None
        if exchange is not None:
            await self._pool.release(exchange)


class OriginPool(httpx.AsyncBaseTransport):
    """Keep-alive HTTP/1.1 connections to one origin (scheme, host, port).

    At most ``kept_idle`` connections wait for a next request, each for at most
    ``keepalive`` seconds; a request that finds none opens a connection.
    """

    def __init__(self, *, tls: ssl.SSLContext, kept_idle: int, keepalive: float) -> None:
        self._tls = tls
        self._kept_idle = kept_idle
        self._keepalive = keepalive
        self._idle: list[_H11Connection] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts: Mapping[str, float | None] = request.extensions.get("timeout", {})
        kept = self._idle_exchange()
        if kept is not None:
            try:
                return await self._request_on(kept, request, timeouts)
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
                # A server may close a kept connection just as it is used again: a GET that
                # got not one byte of answer is sent once more, on a new connection.
                if request.method not in _RETRIED_METHODS or kept.answer_begun():
                    raise
        exchange = await self._open(request.url, timeouts)
        return await self._request_on(exchange, request, timeouts)

    async def _request_on(
        self, exchange: _H11Connection, request: httpx.Request, timeouts: Mapping[str, float | None]
    ) -> httpx.Response:
        try:
            await exchange.send(request, timeouts)
            head = await exchange.receive_head(timeouts)
        except BaseException:
            exchange.stream.abort()
            raise
        return httpx.Response(
            status_code=head.status_code,
            headers=list(head.headers),
            stream=_Body(self, exchange, timeouts),
            extensions={
                "http_version": b"HTTP/" + head.http_version,
                "reason_phrase": bytes(head.reason),
            },
        )

    async def release(self, exchange: _H11Connection) -> None:
        """Keep a connection whose exchange is over for the next request, or close it."""
        if exchange.ready_for_next() and len(self._idle) < self._kept_idle:
            exchange.idle_since = time.monotonic()
            self._idle.append(exchange)
        else:
            await exchange.stream.aclose()

    def abort(self) -> None:
        """Close the idle connections at once, without waiting for their sockets."""
        for exchange in self._idle:
            exchange.stream.abort()

    async def aclose(self) -> None:
        self.abort()  # all of them before the first await, which a cancellation could stop
        idle, self._idle = self._idle, []
        for exchange in idle:
            await exchange.stream.aclose()

    def _idle_exchange(self) -> _H11Connection | None:
        """The most recently used idle connection still open, closing the stale ones."""
        now = time.monotonic()
        while self._idle:
            exchange = self._idle.pop()
            if now - exchange.idle_since < self._keepalive and not exchange.stream.stale:
                return exchange
            exchange.stream.abort()  # expired, or the server closed it (or sent unasked data)
        return None

    async def _open(self, url: httpx.URL, timeouts: Mapping[str, float | None]) -> _H11Connection:
        host = url.raw_host.decode("ascii")  # IDNA-encoded, as DNS and TLS want it
        port = url.port or DEFAULT_PORTS.get(url.scheme, 80)
        stream = await connect(host, port, timeouts.get("connect"))
        if url.scheme == "https":
            stream = await stream.start_tls(self._tls, host, timeouts.get("connect"))
        return _H11Connection(stream)
