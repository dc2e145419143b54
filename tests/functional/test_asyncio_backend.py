"""httpcore on tuireader's asyncio network backend, against real sockets on 127.0.0.1.

Each test runs a small asyncio server of its own that answers in the way under test: a body
larger than the read buffer, a connection closed while idle, silence, a TLS certificate.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from tests.feedserver import self_signed_certificate
from tuireader.core.httpstack import HIGH_WATER, AsyncioBackend, httpcore

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
TIMEOUTS = {"connect": 5.0, "read": 5.0, "write": 5.0, "pool": 5.0}


@asynccontextmanager
async def serving(handler: Handler, tls: ssl.SSLContext | None = None) -> AsyncIterator[int]:
    """An asyncio server on 127.0.0.1 for the block; its port."""
    server = await asyncio.start_server(handler, "127.0.0.1", 0, ssl=tls)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()


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


def pool(**options: object) -> httpcore.AsyncConnectionPool:
    return httpcore.AsyncConnectionPool(network_backend=AsyncioBackend(), **options)  # type: ignore[arg-type]


async def test_a_body_larger_than_the_buffer_arrives_whole() -> None:
    body = bytes(range(256)) * (4 * HIGH_WATER // 256)

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        await writer.drain()
        writer.close()

    async with serving(answer) as port, pool() as client:
        url = f"http://127.0.0.1:{port}/"
        async with client.stream("GET", url, extensions={"timeout": TIMEOUTS}) as response:
            await asyncio.sleep(0.3)  # the client reads late: its socket reading pauses
            received = b"".join([part async for part in response.aiter_stream()])
    assert response.status == 200
    assert received == body


async def test_a_connection_the_server_closed_while_idle_is_not_reused() -> None:
    connections = 0

    async def answer_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()
        writer.close()  # keep-alive was promised, but the server closes anyway

    async with serving(answer_once) as port, pool() as client:
        url = f"http://127.0.0.1:{port}/"
        first = await client.request("GET", url, extensions={"timeout": TIMEOUTS})
        await asyncio.sleep(0.1)  # the close arrives while the connection is idle
        second = await client.request("GET", url, extensions={"timeout": TIMEOUTS})
    assert (first.status, second.status) == (200, 200)
    assert connections == 2


async def test_kept_alive_connections_are_reused() -> None:
    connections = 0

    async def keep_answering(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        with pytest.raises(asyncio.IncompleteReadError):
            while True:
                await read_request(reader)
                writer.write(b"HTTP/1.1 304 Not Modified\r\n\r\n")
        writer.close()

    async with serving(keep_answering) as port, pool() as client:
        url = f"http://127.0.0.1:{port}/"
        statuses = [
            (await client.request("GET", url, extensions={"timeout": TIMEOUTS})).status
            for _ in range(5)
        ]
    assert statuses == [304] * 5
    assert connections == 1


async def test_a_silent_server_is_a_read_timeout() -> None:
    async def say_nothing(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(5)

    async with serving(say_nothing) as port, pool() as client:
        with pytest.raises(httpcore.ReadTimeout):
            await client.request(
                "GET", f"http://127.0.0.1:{port}/", extensions={"timeout": {"read": 0.2}}
            )


async def test_a_refused_connection_is_a_connect_error_from_its_cause() -> None:
    async with serving(read_request) as port:
        pass  # the port is free again: nothing listens
    async with pool() as client:
        with pytest.raises(httpcore.ConnectError) as raised:
            await client.request("GET", f"http://127.0.0.1:{port}/")
    assert any(isinstance(cause, ConnectionRefusedError) for cause in chain(raised.value))


async def test_closing_the_pool_closes_the_socket() -> None:
    closed = asyncio.Event()

    async def answer_then_wait(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await reader.read()  # returns at end of stream: the client closed
        closed.set()

    async with serving(answer_then_wait) as port:
        async with pool() as client:
            await client.request("GET", f"http://127.0.0.1:{port}/")
        await asyncio.wait_for(closed.wait(), 2)


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, ssl.SSLContext]:
    made = self_signed_certificate(tmp_path)
    if made is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    return made


async def answer_ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecure")
        await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
        pass  # the client refused the certificate
    finally:
        writer.close()


async def test_tls_with_a_trusted_certificate(certificate: tuple[Path, ssl.SSLContext]) -> None:
    cert, server_context = certificate
    trusting = ssl.create_default_context(cafile=str(cert))
    async with serving(answer_ok, tls=server_context) as port, pool(ssl_context=trusting) as client:
        response = await client.request(
            "GET", f"https://127.0.0.1:{port}/", extensions={"timeout": TIMEOUTS}
        )
    assert (response.status, response.content) == (200, b"secure")


async def test_tls_with_an_untrusted_certificate_fails_from_its_cause(
    certificate: tuple[Path, ssl.SSLContext],
) -> None:
    _, server_context = certificate
    trusting_nothing = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    async with (
        serving(answer_ok, tls=server_context) as port,
        pool(ssl_context=trusting_nothing) as client,
    ):
        with pytest.raises(httpcore.ConnectError) as raised:
            await client.request(
                "GET", f"https://127.0.0.1:{port}/", extensions={"timeout": TIMEOUTS}
            )
    assert any(isinstance(cause, ssl.SSLCertVerificationError) for cause in chain(raised.value))
