"""Connections for a refresh: a small keep-alive pool per origin, as one httpx transport."""

from __future__ import annotations

import asyncio
import ssl
import urllib.request
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass

from tuireader.core.http11 import OriginPool
from tuireader.core.httpstack import hidden_modules, httpx

__all__ = ["KEEPALIVE_SECONDS", "KEPT_IDLE", "HostPools", "UnusableProxy"]

KEPT_IDLE = 2  # connections kept alive per host between its feeds
KEEPALIVE_SECONDS = 4.0  # an idle connection is closed after this long: before the server's
# own timeout (Apache's is 5 s), so a connection is not reused just as the server closes it


class UnusableProxy(Exception):
    """The proxy the environment names is not one httpx can use (an unknown scheme, say)."""

    def __init__(self, proxy: str) -> None:
        scheme, separator, rest = proxy.partition("://")
        shown = scheme + separator + rest.rpartition("@")[2]  # never a user:password
        super().__init__(f"unusable proxy {shown}")
        self.proxy = shown


_PoolKey = tuple[str, str, int | None]


@dataclass(slots=True)
class _HostPool:
    transport: httpx.AsyncBaseTransport
    active: int = 0  # responses handed out and not yet closed


class _Released(httpx.AsyncByteStream):
    """A response body that tells its pool when it is closed."""

    def __init__(self, stream: httpx.AsyncByteStream, pool: _HostPool) -> None:
        self._stream = stream
        self._pool: _HostPool | None = pool

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for part in self._stream:
            yield part

    async def aclose(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        try:
            await self._stream.aclose()
        finally:
            pool.active -= 1


async def _close_all(pools: list[_HostPool]) -> None:
    """Close the pools' connections: ours at once, before any await a cancellation could stop."""
    for pool in pools:
        if isinstance(pool.transport, OriginPool):
            pool.transport.abort()
    for pool in pools:
        await pool.transport.aclose()


class HostPools(httpx.AsyncBaseTransport):
    """An httpx transport with one small connection pool per origin (scheme, host, port).

    One shared pool would either close a host's idle connection to open another host's (a
    refresh cycling through more hosts than connections then never reuses one) or, made large,
    check every idle connection on each request. Here a host's feeds reuse its connections,
    and at most ``max_hosts`` pools are kept: the least recently used idle one is closed.
    Direct connections are ``core.http11`` pools; a proxied request goes through httpx's own
    transport for that proxy. The trusted CA certificates are loaded (about 30 ms) with the
    first https URL only, the same way httpx loads them (certifi, or ``SSL_CERT_FILE`` /
    ``SSL_CERT_DIR``); plain http pools get a context that trusts nothing, so an https
    request could never pass through one unverified. Proxies come from
    the environment (``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY``, ``NO_PROXY``), as
    httpx's client reads them.
    """

    def __init__(self, *, per_host: int, proxy_connections: int, max_hosts: int) -> None:
        # The fetcher lets ``per_host`` requests run at once per host; at most KEPT_IDLE of
        # their connections are kept idle, so that a host's next feed reuses one and servers
        # are not left holding many idle sockets.
        self._per_host = per_host
        self._via_proxy = httpx.Limits(
            max_connections=proxy_connections, max_keepalive_connections=proxy_connections
        )
        self._max_hosts = max(1, max_hosts)
        self._pools: OrderedDict[_PoolKey, _HostPool] = OrderedDict()
        self._proxies = {
            scheme: proxy if "://" in proxy else f"http://{proxy}"  # host:port, as httpx reads it
            for scheme, proxy in urllib.request.getproxies_environment().items()
        }
        self._trusted: ssl.SSLContext | None = None
        self._trusting_nothing = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies, no CAs

    @property
    def open_pools(self) -> int:
        """How many origins have a pool now."""
        return len(self._pools)

    @property
    def tls_loaded(self) -> bool:
        """Whether the trusted certificates have been loaded (an https URL was fetched)."""
        return self._trusted is not None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        proxy = self._proxy_for(request.url)
        if self._trusted is None and (request.url.scheme == "https" or proxy is not None):
            # Reading the CA certificates takes about 30 ms: not on the event loop.
            context = await asyncio.to_thread(httpx.create_ssl_context)
            self._trusted = self._trusted or context
        pool, evicted = self._take(request.url, proxy)
        try:
            await _close_all(evicted)
            response = await pool.transport.handle_async_request(request)
        except BaseException:
            pool.active -= 1
            raise
        stream = response.stream
        assert isinstance(stream, httpx.AsyncByteStream)  # what an async transport returns
        response.stream = _Released(stream, pool)
        return response

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), OrderedDict()
        await _close_all(pools)

    def _take(self, url: httpx.URL, proxy: str | None) -> tuple[_HostPool, list[_HostPool]]:
        """The pool for ``url`` (through ``proxy``), counted as in use, and the idle pools it
        pushed out."""
        key: _PoolKey = ("proxy", proxy, None) if proxy else (url.scheme, url.host, url.port)
        pool = self._pools.get(key)
        if pool is not None:
            self._pools.move_to_end(key)
            pool.active += 1
            return pool, []
        try:
            transport = self._transport(url, proxy)
        except (ValueError, ImportError):  # a proxy URL httpx cannot use (gopher://, socks5://)
            raise UnusableProxy(str(proxy)) from None
        pool = self._pools[key] = _HostPool(transport)
        pool.active += 1
        surplus = len(self._pools) - self._max_hosts
        idle = [k for k, p in self._pools.items() if p.active == 0][: max(surplus, 0)]
        return pool, [self._pools.pop(k) for k in idle]

    def _transport(self, url: httpx.URL, proxy: str | None) -> httpx.AsyncBaseTransport:
        if proxy is not None:
            # httpx's transport (and httpcore under it) loads with the first proxied request;
            # httpcore would import trio, when installed, only to run under trio.
            with hidden_modules("trio"):
                return httpx.AsyncHTTPTransport(
                    verify=self._trusted_context(), limits=self._via_proxy, proxy=proxy
                )
        tls = self._trusted_context() if url.scheme == "https" else self._trusting_nothing
        return OriginPool(
            tls=tls, kept_idle=min(self._per_host, KEPT_IDLE), keepalive=KEEPALIVE_SECONDS
        )

    def _trusted_context(self) -> ssl.SSLContext:
        if self._trusted is None:
            self._trusted = httpx.create_ssl_context()
        return self._trusted

    def _proxy_for(self, url: httpx.URL) -> str | None:
        if not self._proxies:
            return None
        proxy = self._proxies.get(url.scheme) or self._proxies.get("all")
        # urllib compares NO_PROXY entries with the host and with host:port.
        host = f"{url.host}:{url.port}" if url.port else url.host
        if not proxy or urllib.request.proxy_bypass(host):
            return None
        return proxy
