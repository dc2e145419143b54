"""The demo news site, served on 127.0.0.1 so that the real fetch, parse and store path runs."""

from __future__ import annotations

import asyncio
import hashlib
import re
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from tuireader.core.config import Config, FeedConfig
from tuireader.core.models import FullText
from tuireader.core.refresh import refresh
from tuireader.demo.pages import article_pages

_PLACEHOLDER = re.compile(r"\{\{(BASE|RFC822|ISO)(?::(-?\d+))?\}\}")
_TYPES = {
    ".xml": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
}
_TEXT = frozenset({".xml", ".atom", ".json", ".html"})
# Feeds with whole articles in them: their pages are made from the feed (demo.pages).
_FULL_CONTENT_FEEDS = ("feeds/akhbar.xml", "feeds/dispatch.atom")

# The demo's subscriptions: path on the demo site, and settings.
DEMO_FEEDS: tuple[tuple[str, str | None, FullText], ...] = (
    ("feeds/akhbar.xml", None, FullText.AUTO),
    ("feeds/sada.xml", None, FullText.AUTO),
    ("feeds/dispatch.atom", None, FullText.AUTO),
)


def render(text: str, base: str, now: datetime) -> str:
    """Fill the site's placeholders: the server's address and dates relative to ``now``."""

    def fill(match: re.Match[str]) -> str:
        kind, offset = match.group(1), match.group(2)
        if kind == "BASE":
            return base
        moment = (now - timedelta(minutes=-int(offset or 0))).replace(second=0, microsecond=0)
        if kind == "RFC822":
            return format_datetime(moment)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    return _PLACEHOLDER.sub(fill, text)


def build_demo_database(database: Path, now: datetime | None = None) -> Config:
    """Fetch the demo site into ``database`` through the real refresh path; return its config."""
    with DemoSite(now) as site:
        config = Config(feeds=tuple(site.feeds()))
        asyncio.run(refresh(database, config))
    return config


# A fixed port keeps the demo's feed URLs, and so its read state, the same from run to run.
PREFERRED_PORT = 47823


class DemoPortBusy(OSError):
    """The demo's fixed port is taken (by another demo, say)."""


def _bind(handler: type[BaseHTTPRequestHandler], *, fixed_port: bool) -> ThreadingHTTPServer:
    try:
        return ThreadingHTTPServer(("127.0.0.1", PREFERRED_PORT), handler)
    except OSError as exc:
        if fixed_port:
            raise DemoPortBusy(
                f"the demo's port {PREFERRED_PORT} is in use (is another demo running?)"
            ) from exc
        return ThreadingHTTPServer(("127.0.0.1", 0), handler)


class DemoSite:
    """The demo site on a free loopback port, in a background thread. A context manager.

    ``fixed_port``: only on its usual port, else ``DemoPortBusy`` (a kept data directory
    knows the demo's feeds by their URLs, port included: another port would add them again).
    """

    def __init__(self, now: datetime | None = None, *, fixed_port: bool = False) -> None:
        self._root = resources.files("tuireader.demo") / "site"
        # Dates are fixed when the site starts, so a second refresh gets 304 Not Modified;
        # a given ``now`` makes every date reproducible (screenshots, snapshot tests).
        self._now = now or datetime.now(UTC)
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.answer(self)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

        self._server = _bind(Handler, fixed_port=fixed_port)
        self._pages: dict[str, str] | None = None
        self._pages_lock = threading.Lock()
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def feeds(self) -> list[FeedConfig]:
        """The subscriptions that read this site."""
        return [
            FeedConfig(url=f"{self.base}/{path}", section=section, full_text=full_text)
            for path, section, full_text in DEMO_FEEDS
        ]

    def __enter__(self) -> DemoSite:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _made_pages(self) -> dict[str, str]:
        """The article pages of the full-content feeds (``demo.pages``), made once."""
        with self._pages_lock:
            if self._pages is None:
                self._pages = {}
                for feed in _FULL_CONTENT_FEEDS:
                    text = render(
                        self._root.joinpath(feed).read_text("utf-8"), self.base, self._now
                    )
                    pages = article_pages(text)
                    self._pages.update({path.rstrip("/"): page for path, page in pages.items()})
            return self._pages

    def answer(self, request: BaseHTTPRequestHandler) -> None:
        path = unquote(urlsplit(request.path).path)
        # Names between slashes only, each joined under the site: "//etc" or "..%2F" in a
        # request must never reach another directory (PurePosixPath keeps a leading "//").
        parts = [part for part in path.split("/") if part not in ("", ".", "..")]
        if not path.startswith("/") or any("\\" in part or "\0" in part for part in parts):
            request.send_error(404, "Not Found")
            return
        resource = self._root.joinpath(*parts) if parts else None
        if resource is not None and resource.is_dir():
            resource = resource / "index.html"
        if resource is None or not resource.is_file():
            page = self._made_pages().get(path.rstrip("/"))
            if page is None:
                request.send_error(404, "Not Found")
                return
            suffix, body = ".html", page.encode()
        else:
            suffix = PurePosixPath(resource.name).suffix
            body = resource.read_bytes()
            if suffix in _TEXT:
                body = render(body.decode("utf-8"), self.base, self._now).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            request.send_response(304)
            request.send_header("ETag", etag)
            request.end_headers()
            return
        request.send_response(200)
        request.send_header("Content-Type", _TYPES.get(suffix, "text/html; charset=utf-8"))
        request.send_header("Content-Length", str(len(body)))
        request.send_header("ETag", etag)
        request.send_header("Last-Modified", format_datetime(self._now, usegmt=True))
        request.end_headers()
        request.wfile.write(body)
