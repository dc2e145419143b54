"""httpx, loaded without what tuireader never runs, and sockets on asyncio's transports.

Import ``httpx`` from here, never directly: the first import decides what it loads. httpx
loads its command line (click, rich, pygments: about 45 ms) when it can and falls back to a
stub when that import fails; tuireader never runs it.

:class:`SocketStream` is one TCP or TLS connection for ``core.http11``: a read returns what
has arrived or waits on one future, a write hands the bytes to the transport, reading pauses
while too much waits unread, an idle connection keeps reading (so "has the server closed
it?" is answered from state, not by polling the socket), and every failure is raised as
httpx's exception for it, chained to its cause.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import re
import ssl
import sys
from collections.abc import Iterator

__all__ = ["SocketStream", "connect", "hidden_modules", "httpx"]


@contextlib.contextmanager
def hidden_modules(*names: str) -> Iterator[None]:
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


with hidden_modules("httpx._main"):
    import httpx

# A connection stops reading from its socket when this much has arrived unread, and starts
# again when the reader has taken it below the low mark.
HIGH_WATER = 256 * 1024
LOW_WATER = 64 * 1024
HAPPY_EYEBALLS_DELAY = 0.25  # seconds before trying a host's next address (RFC 8305)


class _Protocol(asyncio.Protocol):
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


class SocketStream:
    """One connection: reads and writes with per-call timeouts, and TLS."""

    def __init__(self, transport: asyncio.Transport, protocol: _Protocol) -> None:
        self._transport = transport
        self._protocol = protocol

    @property
    def stale(self) -> bool:
        """Whether something arrived or the server closed its side: asked of an idle
        connection before it is used again (it is then not usable)."""
        return bool(self._protocol.received) or self._protocol.ended

    async def read(self, most: int, seconds: float | None) -> bytes:
        """Up to ``most`` bytes as soon as some have arrived; b"" once the server closed."""
        protocol = self._protocol
        if protocol.received or protocol.ended:
            # Let the event loop run between reads even when data is waiting: a server that
            # floods tiny pieces must not freeze the reader until the fetch's deadline.
            await asyncio.sleep(0)
        try:
            await protocol.arrival(seconds)
        except TimeoutError:
            raise httpx.ReadTimeout(f"no data for {seconds} seconds") from None
        if protocol.received:
            return protocol.take(most)
        if protocol.error is not None:
            raise httpx.ReadError(str(protocol.error)) from protocol.error
        return b""

    async def write(self, data: bytes, seconds: float | None) -> None:
        """Send ``data``, waiting (at most ``seconds``) while the transport is full."""
        if not data:
            return
        if self._transport.is_closing() or self._protocol.ended:
            raise httpx.WriteError("the connection is closed")
        self._transport.write(data)
        try:
            await self._protocol.drained(seconds)
        except TimeoutError:
            raise httpx.WriteTimeout(f"could not send for {seconds} seconds") from None
        if self._protocol.error is not None:
            raise httpx.WriteError(str(self._protocol.error)) from self._protocol.error

    def abort(self) -> None:
        """Close at once. Nothing is left to send on a connection that is given up, and a
        TLS close_notify exchange could keep the socket for seconds."""
        self._transport.abort()

    async def aclose(self) -> None:
        """Close at once and wait until the socket is closed."""
        self._transport.abort()
        await asyncio.shield(self._protocol.closed)

    async def start_tls(
        self, context: ssl.SSLContext, server_hostname: str, seconds: float | None
    ) -> SocketStream:
        """The same connection through TLS (this stream is not to be used after it)."""
        protocol = self._protocol
        if protocol.received or protocol.ended or self._transport.is_closing():
            # Bytes that came in clear must never be read as if they came through TLS, and a
            # closed socket cannot finish a handshake (asyncio would wait for the timeout).
            self._transport.abort()
            raise httpx.ConnectError("the server sent data or closed before the TLS handshake")
        loop = asyncio.get_running_loop()
        protocol.switch_transport(None)
        try:
            async with asyncio.timeout(seconds):
                secured = await loop.start_tls(
                    self._transport, protocol, context, server_hostname=server_hostname
                )
        except TimeoutError:
            self._transport.abort()
            raise httpx.ConnectTimeout(f"TLS handshake took over {seconds} seconds") from None
        except OSError as error:  # ssl.SSLError included; a reset has no message of its own
            self._transport.abort()
            words = str(error) or "the server closed the connection during the TLS handshake"
            raise httpx.ConnectError(words) from error
        if secured is None:  # the connection closed during the handshake
            self._transport.abort()
            raise httpx.ConnectError("the connection closed during the TLS handshake")
        assert isinstance(secured, asyncio.Transport)
        protocol.switch_transport(secured)
        return SocketStream(secured, protocol)


async def connect(host: str, port: int, seconds: float | None) -> SocketStream:
    """A TCP connection to ``host`` (its addresses tried as RFC 8305 says)."""
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(seconds):
            transport, protocol = await loop.create_connection(
                _Protocol, host, port, happy_eyeballs_delay=HAPPY_EYEBALLS_DELAY
            )
    except TimeoutError:
        raise httpx.ConnectTimeout(f"no connection within {seconds} seconds") from None
    except OSError as error:  # refused, unreachable, name not found
        raise httpx.ConnectError(str(error) or type(error).__name__) from _telling(error)
    assert isinstance(transport, asyncio.Transport)
    return SocketStream(transport, protocol)


_ERRNO_IN_TEXT = re.compile(r"\[Errno (\d+)\]")
# Of a host's several addresses that failed, the failure worth telling comes first: the
# server's own answer before what the local network could not reach.
_TELLING_ERRNOS = (
    errno.ECONNREFUSED,
    errno.ECONNRESET,
    errno.ETIMEDOUT,
    errno.EHOSTUNREACH,
    errno.ENETUNREACH,
)


def _telling(error: OSError) -> OSError:
    """``error``, or for a host whose addresses all failed, the most telling of their
    failures (chained to ``error``).

    asyncio (before Python 3.12's ``all_errors``) folds those failures into one OSError with
    no errno, "Multiple exceptions: [Errno 111] Connect call failed ..., [Errno 101] ...";
    without an errno the reason (connection refused) would be lost to the user.
    """
    if error.errno is not None:
        return error
    found = {int(code) for code in _ERRNO_IN_TEXT.findall(str(error))}
    for code in _TELLING_ERRNOS:
        if code in found:
            telling = OSError(code, os.strerror(code))
            telling.__cause__ = error
            return telling
    return error
