"""httpx and httpcore, loaded without what tuireader never runs, and a network backend for
httpcore on asyncio's own transports.

Import ``httpx`` and ``httpcore`` from here, never directly: the first import decides what
they load (and what they would load on first use is loaded here, not on the event loop).
httpx loads its command line (click, rich, pygments: about 45 ms) when it can and falls back
to a stub when that import fails; httpcore imports trio whenever it is installed (about
65 ms), only to run under trio. tuireader runs neither.

httpcore's default backend under asyncio goes through anyio, which costs a cancel scope, an
exception-mapping context and a ``getpeername`` call or two per socket operation: about a
quarter of a 304's client time. :class:`AsyncioBackend` implements httpcore's public network
backend interface (``httpcore.AsyncNetworkBackend``) on an ``asyncio.Protocol`` instead: a
read returns what has arrived or waits on one future, a write hands the bytes to the
transport, and an idle connection keeps reading, so "has the server closed it?" is answered
from state rather than by polling the socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import ssl
import sys
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["AsyncioBackend", "httpcore", "httpx"]


@contextlib.contextmanager
def _hidden_modules(*names: str) -> Iterator[None]:
    """Within the block, ``import name`` raises ImportError for those of ``names`` not loaded
    yet, so a library skips them where it treats them as optional."""
    hidden = [name for name in names if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # Python's "import blocked" mark
    try:
        yield
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


with _hidden_modules("httpx._main", "trio"):
    import httpcore
    import httpx

# httpcore's locks and cancel shields under asyncio are anyio's, and anyio loads its asyncio
# backend (about 25 ms of imports) with the first of them: on the event loop, in the reader's
# first refresh. It loads here instead, with this module (which the reader imports in a
# thread). A later anyio that moves the module only loses this head start.
with contextlib.suppress(ImportError):
    importlib.import_module("anyio._backends._asyncio")

# A connection stops reading from its socket when this much has arrived unread, and starts
# again when the reader has taken it below the low mark.
HIGH_WATER = 256 * 1024
LOW_WATER = 64 * 1024
HAPPY_EYEBALLS_DELAY = 0.25  # seconds before trying a host's next address (RFC 8305)


class _Connection(asyncio.Protocol):
    """One socket's received bytes, kept until the stream reads them, and its state."""

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self.transport: asyncio.Transport | None = None
        self.received = bytearray()
        self.ended = False  # the server closed its side, or the connection is lost
        self.error: BaseException | None = None
        self.closed: asyncio.Future[None] = self._loop.create_future()
        self._arrival: asyncio.Future[None] | None = None
        self._writable: asyncio.Future[None] | None = None
        self._paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.received += data
        if len(self.received) > HIGH_WATER and not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self.ended = True
        self._wake()
        return False  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.ended = True
        self.error = exc
        self._wake()
        self.resume_writing()
        if not self.closed.done():
            self.closed.set_result(None)

    def pause_writing(self) -> None:
        if self._writable is None:
            self._writable = self._loop.create_future()

    def resume_writing(self) -> None:
        writable, self._writable = self._writable, None
        if writable is not None and not writable.done():
            writable.set_result(None)

    async def arrival(self, seconds: float | None) -> None:
        """Wait until something arrives or the connection ends (TimeoutError after
        ``seconds``)."""
        if self.received or self.ended:
            return
        self._arrival = self._loop.create_future()
        try:
            async with asyncio.timeout(seconds):
                await self._arrival
        finally:
            self._arrival = None

    def switch_transport(self, transport: asyncio.Transport | None) -> None:
        """Read through ``transport`` from now on (None while a TLS handshake swaps it)."""
        self.transport = transport
        self._paused = False
        if transport is not None and len(self.received) > HIGH_WATER:
            # Data can arrive with the handshake's end, before the new transport is known.
            self._paused = True
            transport.pause_reading()

    def take(self, most: int) -> bytes:
        """Up to ``most`` of the received bytes, removed from the buffer."""
        data = bytes(self.received[:most])
        del self.received[:most]
        if self._paused and len(self.received) < LOW_WATER and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()
        return data

    async def drained(self, seconds: float | None) -> None:
        """Wait until the transport takes writes again, if it had asked to pause them."""
        writable = self._writable
        if writable is not None:
            async with asyncio.timeout(seconds):
                await asyncio.shield(writable)

    def _wake(self) -> None:
        arrival = self._arrival
        if arrival is not None and not arrival.done():
            arrival.set_result(None)


class _Stream(httpcore.AsyncNetworkStream):
    """httpcore's view of one connection (its methods' signatures are httpcore's)."""

    def __init__(self, transport: asyncio.Transport, connection: _Connection) -> None:
        self._transport = transport
        self._connection = connection

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:  # noqa: ASYNC109
        connection = self._connection
        try:
            await connection.arrival(timeout)
        except TimeoutError:
            raise httpcore.ReadTimeout(f"no data for {timeout} seconds") from None
        if connection.received:
            return connection.take(max_bytes)
        if connection.error is not None:
            raise httpcore.ReadError(str(connection.error)) from connection.error
        return b""  # the server closed the connection

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109
        if not buffer:
            return
        if self._transport.is_closing() or self._connection.ended:
            raise httpcore.WriteError("the connection is closed")
        self._transport.write(buffer)
        try:
            await self._connection.drained(timeout)
        except TimeoutError:
            raise httpcore.WriteTimeout(f"could not send for {timeout} seconds") from None
        if self._connection.error is not None:
            raise httpcore.WriteError(str(self._connection.error)) from self._connection.error

    async def aclose(self) -> None:
        # Abort, not close: nothing is left to send on a connection httpcore closes, and a TLS
        # close_notify exchange could keep the socket for seconds (anyio skips it as well).
        self._transport.abort()
        await asyncio.shield(self._connection.closed)

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
    ) -> httpcore.AsyncNetworkStream:
        connection = self._connection
        if connection.received or connection.ended or self._transport.is_closing():
            # Bytes that came in clear must never be read as if they came through TLS, and a
            # closed socket cannot finish a handshake (asyncio would wait for the timeout).
            self._transport.abort()
            raise httpcore.ConnectError("the server sent data or closed before the TLS handshake")
        loop = asyncio.get_running_loop()
        connection.switch_transport(None)
        try:
            async with asyncio.timeout(timeout):
                secured = await loop.start_tls(
                    self._transport, connection, ssl_context, server_hostname=server_hostname
                )
        except TimeoutError:
            self._transport.abort()
            raise httpcore.ConnectTimeout(f"TLS handshake took over {timeout} seconds") from None
        except OSError as error:  # ssl.SSLError included; a reset has no message of its own
            self._transport.abort()
            words = str(error) or "the server closed the connection during the TLS handshake"
            raise httpcore.ConnectError(words) from error
        if secured is None:  # the connection closed during the handshake
            raise httpcore.ConnectError("the connection closed during the TLS handshake")
        assert isinstance(secured, asyncio.Transport)
        connection.switch_transport(secured)
        return _Stream(secured, connection)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # asked of idle connections: has the server closed it?
            return bool(self._connection.received) or self._connection.ended
        name = _EXTRA_INFO.get(info)
        return None if name is None else self._transport.get_extra_info(name)


_EXTRA_INFO = {
    "ssl_object": "ssl_object",
    "client_addr": "sockname",
    "server_addr": "peername",
    "socket": "socket",
}


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend on asyncio's transports (TCP and TLS)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport, connection = await loop.create_connection(
                    _Connection,
                    host,
                    port,
                    local_addr=(local_address, 0) if local_address else None,
                    happy_eyeballs_delay=HAPPY_EYEBALLS_DELAY,
                )
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"no connection within {timeout} seconds") from None
        except OSError as error:  # refused, unreachable, name not found
            raise httpcore.ConnectError(str(error) or type(error).__name__) from error
        assert isinstance(transport, asyncio.Transport)
        # Options apply once connected (asyncio made the socket); httpx sets none by default.
        raw = transport.get_extra_info("socket")
        try:
            for option in socket_options or ():
                raw.setsockopt(*option)
        except OSError as error:
            transport.abort()
            raise httpcore.ConnectError(f"socket option refused: {error}") from error
        return _Stream(transport, connection)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
