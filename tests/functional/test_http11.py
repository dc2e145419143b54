"""tuireader's HTTP/1.1 client (core.http11 on core.httpstack) against real sockets on
127.0.0.1.

Each test runs a small asyncio server of its own that answers in the way under test: a body
larger than the read buffer, a connection closed while idle or reset mid-body, silence, a
body left unread, a TLS certificate, bytes sent in clear before a handshake. Every test is
bounded in time, so a lost wake-up fails it instead of hanging the suite.
"""

from __future__ import annotations

import asyncio
import functools
import socket
import ssl
import struct
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, ParamSpec

import pytest

from tuireader.core.http11 import OriginPool
from tuireader.core.httpstack import HIGH_WATER, connect, httpx

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
TIMEOUTS = {"connect": 5.0, "read": 5.0, "write": 5.0, "pool": 5.0}
TEST_SECONDS = 10.0
P = ParamSpec("P")


def bounded(test: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, Awaitable[None]]:
    """The test, failed by a TimeoutError when it runs longer than TEST_SECONDS."""

    @functools.wraps(test)
    async def run(*args: P.args, **kwargs: P.kwargs) -> None:
        async with asyncio.timeout(TEST_SECONDS):
            await test(*args, **kwargs)

    return run


@asynccontextmanager
async def serving(handler: Handler, tls: ssl.SSLContext | None = None) -> AsyncIterator[int]:
    """An asyncio server on 127.0.0.1 for the block; its port. Handlers' writers are closed
    when they return."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await handler(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass  # the client went away or refused the certificate
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=tls)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


@asynccontextmanager
async def origin(tls: ssl.SSLContext | None = None) -> AsyncIterator[OriginPool]:
    pool = OriginPool(
        tls=tls or ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT), kept_idle=2, keepalive=5.0
    )
    try:
        yield pool
    finally:
        await pool.aclose()


async def read_request(reader: asyncio.StreamReader) -> bytes:
    """The request head (a GET has no body)."""
    return await reader.readuntil(b"\r\n\r\n")


def replying(data: bytes) -> Handler:
    """A server's handler that reads the request, sends ``data`` and closes."""

    async def reply(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(data)
        await writer.drain()

    return reply


def ok(body: bytes, *headers: bytes) -> bytes:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n" % len(body) + b"".join(headers)
    return head + b"\r\n" + body


async def get(
    pool: OriginPool, url: str, *, late: float = 0.0, timeouts: dict[str, float] = TIMEOUTS
) -> tuple[int, bytes]:
    """Status and body of a GET through ``pool``; the body read ``late`` seconds after the
    head arrived."""
    request = httpx.Request("GET", url, extensions={"timeout": timeouts})
    response = await pool.handle_async_request(request)
    try:
        await asyncio.sleep(late)
        body = b"".join([part async for part in response.aiter_raw()])
    finally:
        await response.aclose()
    return response.status_code, body


def chain(error: BaseException | None) -> list[BaseException]:
    """``error`` and what it was raised from or during."""
    found: list[BaseException] = []
    while error is not None and len(found) < 10:
        found.append(error)
        error = error.__cause__ or error.__context__
    return found


@bounded
async def test_a_body_larger_than_the_buffer_read_late_arrives_whole() -> None:
    body = bytes(range(256)) * (4 * HIGH_WATER // 256)  # the socket's reading pauses
    async with serving(replying(ok(body))) as port, origin() as pool:
        assert await get(pool, f"http://127.0.0.1:{port}/", late=0.3) == (200, body)


@bounded
async def test_chunked_bodies_and_informational_answers_are_read() -> None:
    answer = (
        b"HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    )
    async with serving(replying(answer)) as port, origin() as pool:
        assert await get(pool, f"http://127.0.0.1:{port}/") == (200, b"hello world")


@bounded
async def test_kept_alive_connections_are_reused() -> None:
    connections = 0

    async def keep_answering(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        while await reader.readuntil(b"\r\n\r\n"):
            writer.write(b"HTTP/1.1 304 Not Modified\r\n\r\n")

    async with serving(keep_answering) as port, origin() as pool:
        statuses = [(await get(pool, f"http://127.0.0.1:{port}/"))[0] for _ in range(5)]
    assert statuses == [304] * 5
    assert connections == 1


@bounded
async def test_a_connection_the_server_closed_while_idle_is_not_reused() -> None:
    connections = 0

    async def answer_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await read_request(reader)
        writer.write(ok(b"ok"))  # keep-alive was promised, but the server closes after it
        await writer.drain()

    async with serving(answer_once) as port, origin() as pool:
        first = await get(pool, f"http://127.0.0.1:{port}/")
        await asyncio.sleep(0.1)  # the close arrives while the connection is idle
        second = await get(pool, f"http://127.0.0.1:{port}/")
    assert first == second == (200, b"ok")
    assert connections == 2


@pytest.mark.parametrize(
    "answer",
    [
        ok(b"bye", b"Connection: close\r\n"),  # the server says it will close
        b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nunread...",  # not read to its end
        # framed twice: read as chunked (RFC 9112 6.3), but the connection is in doubt
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
        b"3\r\nbye\r\n0\r\n\r\n",
    ],
    ids=["connection-close", "body-left-unread", "framed-twice"],
)
@bounded
async def test_a_connection_in_doubt_is_not_reused(answer: bytes) -> None:
    connections = 0

    async def answer_twice(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await read_request(reader)
        writer.write(answer)
        await writer.drain()
        await reader.read()

    async with serving(answer_twice) as port, origin() as pool:
        url = f"http://127.0.0.1:{port}/"
        for _ in range(2):
            request = httpx.Request("GET", url, extensions={"timeout": TIMEOUTS})
            response = await pool.handle_async_request(request)
            if b"unread" not in answer:
                await response.aread()
            await response.aclose()
    assert connections == 2


@bounded
async def test_bytes_after_an_answer_never_pass_for_the_next_answer() -> None:
    async def smuggle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)  # a 304 with a second answer of the server's own after it
        writer.write(b"HTTP/1.1 304 Not Modified\r\n\r\n" + ok(b"EVIL"))
        await writer.drain()
        await reader.read()

    async with serving(smuggle) as port, origin() as pool:
        answers = [await get(pool, f"http://127.0.0.1:{port}/") for _ in range(3)]
    assert answers == [(304, b"")] * 3  # each on a new connection, never b"EVIL"


@bounded
async def test_a_flood_of_informational_answers_is_refused() -> None:
    async def flood(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        while True:
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n" * 100)
            await writer.drain()

    async with serving(flood) as port, origin() as pool:
        with pytest.raises(httpx.RemoteProtocolError, match="informational"):
            await get(pool, f"http://127.0.0.1:{port}/")


@bounded
async def test_a_kept_connection_the_server_drops_as_it_is_reused_is_retried_once() -> None:
    connections = 0

    async def answer_first_only(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await read_request(reader)
        writer.write(ok(b"ok"))  # promises keep-alive ...
        await writer.drain()
        await read_request(reader)  # ... and drops the connection as the next request comes

    async with serving(answer_first_only) as port, origin() as pool:
        url = f"http://127.0.0.1:{port}/"
        assert [await get(pool, url) for _ in range(2)] == [(200, b"ok")] * 2
    assert connections == 2


@bounded
async def test_a_server_that_closes_without_answering() -> None:
    async with serving(read_request) as port, origin() as pool:
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            await get(pool, f"http://127.0.0.1:{port}/")


@bounded
async def test_a_server_that_closes_halfway_through_its_head_sent_a_broken_answer() -> None:
    half_a_head = replying(b"HTTP/1.1 200 OK\r\nContent-Le")
    async with serving(half_a_head) as port, origin() as pool:
        with pytest.raises(httpx.RemoteProtocolError) as raised:
            await get(pool, f"http://127.0.0.1:{port}/")
    assert "without sending a response" not in str(raised.value)


@bounded
async def test_a_silent_server_is_a_read_timeout_and_loses_the_connection() -> None:
    closed = asyncio.Event()

    async def say_nothing(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await reader.read()  # until the client gives up
        closed.set()

    async with serving(say_nothing) as port, origin() as pool:
        with pytest.raises(httpx.ReadTimeout):
            await get(pool, f"http://127.0.0.1:{port}/", timeouts={"read": 0.2})
        await asyncio.wait_for(closed.wait(), 2)


@bounded
async def test_a_reset_in_the_middle_of_a_body_is_a_read_error() -> None:
    async def reset_midway(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial")
        await writer.drain()
        await asyncio.sleep(0.1)
        raw = writer.get_extra_info("socket")
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()  # with linger 0: a reset, not an orderly close

    async with serving(reset_midway) as port, origin() as pool:
        with pytest.raises(httpx.ReadError):
            await get(pool, f"http://127.0.0.1:{port}/")


@bounded
async def test_a_body_cut_short_is_a_protocol_error() -> None:
    cut_short = replying(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial")
    async with serving(cut_short) as port, origin() as pool:
        with pytest.raises(httpx.RemoteProtocolError):
            await get(pool, f"http://127.0.0.1:{port}/")


@bounded
async def test_a_server_that_reads_nothing_is_a_write_timeout() -> None:
    async def read_nothing(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(TEST_SECONDS)

    body = b"x" * (64 * 1024 * 1024)  # more than the socket buffers of both ends hold
    async with serving(read_nothing) as port, origin() as pool:
        request = httpx.Request(
            "POST",
            f"http://127.0.0.1:{port}/",
            content=body,
            extensions={"timeout": {"write": 0.3}},
        )
        with pytest.raises(httpx.WriteTimeout):
            await pool.handle_async_request(request)


@bounded
async def test_a_request_cancelled_from_outside_closes_its_socket() -> None:
    closed = asyncio.Event()

    async def headers_then_wait(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nbeginning")
        await reader.read()  # returns at end of stream: the client closed
        closed.set()

    async with serving(headers_then_wait) as port, origin() as pool:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.3):  # an overall deadline, as the Fetcher has
                await get(pool, f"http://127.0.0.1:{port}/")
        await asyncio.wait_for(closed.wait(), 2)


@bounded
async def test_a_refused_connection_is_a_connect_error_from_its_cause() -> None:
    async with serving(read_request) as port:
        pass  # the port is free again: nothing listens
    async with origin() as pool:
        with pytest.raises(httpx.ConnectError) as raised:
            await get(pool, f"http://127.0.0.1:{port}/")
    assert any(isinstance(cause, ConnectionRefusedError) for cause in chain(raised.value))


@bounded
async def test_closing_the_pool_closes_its_idle_sockets() -> None:
    closed = asyncio.Event()

    async def answer_then_wait(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(ok(b"ok"))
        await reader.read()
        closed.set()

    async with serving(answer_then_wait) as port:
        async with origin() as pool:
            await get(pool, f"http://127.0.0.1:{port}/")
        await asyncio.wait_for(closed.wait(), 2)


@bounded
async def test_closing_the_pool_closes_every_idle_socket_even_if_cancelled() -> None:
    closed = 0
    both_closed = asyncio.Event()

    async def answer_then_wait(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal closed
        await read_request(reader)
        await asyncio.sleep(0.1)  # both requests are in flight: two connections
        writer.write(ok(b"ok"))
        await reader.read()
        closed += 1
        if closed == 2:
            both_closed.set()

    async with serving(answer_then_wait) as port:
        pool = OriginPool(tls=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT), kept_idle=2, keepalive=5.0)
        url = f"http://127.0.0.1:{port}/"
        await asyncio.gather(get(pool, url), get(pool, url))  # two idle connections now
        closing = asyncio.ensure_future(pool.aclose())
        await asyncio.sleep(0)  # it waits for the first socket to close ...
        closing.cancel()  # ... and is cancelled there
        with pytest.raises(asyncio.CancelledError):
            await closing
        await asyncio.wait_for(both_closed.wait(), 2)


# --- TLS ---------------------------------------------------------------------------------------


def trusting(cert: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(cert))


answer_secure = replying(ok(b"secure"))


@bounded
async def test_tls_with_a_trusted_certificate(certificate: tuple[Path, ssl.SSLContext]) -> None:
    cert, server_context = certificate
    async with serving(answer_secure, tls=server_context) as port, origin(trusting(cert)) as pool:
        assert await get(pool, f"https://127.0.0.1:{port}/") == (200, b"secure")


@bounded
async def test_a_large_body_over_tls_read_late_arrives_whole(
    certificate: tuple[Path, ssl.SSLContext],
) -> None:
    cert, server_context = certificate
    body = bytes(range(256)) * (3 * HIGH_WATER // 256)
    async with (
        serving(replying(ok(body)), tls=server_context) as port,
        origin(trusting(cert)) as pool,
    ):
        assert await get(pool, f"https://127.0.0.1:{port}/", late=0.3) == (200, body)


@bounded
async def test_tls_with_an_untrusted_certificate_fails_from_its_cause(
    certificate: tuple[Path, ssl.SSLContext],
) -> None:
    _, server_context = certificate
    async with serving(answer_secure, tls=server_context) as port, origin() as pool:
        with pytest.raises(httpx.ConnectError) as raised:
            await get(pool, f"https://127.0.0.1:{port}/")
    assert any(isinstance(cause, ssl.SSLCertVerificationError) for cause in chain(raised.value))


@bounded
async def test_bytes_sent_in_clear_before_the_handshake_never_pass_for_tls_data(
    certificate: tuple[Path, ssl.SSLContext],
) -> None:
    cert, server_context = certificate

    async def inject(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(ok(b"INJECTED"))  # in clear, before any handshake
        await writer.drain()
        await writer.start_tls(server_context)
        await read_request(reader)

    async with serving(inject) as port:
        stream = await connect("127.0.0.1", port, 5.0)
        await asyncio.sleep(0.1)  # as a proxy tunnel would wait between the two
        with pytest.raises(httpx.ConnectError, match="before the TLS handshake"):
            await stream.start_tls(trusting(cert), "127.0.0.1", 5.0)


@bounded
async def test_a_handshake_on_a_closed_connection_fails_at_once() -> None:
    async def close_at_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        pass  # serving() closes the writer

    async with serving(close_at_once) as port:
        stream = await connect("127.0.0.1", port, 5.0)
        await asyncio.sleep(0.1)
        started = time.monotonic()
        with pytest.raises(httpx.ConnectError):
            await stream.start_tls(ssl.create_default_context(), "127.0.0.1", 5.0)
    assert time.monotonic() - started < 1.0


@bounded
async def test_a_handshake_cancelled_from_outside_closes_its_socket() -> None:
    closed = asyncio.Event()

    async def never_shake(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # a TLS hello arrives and is never answered, until the client goes
        closed.set()

    async with serving(never_shake) as port, origin() as pool:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.3):  # an overall deadline, as the Fetcher has
                await get(pool, f"https://127.0.0.1:{port}/")
        await asyncio.wait_for(closed.wait(), 2)
