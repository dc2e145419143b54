"""httpcore on tuireader's asyncio network backend, against real sockets on 127.0.0.1.

Each test runs a small asyncio server of its own that answers in the way under test: a body
larger than the read buffer, a connection closed while idle or reset mid-body, silence, a
TLS certificate, bytes sent in clear before a handshake. Every test is bounded in time, so a
lost wake-up fails it instead of hanging the suite.
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

from tuireader.core.httpstack import HIGH_WATER, AsyncioBackend, httpcore

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


async def read_request(reader: asyncio.StreamReader) -> bytes:
    """The request head (a GET has no body)."""
    return await reader.readuntil(b"\r\n\r\n")


def chain(error: BaseException | None) -> list[BaseException]:
    """``error`` and what it was raised from or during (httpcore re-raises ``from None``)."""
    found: list[BaseException] = []
    while error is not None and len(found) < 10:
        found.append(error)
        error = error.__cause__ or error.__context__
    return found


def pool(**options: Any) -> httpcore.AsyncConnectionPool:
    return httpcore.AsyncConnectionPool(network_backend=AsyncioBackend(), **options)


def ok(body: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body


@bounded
async def test_a_body_larger_than_the_buffer_arrives_whole() -> None:
    body = bytes(range(256)) * (4 * HIGH_WATER // 256)

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(ok(body))
        await writer.drain()

    async with serving(answer) as port, pool() as client:
        url = f"http://127.0.0.1:{port}/"
        async with client.stream("GET", url, extensions={"timeout": TIMEOUTS}) as response:
            await asyncio.sleep(0.3)  # the client reads late: its socket reading pauses
            received = b"".join([part async for part in response.aiter_stream()])
    assert response.status == 200
    assert received == body


@bounded
async def test_a_connection_the_server_closed_while_idle_is_not_reused() -> None:
    connections = 0

    async def answer_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await read_request(reader)
        writer.write(ok(b"ok"))  # keep-alive was promised, but the server closes after it
        await writer.drain()

    async with serving(answer_once) as port, pool() as client:
        url = f"http://127.0.0.1:{port}/"
        first = await client.request("GET", url, extensions={"timeout": TIMEOUTS})
        await asyncio.sleep(0.1)  # the close arrives while the connection is idle
        second = await client.request("GET", url, extensions={"timeout": TIMEOUTS})
    assert (first.status, second.status) == (200, 200)
    assert connections == 2


@bounded
async def test_kept_alive_connections_are_reused() -> None:
    connections = 0

    async def keep_answering(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        while await reader.readuntil(b"\r\n\r\n"):
            writer.write(b"HTTP/1.1 304 Not Modified\r\n\r\n")

    async with serving(keep_answering) as port, pool() as client:
        url = f"http://127.0.0.1:{port}/"
        statuses = [
            (await client.request("GET", url, extensions={"timeout": TIMEOUTS})).status
            for _ in range(5)
        ]
    assert statuses == [304] * 5
    assert connections == 1


@bounded
async def test_a_silent_server_is_a_read_timeout() -> None:
    async def say_nothing(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await reader.read()  # until the client gives up

    async with serving(say_nothing) as port, pool() as client:
        with pytest.raises(httpcore.ReadTimeout):
            await client.request(
                "GET", f"http://127.0.0.1:{port}/", extensions={"timeout": {"read": 0.2}}
            )


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

    async with serving(reset_midway) as port, pool() as client:
        with pytest.raises(httpcore.ReadError):
            await client.request(
                "GET", f"http://127.0.0.1:{port}/", extensions={"timeout": TIMEOUTS}
            )


@bounded
async def test_a_server_that_reads_nothing_is_a_write_timeout() -> None:
    async def read_nothing(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(TEST_SECONDS)

    body = b"x" * (64 * 1024 * 1024)  # more than the socket buffers of both ends hold
    async with serving(read_nothing) as port, pool() as client:
        with pytest.raises(httpcore.WriteTimeout):
            await client.request(
                "POST",
                f"http://127.0.0.1:{port}/",
                content=body,
                extensions={"timeout": {"write": 0.3}},
            )


@bounded
async def test_a_request_cancelled_from_outside_closes_its_socket() -> None:
    closed = asyncio.Event()

    async def headers_then_wait(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nbeginning")
        await reader.read()  # returns at end of stream: the client closed
        closed.set()

    async with serving(headers_then_wait) as port, pool() as client:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.3):  # an overall deadline, as the Fetcher has
                await client.request(
                    "GET", f"http://127.0.0.1:{port}/", extensions={"timeout": TIMEOUTS}
                )
        await asyncio.wait_for(closed.wait(), 2)


@bounded
async def test_a_refused_connection_is_a_connect_error_from_its_cause() -> None:
    async with serving(read_request) as port:
        pass  # the port is free again: nothing listens
    async with pool() as client:
        with pytest.raises(httpcore.ConnectError) as raised:
            await client.request(
                "GET", f"http://127.0.0.1:{port}/", extensions={"timeout": TIMEOUTS}
            )
    assert any(isinstance(cause, ConnectionRefusedError) for cause in chain(raised.value))


@bounded
async def test_a_socket_option_refused_is_a_connect_error_and_closes_the_socket() -> None:
    closed = asyncio.Event()

    async def wait_for_the_end(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()
        closed.set()

    nonsense = [(socket.SOL_SOCKET, 0x7FFF, 1)]  # no such option
    async with serving(wait_for_the_end) as port, pool(socket_options=nonsense) as client:
        with pytest.raises(httpcore.ConnectError, match="socket option refused"):
            await client.request(
                "GET", f"http://127.0.0.1:{port}/", extensions={"timeout": TIMEOUTS}
            )
        await asyncio.wait_for(closed.wait(), 2)


@bounded
async def test_closing_the_pool_closes_the_socket() -> None:
    closed = asyncio.Event()

    async def answer_then_wait(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(ok(b"ok"))
        await reader.read()
        closed.set()

    async with serving(answer_then_wait) as port:
        async with pool() as client:
            await client.request(
                "GET", f"http://127.0.0.1:{port}/", extensions={"timeout": TIMEOUTS}
            )
        await asyncio.wait_for(closed.wait(), 2)


# --- TLS ---------------------------------------------------------------------------------------


def trusting(cert: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(cert))


async def answer_secure(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await read_request(reader)
    writer.write(ok(b"secure"))
    await writer.drain()


@bounded
async def test_tls_with_a_trusted_certificate(certificate: tuple[Path, ssl.SSLContext]) -> None:
    cert, server_context = certificate
    async with (
        serving(answer_secure, tls=server_context) as port,
        pool(ssl_context=trusting(cert)) as client,
    ):
        response = await client.request(
            "GET", f"https://127.0.0.1:{port}/", extensions={"timeout": TIMEOUTS}
        )
    assert (response.status, response.content) == (200, b"secure")


@bounded
async def test_a_large_body_over_tls_read_late_arrives_whole(
    certificate: tuple[Path, ssl.SSLContext],
) -> None:
    cert, server_context = certificate
    body = bytes(range(256)) * (3 * HIGH_WATER // 256)

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(ok(body))
        await writer.drain()

    async with (
        serving(answer, tls=server_context) as port,
        pool(ssl_context=trusting(cert)) as client,
    ):
        url = f"https://127.0.0.1:{port}/"
        async with client.stream("GET", url, extensions={"timeout": TIMEOUTS}) as response:
            await asyncio.sleep(0.3)
            received = b"".join([part async for part in response.aiter_stream()])
    assert received == body


@bounded
async def test_tls_with_an_untrusted_certificate_fails_from_its_cause(
    certificate: tuple[Path, ssl.SSLContext],
) -> None:
    _, server_context = certificate
    trusting_nothing = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    async with (
        serving(answer_secure, tls=server_context) as port,
        pool(ssl_context=trusting_nothing) as client,
    ):
        with pytest.raises(httpcore.ConnectError) as raised:
            await client.request(
                "GET", f"https://127.0.0.1:{port}/", extensions={"timeout": TIMEOUTS}
            )
    assert any(isinstance(cause, ssl.SSLCertVerificationError) for cause in chain(raised.value))


async def pause_after_connecting(event: str, info: object) -> None:
    """An httpcore trace hook that waits between the TCP connection and the TLS handshake, as
    a proxy tunnel or another event loop could."""
    if event == "connection.connect_tcp.complete":
        await asyncio.sleep(0.1)


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
        writer.write(ok(b"genuine"))
        await writer.drain()

    async with serving(inject) as port, pool(ssl_context=trusting(cert)) as client:
        with pytest.raises(httpcore.ConnectError):
            await client.request(
                "GET",
                f"https://127.0.0.1:{port}/",
                extensions={"timeout": TIMEOUTS, "trace": pause_after_connecting},
            )


@bounded
async def test_a_handshake_on_a_closed_connection_fails_at_once() -> None:
    async def close_at_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        pass  # serving() closes the writer

    started = time.monotonic()
    async with (
        serving(close_at_once) as port,
        pool(ssl_context=ssl.create_default_context()) as client,
    ):
        with pytest.raises(httpcore.ConnectError):
            await client.request(
                "GET",
                f"https://127.0.0.1:{port}/",
                extensions={"timeout": TIMEOUTS, "trace": pause_after_connecting},
            )
    assert time.monotonic() - started < TIMEOUTS["connect"]
