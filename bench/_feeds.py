"""Generated Arabic feeds served on loopback, for benchmarks that fetch feeds.

Feeds are WordPress-style RSS 2.0 documents in Arabic (title, link, guid, pubDate,
dc:creator, two categories, description and a content:encoded of a few paragraphs, about
2-4 KB per item), generated deterministically from a seed. They are served by a separate
process, so that the server never competes for the GIL with a client measured in the
benchmark process, from several loopback addresses (127.0.0.1, 127.0.0.2, ...; all of
127.0.0.0/8 is loopback on Linux) so that per-host connection limits behave as with real
sites. Item links lead back to the loopback hosts, so nothing a client follows leaves the
machine. Every response carries an ``ETag`` and a ``Last-Modified``; conditional GETs get a
304, and gzip is sent to clients that ask for it. Connections are kept alive (HTTP/1.1).

API:

- ``feed_document(number, items, seed=..., site=...) -> bytes``: one feed, the same bytes
  every time; its item links are under ``site``.
- ``feed_paths(feeds, hosts) -> list[tuple[int, str]]``: (host index, path) of every feed.
- ``host_address(index) -> str``: the loopback address of a host (0 is 127.0.0.1).
- ``FeedServer(feeds, items, hosts=..., seed=...)``: a context manager that starts the server
  process and stops it on exit. ``urls`` lists the feed URLs in feed order;
  ``stats(reset=False)`` returns the responses counted so far by status ("200", "304",
  "404"), plus "gzip" (gzip-encoded bodies) and "bytes" (body bytes sent); ``reset=True``
  zeroes the counters after reading them.

Run as a script (``python3 bench/_feeds.py --feeds N --items M --hosts H``) it serves until
its standard input closes, after printing one JSON line: {"port": P, "urls": [...]}.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.request import urlopen
from xml.sax.saxutils import escape

DEFAULT_SEED = 2026
NEWEST = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)
STATS_PATH = "/__stats__"
MAX_HOSTS = 254

SUBJECTS = (
    "الحكومة",
    "وزارة الفلاحة",
    "البنك المركزي",
    "المجلس البلدي",
    "اتحاد الشغل",
    "رئيس الوزراء",
    "المندوبية السامية للتخطيط",
    "وزارة التربية الوطنية",
    "المكتب الوطني للكهرباء",
    "جمعية حماية المستهلك",
    "الجامعة الملكية لكرة القدم",
    "وزارة الصحة",
)
VERBS = (  # (verb, the preposition it takes before its object)
    ("أعلنت", ""),
    ("كشفت", "عن "),
    ("أكدت", ""),
    ("نفت", ""),
    ("قررت", ""),
    ("دعت", "إلى "),
    ("حذرت", "من "),
    ("رحبت", "بـ"),
    ("ناقشت", ""),
    ("أطلقت", ""),
)
OBJECTS = (
    "خطة جديدة لدعم الفلاحين الصغار",
    "ارتفاع أسعار المواد الغذائية الأساسية",
    "برنامجا لتأهيل الطرق القروية",
    "اتفاقية شراكة مع الاتحاد الأوروبي",
    "نتائج الإحصاء العام للسكان والسكنى",
    "إصلاح منظومة التقاعد",
    "حملة وطنية للتلقيح ضد الأنفلونزا",
    "مشروع قانون المالية للسنة المقبلة",
    "تمديد العمل بالدعم المباشر للأسر",
    "مشروع محطة لتحلية مياه البحر",
    "استعدادات المنتخب لكأس أمم أفريقيا",
    "تراجع نسبة البطالة في صفوف الشباب",
)
PLACES = (
    "في الرباط",
    "في جهة فاس مكناس",
    "بمدينة الدار البيضاء",
    "في الأقاليم الجنوبية",
    "بمدينة طنجة",
    "في جهة سوس ماسة",
    "بمدينة وجدة",
    "في العالم القروي",
)
TIMES = (
    "اليوم الأحد",
    "مساء أمس",
    "خلال الأسبوع الماضي",
    "في ندوة صحفية",
    "صباح اليوم",
    "في بلاغ رسمي",
    "بعد اجتماع مطول",
)
CLAUSES = (
    "وقال مصدر مطلع إن القرار جاء بعد مشاورات طويلة مع الفاعلين في القطاع",
    "وأشار التقرير إلى أن نسبة التضخم بلغت {n} في المائة خلال الربع الأخير",
    "ويرى خبراء أن هذه الخطوة قد تخفف من حدة الأزمة على المدى القصير",
    "وتأتي هذه المبادرة في سياق إقليمي يتسم بتقلب أسعار الطاقة",
    "وخصصت لهذا الغرض ميزانية تقدر بنحو {n} مليون درهم",
    "ولم يصدر أي تعليق رسمي من الجهات المعنية حتى الآن",
    "وطالبت المعارضة بفتح تحقيق برلماني في الموضوع",
    "وشارك في اللقاء ممثلون عن منظمة (OECD) والبنك الدولي",
)
CATEGORIES = ("سياسة", "اقتصاد", "مجتمع", "رياضة", "ثقافة", "دولي", "جهات", "تكنولوجيا")
AUTHORS = ("هيئة التحرير", "سعاد العلوي", "محمد بنعلي", "يوسف الإدريسي", "فاطمة الزهراء")
SOURCES = ("هسبريس", "الصباح", "المساء", "اليوم 24", "الأحداث", "العمق", "الأيام", "برلمان")


# --- the feeds ---------------------------------------------------------------------------------


def _sentence(chooser: random.Random) -> str:
    (verb, preposition), subject = chooser.choice(VERBS), chooser.choice(SUBJECTS)
    where, when, thing = chooser.choice(PLACES), chooser.choice(TIMES), chooser.choice(OBJECTS)
    opening = f"{verb} {subject} {where} {when} {preposition}{thing}"
    clause = chooser.choice(CLAUSES).format(n=chooser.randint(2, 900))
    return f"{opening}، {clause}."


def _paragraphs(chooser: random.Random, item_url: str) -> str:
    """Four or five paragraphs of two or three sentences, with a link and a bold phrase."""
    parts = []
    for number in range(chooser.randint(4, 5)):
        text = " ".join(_sentence(chooser) for _ in range(chooser.randint(2, 3)))
        if number == 1:
            text = f'{text} <a href="{item_url}#more">اقرأ المزيد</a>'
        if number == 2:
            text = f"<strong>{escape(chooser.choice(OBJECTS))}:</strong> {text}"
        parts.append(f"<p>{text}</p>")
    return "\n".join(parts)


def feed_document(
    number: int, items: int, *, seed: int = DEFAULT_SEED, site: str | None = None
) -> bytes:
    """The RSS 2.0 document of feed ``number`` with ``items`` items (the same for a seed).

    Item links and guids are under ``site`` (no trailing slash); by default a host of the
    reserved ``.example`` top-level domain, which never resolves.
    """
    chooser = random.Random(seed * 1_000_003 + number)
    site = site or f"http://site{number}.example"
    newest = NEWEST - timedelta(minutes=number)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "<channel>",
        f"<title>{escape(SOURCES[number % len(SOURCES)])} {number}</title>",
        f"<link>{site}/</link>",
        "<description>آخر الأخبار</description>",
        "<language>ar</language>",
        f"<lastBuildDate>{format_datetime(newest, usegmt=True)}</lastBuildDate>",
        "<generator>https://wordpress.org/?v=6.7</generator>",
    ]
    for index in range(items):
        post = number * 100_000 + index
        url = f"{site}/{newest:%Y/%m/%d}/post-{post}/"
        published = newest - timedelta(minutes=37 * index + chooser.randint(0, 30))
        (verb, preposition), subject = chooser.choice(VERBS), chooser.choice(SUBJECTS)
        title = f"{subject} {verb} {preposition}{chooser.choice(OBJECTS)}"
        first, second = chooser.sample(CATEGORIES, 2)
        lines += [
            "<item>",
            f"<title>{escape(title)} ({post})</title>",
            f"<link>{url}</link>",
            f'<guid isPermaLink="false">{site}/?p={post}</guid>',
            f"<pubDate>{format_datetime(published, usegmt=True)}</pubDate>",
            f"<dc:creator><![CDATA[{chooser.choice(AUTHORS)}]]></dc:creator>",
            f"<category><![CDATA[{first}]]></category>",
            f"<category><![CDATA[{second}]]></category>",
            f"<description><![CDATA[{_sentence(chooser)} [&#8230;]]]></description>",
            f"<content:encoded><![CDATA[{_paragraphs(chooser, url)}]]></content:encoded>",
            "</item>",
        ]
    lines += ["</channel>", "</rss>", ""]
    return "\n".join(lines).encode("utf-8")


def feed_paths(feeds: int, hosts: int) -> list[tuple[int, str]]:
    """(host index, URL path) of each feed: feed ``i`` lives on host ``i % hosts``."""
    return [(number % hosts, f"/feed/{number}/") for number in range(feeds)]


def host_address(index: int) -> str:
    """The loopback address of host ``index`` (0 is 127.0.0.1)."""
    if not 0 <= index < MAX_HOSTS:
        raise ValueError(f"at most {MAX_HOSTS} loopback hosts")
    return f"127.0.0.{index + 1}"


# --- the server process ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Document:
    body: bytes
    gzipped: bytes
    etag: str
    last_modified: datetime

    @classmethod
    def of(cls, body: bytes, modified: datetime) -> _Document:
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        return cls(body, gzip.compress(body, compresslevel=6, mtime=0), etag, modified)

    def not_modified(self, if_none_match: str | None, if_modified_since: str | None) -> bool:
        """RFC 9110 section 13.2.2: If-None-Match wins; weak comparison for GET."""
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or self.etag in tags
        if if_modified_since is None:
            return False
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError, IndexError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return self.last_modified <= since


class _Counters:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}

    def add(self, key: str, amount: int = 1) -> None:
        with self._lock:
            self._counts[key] = self._counts.get(key, 0) + amount

    def read(self, reset: bool) -> dict[str, int]:
        with self._lock:
            counts = dict(self._counts)
            if reset:
                self._counts.clear()
            return counts


def _accepts_gzip(accept_encoding: str) -> bool:
    for coding in accept_encoding.split(","):
        name, _, params = coding.partition(";")
        if name.strip().lower() in ("gzip", "x-gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _handler(documents: dict[str, _Document], counters: _Counters) -> type[BaseHTTPRequestHandler]:
    class FeedHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == STATS_PATH:
                payload = json.dumps(counters.read(reset="reset=1" in self.path)).encode()
                self._send(200, {"Content-Type": "application/json"}, payload)
                return
            document = documents.get(path)
            if document is None:
                counters.add("404")
                self._send(404, {"Content-Type": "text/plain"}, b"not found\n")
                return
            headers = {
                "ETag": document.etag,
                "Last-Modified": format_datetime(document.last_modified, usegmt=True),
                "Vary": "Accept-Encoding",
            }
            inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            if document.not_modified(inm, ims):
                counters.add("304")
                self.send_response(304)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                return
            body = document.body
            headers["Content-Type"] = "application/rss+xml; charset=UTF-8"
            if _accepts_gzip(self.headers.get("Accept-Encoding", "")):
                body = document.gzipped
                headers["Content-Encoding"] = "gzip"
                counters.add("gzip")
            counters.add("200")
            counters.add("bytes", len(body))
            self._send(200, headers, body)

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
            pass

    return FeedHandler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # many clients connect at once; a short backlog drops SYNs


def _bind_all(handlers: list[type[BaseHTTPRequestHandler]]) -> list[_Server]:
    """One server per loopback host, all on one port (another port is tried if it is taken)."""
    for _ in range(20):
        servers = [_Server((host_address(0), 0), handlers[0])]
        port = servers[0].server_address[1]
        try:
            for index, handler in enumerate(handlers[1:], start=1):
                servers.append(_Server((host_address(index), port), handler))
        except OSError:
            for server in servers:
                server.server_close()
            continue
        return servers
    raise OSError("no port is free on all the loopback hosts")


def serve(feeds: int, items: int, hosts: int, seed: int) -> None:
    """Serve the feeds until standard input closes; print {"port", "urls"} once listening.

    Item links point back to the feed's own loopback host (where they answer 404), so a
    client that follows them never leaves the machine, and the "404" count shows it did.
    """
    by_host: list[dict[str, _Document]] = [{} for _ in range(hosts)]
    counters = _Counters()
    servers = _bind_all([_handler(documents, counters) for documents in by_host])
    port = servers[0].server_address[1]
    for number, (host, path) in enumerate(feed_paths(feeds, hosts)):
        site = f"http://{host_address(host)}:{port}/site{number}"
        body = feed_document(number, items, seed=seed, site=site)
        by_host[host][path] = _Document.of(body, NEWEST - timedelta(minutes=number))
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    urls = [f"http://{host_address(host)}:{port}{path}" for host, path in feed_paths(feeds, hosts)]
    print(json.dumps({"port": port, "urls": urls}), flush=True)
    sys.stdin.read()  # the parent closes our stdin (or dies) to stop us
    for server in servers:
        server.shutdown()
        server.server_close()


class FeedServer:
    """The feed server in a child process, for the length of a ``with`` block."""

    def __init__(self, feeds: int, items: int, *, hosts: int = 1, seed: int = DEFAULT_SEED) -> None:
        if feeds < 1 or items < 0 or not 1 <= hosts <= MAX_HOSTS:
            raise ValueError(f"need feeds >= 1, items >= 0 and 1 <= hosts <= {MAX_HOSTS}")
        self.feeds, self.items, self.hosts, self.seed = feeds, items, min(hosts, feeds), seed
        self.urls: list[str] = []
        self.port = 0
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> Self:
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--feeds",
            str(self.feeds),
            "--items",
            str(self.items),
            "--hosts",
            str(self.hosts),
            "--seed",
            str(self.seed),
        ]
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            self._stop()
            raise RuntimeError("the feed server did not start")
        ready = json.loads(line)
        self.port, self.urls = int(ready["port"]), [str(url) for url in ready["urls"]]
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop()

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def stats(self, *, reset: bool = False) -> dict[str, int]:
        """Responses counted since the last reset, by status, plus "gzip" and "bytes"."""
        suffix = "?reset=1" if reset else ""
        url = f"http://{host_address(0)}:{self.port}{STATS_PATH}{suffix}"
        with urlopen(url, timeout=10) as response:
            counts: dict[str, int] = json.load(response)
        return counts


def main() -> None:
    """Serve feeds from the command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description="Serve generated Arabic feeds on loopback.")
    parser.add_argument("--feeds", type=int, default=10)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--hosts", type=int, default=1)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    options = parser.parse_args()
    serve(options.feeds, options.items, options.hosts, options.seed)


if __name__ == "__main__":
    main()
