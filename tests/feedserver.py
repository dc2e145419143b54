"""A programmable HTTP server on 127.0.0.1 for tests that need a real network peer.

Usage::

    with FeedServer() as server:
        server.routes["/feed.xml"] = Response(body=xml, headers={"ETag": '"v1"'})
        server.routes["/old"] = redirect(server.url("/feed.xml"), status=301)
        server.routes["/slow"] = lambda request: Response(body=server.drip())
        url = server.url("/feed.xml")            # http://127.0.0.1:<port>/feed.xml
        ...
        server.hits("/feed.xml"); server.requests("/feed.xml")[-1].headers["if-none-match"]

``routes`` maps a path (no query string) to a :class:`Response` or to a handler called with
the :class:`RecordedRequest` that returns one; tests may change it between requests. An
unknown path answers 404. Every request is recorded, and the server counts how many requests
are in flight at once, per ``Host`` name (``max_in_flight``). Pass an ``ssl.SSLContext`` to
serve HTTPS. The server runs in a background thread; leaving the ``with`` block stops it and
cuts every open connection, so no thread outlives the test.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit

_CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, ssl.SSLError)


@dataclass
class Response:
    """What to answer. A ``body`` that is an iterable of chunks is streamed chunk by chunk,
    flushed after each, and the connection is closed after it (no Content-Length unless you
    set one in ``headers``). ``delay`` seconds are waited before the status line is sent."""

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class RecordedRequest:
    """A request as the server saw it; header names are lower-case."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    host: str  # the Host header without the port
    at: float  # time.monotonic() when it arrived


Handler = Callable[[RecordedRequest], Response]
Route = Response | Handler


def redirect(location: str, status: int = 301) -> Response:
    """A redirect to ``location`` with the given 3xx status."""
    return Response(status=status, headers={"Location": location})


def self_signed_certificate(directory: Path) -> tuple[Path, ssl.SSLContext] | None:
    """A self-signed certificate for 127.0.0.1 made in ``directory`` with the openssl command:
    its file and a server context that uses it; None without openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
         "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return cert, context


class FeedServer:
    """A threaded HTTP(S) server on 127.0.0.1 and an OS-chosen port; see the module docstring."""

    def __init__(self, *, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.errors: list[BaseException] = []  # exceptions raised by handlers (answered 500)
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._in_flight: dict[str, int] = {}
        self._max_in_flight: dict[str, int] = {}
        self._connections: set[socket.socket] = set()
        self._httpd = _Server(self, tls)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._scheme = "https" if tls is not None else "http"

    # --- lifecycle ---

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving, end streaming and delayed answers, and cut open connections."""
        self.stopping.set()
        if self._thread.is_alive():
            self._httpd.shutdown()
        self._httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    # --- addresses ---

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._httpd.server_address[1])

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        """The URL of ``path`` on this server; ``host="localhost"`` gives a second host name."""
        return f"{self._scheme}://{host}:{self.port}{path}"

    # --- what happened ---

    def requests(self, path: str | None = None) -> list[RecordedRequest]:
        """The requests received so far (for ``path`` only, if given), oldest first."""
        with self._lock:
            return [r for r in self._requests if path is None or r.path == path]

    def hits(self, path: str) -> int:
        """How many requests ``path`` has received."""
        return len(self.requests(path))

    def max_in_flight(self, host: str | None = None) -> int:
        """The most requests handled at the same time (for one ``Host`` name, if given)."""
        with self._lock:
            if host is not None:
                return self._max_in_flight.get(host, 0)
            return max(self._max_in_flight.values(), default=0)

    # --- helpers for routes ---

    def drip(self, chunk: bytes = b"x", interval: float = 0.1) -> Iterator[bytes]:
        """Chunks forever, one every ``interval`` seconds, until the server stops."""
        while not self.stopping.wait(interval):
            yield chunk

    # --- used by the request handler ---

    def _begin(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)
            count = self._in_flight.get(request.host, 0) + 1
            self._in_flight[request.host] = count
            self._max_in_flight[request.host] = max(self._max_in_flight.get(request.host, 0), count)

    def _end(self, request: RecordedRequest) -> None:
        with self._lock:
            self._in_flight[request.host] -= 1

    def _respond(self, request: RecordedRequest) -> Response:
        route = self.routes.get(request.path)
        if route is None:
            return Response(status=404, body=b"not found")
        if isinstance(route, Response):
            return route
        try:
            return route(request)
        except Exception as exc:
            self.errors.append(exc)
            return Response(status=500, body=b"handler failed")

    def _track(self, connection: socket.socket, open_: bool) -> None:
        with self._lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # close() cuts connections instead of waiting for keep-alive peers

    def __init__(self, owner: FeedServer, tls: ssl.SSLContext | None) -> None:
        self.owner = owner
        self.tls = tls
        super().__init__(("127.0.0.1", 0), _RequestHandler)

    def get_request(self) -> tuple[socket.socket, tuple[str, int]]:
        connection, address = self.socket.accept()
        if self.tls is not None:
            # The handshake runs in the handler thread, so a refused one cannot stall accept().
            connection = self.tls.wrap_socket(
                connection, server_side=True, do_handshake_on_connect=False
            )
        return connection, address

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up and refused TLS handshakes are expected in these tests


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms stalls
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.owner._track(self.connection, open_=True)

    def finish(self) -> None:
        self.server.owner._track(self.connection, open_=False)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        owner = self.server.owner
        target = urlsplit(self.path)
        host_header = self.headers.get("Host", "")
        recorded = RecordedRequest(
            method=self.command,
            path=target.path,
            query=target.query,
            headers={name.lower(): value for name, value in self.headers.items()},
            host=urlsplit(f"//{host_header}").hostname or "",
            at=time.monotonic(),
        )
        owner._begin(recorded)
        try:
            response = owner._respond(recorded)
            if response.delay and owner.stopping.wait(response.delay):
                self.close_connection = True
                return
            self._write(response, send_body=send_body)
        except _CLIENT_GONE:
            self.close_connection = True
        finally:
            owner._end(recorded)

    def _write(self, response: Response, *, send_body: bool) -> None:
        has_body = response.status >= 200 and response.status not in (204, 304)
        names = {name.lower() for name in response.headers}
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if isinstance(response.body, bytes):
            if has_body and "content-length" not in names:
                self.send_header("Content-Length", str(len(response.body)))
            chunks: Iterable[bytes] = [response.body]
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
            chunks = response.body
        self.end_headers()
        if not (send_body and has_body):
            return
        for chunk in chunks:
            self.wfile.write(chunk)
            self.wfile.flush()
