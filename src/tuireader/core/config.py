"""The TOML configuration: read with precise errors, edited without losing comments."""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuireader.core.models import Direction, FullText
from tuireader.core.urls import is_feed_url, same_feed_key
from tuireader.text.sanitize import sanitize_text

if TYPE_CHECKING:
    import tomlkit

BIDI_MODES = ("auto", "app", "terminal", "off")
SHAPE_MODES = ("auto", "on", "off")
LANGUAGES = ("auto", "en", "ar")


class ConfigError(Exception):
    """A configuration file that cannot be used, with the file, line and key named."""


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """One subscription."""

    url: str
    title: str | None = None
    section: str | None = None
    direction: Direction = Direction.AUTO
    full_text: FullText = FullText.AUTO


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """How politely and how often feeds are fetched."""

    refresh_interval: int = 60  # minutes between background refreshes
    concurrency: int = 16
    per_host: int = 4
    timeout: float = 10.0  # seconds, per network operation
    deadline: float = 20.0  # seconds, per feed overall
    max_size_mb: int = 20


@dataclass(frozen=True, slots=True)
class UIConfig:
    """How the reader looks."""

    bidi: str = "auto"
    shape: str = "auto"
    language: str = "auto"
    theme: str = "tuireader-dark"


@dataclass(frozen=True, slots=True)
class Config:
    """The whole configuration."""

    feeds: tuple[FeedConfig, ...] = ()
    fetch: FetchConfig = field(default_factory=FetchConfig)
    ui: UIConfig = field(default_factory=UIConfig)
    keys: dict[str, str] = field(default_factory=dict)


TEMPLATE = """\
# tuireader configuration. Lines starting with # are comments and are kept when
# tuireader edits this file (tuireader feeds add / remove / import).

[fetch]
# refresh_interval = 60   # minutes between background refreshes in the reader
# concurrency = 16        # feeds fetched at once
# per_host = 4            # connections to one host at once
# timeout = 10            # seconds for each network operation
# deadline = 20           # seconds a feed may take in all
# max_size_mb = 20        # larger feeds are refused

[ui]
# bidi = "auto"           # auto | app | terminal | off: who reorders right-to-left text
# shape = "auto"          # auto | on | off: send joined Arabic letter forms
# language = "auto"       # auto | en | ar
# theme = "tuireader-dark"

# One [[feed]] table per subscription:
# [[feed]]
# url = "https://example.org/feed"
# title = "Example"       # optional: overrides the feed's own title
# section = "سياسة"       # optional: every article of this feed goes to this section
# direction = "auto"      # auto | rtl | ltr
# full_text = "auto"      # auto | always | never: fetch the article page
"""


def load_config(path: Path) -> Config:
    """Read ``path``; a missing file is an empty configuration. Raises ConfigError."""
    text = _read_text(path)
    return Config() if text is None else parse_config(text, path)


def _read_text(path: Path) -> str | None:
    """The file's text, None when there is no file; ConfigError when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the file ({exc})") from exc


def parse_config(text: str, path: Path) -> Config:
    """Parse configuration ``text`` read from ``path`` (named in errors)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    return _Validator(text, path).config(data)


# The reader's key bindings that [keys] can change, by id (the TUI's bindings carry them).
KEY_IDS = frozenset(
    {
        "quit",
        "refresh",
        "help",
        "bidi",
        "calibrate",
        "next-pane",
        "previous-pane",
        "pane-right",
        "pane-left",
        "back",
        "next-unread",
        "previous-unread",
        "star",
        "toggle-read",
        "full-text",
        "open",
        "copy-link",
        "related",
        "search",
        "demo",
    }
)


class _Validator:
    """Turns parsed TOML into a Config, naming file, line and key on the first problem."""

    def __init__(self, text: str, path: Path) -> None:
        self._text = text
        self._path = path

    def fail(self, key: str, message: str, table: str | None = None, index: int = 0) -> ConfigError:
        line = _line_of_key(self._text, key.rsplit(".", 1)[-1], table, index)
        where = f"line {line}, " if line else ""
        return ConfigError(f"{self._path}: {where}key '{key}': {message}")

    def config(self, data: dict[str, Any]) -> Config:
        known = {"feed", "fetch", "ui", "keys"}
        for key in data:
            if key not in known:
                raise self.fail(key, "unknown setting (expected one of: feed, fetch, ui, keys)")
        feeds_raw = data.get("feed", [])
        if not isinstance(feeds_raw, list):
            raise self.fail("feed", "must be a list of [[feed]] tables")
        feeds = tuple(self.feed(raw, i) for i, raw in enumerate(feeds_raw))
        keys = data.get("keys", {})
        if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
            raise self.fail("keys", 'must be a table of action = "key" strings')
        for action, key in keys.items():
            if action not in KEY_IDS:
                ids = " ".join(sorted(KEY_IDS))
                raise self.fail(f"keys.{action}", f"no such key binding (ids: {ids})", "[keys]")
            if not key.strip(" ,"):
                raise self.fail(f"keys.{action}", 'must name a key, such as "R"', "[keys]")
        return Config(
            feeds=feeds,
            fetch=self.fetch(self.table(data, "fetch")),
            ui=self.ui(self.table(data, "ui")),
            keys=dict(keys),
        )

    def table(self, data: dict[str, Any], name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise self.fail(name, "must be a table")
        return value

    def feed(self, raw: Any, index: int) -> FeedConfig:
        prefix = f"feed[{index + 1}]"
        if not isinstance(raw, dict):
            raise self.fail(prefix, "must be a table")
        allowed = {"url", "title", "section", "direction", "full_text"}
        for key in raw:
            if key not in allowed:
                raise self.fail(f"{prefix}.{key}", "unknown feed setting", "[[feed]]", index)
        url = raw.get("url")
        if not isinstance(url, str) or not url.strip():
            raise self.fail(f"{prefix}.url", "every feed needs a url", "[[feed]]", index)
        if not is_feed_url(url.strip()):
            raise self.fail(
                f"{prefix}.url", "only http and https feed URLs are supported", "[[feed]]", index
            )
        values: dict[str, Any] = {"url": url.strip()}
        for key in ("title", "section"):
            if key in raw:
                if not isinstance(raw[key], str):
                    raise self.fail(f"{prefix}.{key}", "must be a string", "[[feed]]", index)
                # Printed and shown like a feed's own strings: sanitized the same way.
                values[key] = _clean(raw[key]) or None
        for key, enum in (("direction", Direction), ("full_text", FullText)):
            if key in raw:
                choices = [m.value for m in enum]
                if raw[key] not in choices:
                    raise self.fail(
                        f"{prefix}.{key}", f"must be one of {', '.join(choices)}", "[[feed]]", index
                    )
                values[key] = enum(raw[key])
        return FeedConfig(**values)

    def fetch(self, raw: dict[str, Any]) -> FetchConfig:
        config = FetchConfig()
        limits = {
            "refresh_interval": (int, 1, 60 * 24 * 31),
            "concurrency": (int, 1, 256),
            "per_host": (int, 1, 64),
            "timeout": (float, 0.5, 600),
            "deadline": (float, 1, 3600),
            "max_size_mb": (int, 1, 1024),
        }
        for key, value in raw.items():
            if key not in limits:
                raise self.fail(f"fetch.{key}", "unknown setting", "[fetch]")
            kind, low, high = limits[key]
            ok_type = isinstance(value, int | float) if kind is float else isinstance(value, int)
            if isinstance(value, bool) or not ok_type or not low <= value <= high:
                raise self.fail(f"fetch.{key}", f"must be a number from {low} to {high}", "[fetch]")
            config = replace(config, **{key: kind(value)})
        return config

    def ui(self, raw: dict[str, Any]) -> UIConfig:
        config = UIConfig()
        choices: dict[str, tuple[str, ...] | None] = {
            "bidi": BIDI_MODES,
            "shape": SHAPE_MODES,
            "language": LANGUAGES,
            "theme": None,
        }
        for key, value in raw.items():
            if key not in choices:
                raise self.fail(f"ui.{key}", "unknown setting", "[ui]")
            allowed = choices[key]
            if not isinstance(value, str) or (allowed is not None and value not in allowed):
                expected = f"one of {', '.join(allowed)}" if allowed else "a string"
                raise self.fail(f"ui.{key}", f"must be {expected}", "[ui]")
            config = replace(config, **{key: value})
        return config


def _clean(value: str | None) -> str:
    """A title or section as it is stored: sanitized, its runs of whitespace one space."""
    return " ".join(sanitize_text(value or "").split())


def _line_of_key(text: str, key: str, table: str | None, index: int) -> int | None:
    """Best-effort line number (1-based) of ``key``, looked for from the ``index``-th header
    of ``table`` ("[fetch]", "[[feed]]") on; in an inline or dotted table
    (``fetch = {timeout = 1}``, ``fetch.timeout = 1``) from the top."""
    lines = text.splitlines()
    start = 0
    if table is not None:
        brackets = "[[" if table.startswith("[[") else "["
        name = re.escape(table.strip("[]"))
        opening, closing = re.escape(brackets), re.escape(brackets.replace("[", "]"))
        header = re.compile(rf"^\s*{opening}\s*{name}\s*{closing}\s*(#.*)?$")
        headers = [i for i, line in enumerate(lines) if header.match(line)]
        if index < len(headers):
            start = headers[index]
    pattern = re.compile(rf"(^|[\s{{,.]){re.escape(key)}\s*=")
    header_pattern = re.compile(rf"^\s*\[+\s*{re.escape(key)}\s*\]+")
    for number in range(start, len(lines)):
        code = lines[number].split("#", 1)[0]  # "# timeout = 10" in the template is no key
        if pattern.search(code) or header_pattern.match(code):
            return number + 1
    return None


# --- editing -----------------------------------------------------------------------------------
# tomlkit keeps comments when a command edits the file; reading needs only tomllib, so
# tomlkit is imported by the functions that edit (it costs start-up time otherwise).


def _text_to_edit(path: Path) -> tuple[str, Config]:
    """The file's text (the commented template when there is none) and its configuration;
    ConfigError for a file that is already broken, which is never edited."""
    text = _read_text(path)
    if text is None:
        text = TEMPLATE
    return text, parse_config(text, path)


def _read_document(path: Path) -> tomlkit.TOMLDocument:
    import tomlkit

    return tomlkit.parse(_text_to_edit(path)[0])


def _write_document(path: Path, document: tomlkit.TOMLDocument) -> None:
    import tomlkit

    _write_text(path, tomlkit.dumps(document))


def _write_text(path: Path, text: str) -> None:
    """Write atomically, so that a crash never leaves half a config file: through a symlink
    (dotfile managers link the file), keeping the file's permissions."""
    target = path.resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        handle, temporary = tempfile.mkstemp(prefix=".config-", dir=target.parent)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the file ({exc})") from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ConfigError(f"{path}: cannot write the file ({exc})") from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def add_feeds(path: Path, feeds: list[FeedConfig]) -> list[FeedConfig]:
    """Append the feeds not already subscribed to; return those added. Comments are kept:
    each new ``[[feed]]`` table goes at the end of the file, after a blank line."""
    text, before = _text_to_edit(path)
    existing = {same_feed_key(feed.url) for feed in before.feeds}
    added: list[FeedConfig] = []
    tables: list[dict[str, str]] = []
    for feed in feeds:
        if same_feed_key(feed.url) in existing:
            continue
        table = {"url": feed.url}
        for key, value in (("title", feed.title), ("section", feed.section)):
            if clean := _clean(value):
                table[key] = clean
        if feed.direction is not Direction.AUTO:
            table["direction"] = feed.direction.value
        if feed.full_text is not FullText.AUTO:
            table["full_text"] = feed.full_text.value
        tables.append(table)
        existing.add(same_feed_key(feed.url))
        added.append(feed)
    if not added:
        return added
    document = _with_feed_tables(text, tables)
    after = _parses_to(document, path)
    wanted = [*before.feeds, *added]
    if after is None or [f.url for f in after.feeds] != [f.url for f in wanted]:
        # A layout plain text cannot extend (an inline "feed = [...]").
        document = _with_feed_tables_tomlkit(text, tables)
    _write_text(path, document)
    return added


def _with_feed_tables(text: str, tables: list[dict[str, str]]) -> str:
    import tomlkit

    parts = [text.rstrip("\n") + "\n" if text.strip() else ""]
    for table in tables:
        settings = "".join(
            f"{key} = {tomlkit.string(value).as_string()}\n" for key, value in table.items()
        )
        parts.append(f"\n[[feed]]\n{settings}")
    return "".join(parts).lstrip("\n")


def _with_feed_tables_tomlkit(text: str, tables: list[dict[str, str]]) -> str:
    import tomlkit

    document = tomlkit.parse(text)
    array = document.get("feed")
    if array is None:
        array = tomlkit.aot()
        document.append("feed", array)
    inline = isinstance(array, tomlkit.items.Array)  # feed = [{url = "..."}]
    for values in tables:
        table = tomlkit.inline_table() if inline else tomlkit.table()
        for key, value in values.items():
            table.add(key, value)
        array.append(table)
    return tomlkit.dumps(document)


def _find_feed(path: Path, url: str) -> tuple[str, Config, int] | None:
    """The file's text, its configuration and the index of the feed with ``url`` (any
    spelling) in it; None when it has no such feed. A broken file raises ConfigError."""
    text = _read_text(path) or ""
    config = parse_config(text, path)
    key = same_feed_key(url)
    index = next((i for i, f in enumerate(config.feeds) if same_feed_key(f.url) == key), None)
    return None if index is None else (text, config, index)


def remove_feed(path: Path, url: str) -> bool:
    """Remove the feed with ``url``; return whether it was there. Comments are kept: those
    just above its ``[[feed]]`` go with it, the others stay where they were."""
    found = _find_feed(path, url)
    if found is None:
        return False
    text, before, index = found
    document = _without_feed_table(text, index)
    expected = replace(before, feeds=before.feeds[:index] + before.feeds[index + 1 :])
    if document is None or _parses_to(document, path) != expected:
        document = _without_feed_table_tomlkit(text, index)
    _write_text(path, document)
    return True


_FEED_HEADER = re.compile(r"^\s*\[\[\s*feed\s*\]\]\s*(#.*)?$")
_ANY_HEADER = re.compile(r"^\s*\[")
_COMMENT_OR_BLANK = re.compile(r"^\s*(#.*)?$")


def _feed_table_lines(lines: list[str], index: int) -> tuple[int, int, int] | None:
    """Where the ``index``-th ``[[feed]]`` table is: the first of the comment lines right
    above its header, the header, and the line after its last setting (comments and blank
    lines after that belong to what follows). None when the lines do not show it plainly."""
    headers = [n for n, line in enumerate(lines) if _ANY_HEADER.match(line)]
    feeds = [n for n in headers if _FEED_HEADER.match(lines[n])]
    if index >= len(feeds):
        return None
    header = feeds[index]
    following = [n for n in headers if n > header]
    end = _attached_comments(lines, following[0]) if following else len(lines)
    while end > header + 1 and _COMMENT_OR_BLANK.match(lines[end - 1]):
        end -= 1
    return _attached_comments(lines, header), header, end


def _without_feed_table(text: str, index: int) -> str | None:
    """``text`` without the ``index``-th ``[[feed]]`` table and the comment lines right
    above its header; None when the lines do not show the tables plainly."""
    lines = text.splitlines(keepends=True)
    found = _feed_table_lines(lines, index)
    if found is None:
        return None
    start, _header, end = found
    if start == 0 or not lines[start - 1].strip():  # no blank line left twice in a row
        while end < len(lines) and not lines[end].strip():
            end += 1
    del lines[start:end]
    return "".join(lines)


def _with_feed_settings(text: str, index: int, values: Mapping[str, str]) -> str | None:
    """``text`` with settings of the ``index``-th ``[[feed]]`` table set ("" removes one):
    a setting's own line is rewritten (its comment kept), a new one goes after the table's
    last setting. None when the lines do not show the table plainly."""
    import tomlkit

    lines = text.splitlines(keepends=True)
    found = _feed_table_lines(lines, index)
    if found is None:
        return None
    _start, header, end = found
    added: list[str] = []
    for key, value in values.items():
        setting = re.compile(rf"^\s*{re.escape(key)}\s*=")
        row = next((n for n in range(header + 1, end) if setting.match(lines[n])), None)
        line = f"{key} = {tomlkit.string(value).as_string()}" if value else None
        if row is None:
            added += [line + "\n"] if line else []
        elif line is None:
            lines[row] = ""
        else:
            comment = re.search(r"\s+#[^\"']*$", lines[row].rstrip("\n"))
            lines[row] = line + (comment.group() if comment else "") + "\n"
    if end and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    lines[end:end] = added
    return "".join(lines)


def _attached_comments(lines: list[str], header: int) -> int:
    """Where the block of comment lines directly above line ``header`` starts."""
    start = header
    while start > 0 and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    return start


def _without_feed_table_tomlkit(text: str, index: int) -> str:
    """The same through tomlkit, for files whose layout the lines do not show plainly."""
    import tomlkit

    document = tomlkit.parse(text)
    del document["feed"][index]
    return tomlkit.dumps(document)


def _parses_to(text: str, path: Path) -> Config | None:
    try:
        return parse_config(text, path)
    except ConfigError:
        return None


def edit_feed(path: Path, url: str, changes: Mapping[str, str | None]) -> bool:
    """Set (or, with None or "", remove) settings of the feed with ``url``: title, section,
    direction, full_text. Return whether the feed was there. Comments are kept."""
    found = _find_feed(path, url)
    if found is None:
        return False
    text, before, index = found
    values = {name: _clean(value) for name, value in changes.items()}
    document = _with_feed_settings(text, index, values)
    if document is None or not _others_kept(document, path, before, index):
        document = _with_feed_settings_tomlkit(text, index, values)
    parse_config(document, path)  # a wrong value is refused, named
    _write_text(path, document)
    return True


def _others_kept(document: str, path: Path, before: Config, index: int) -> bool:
    """Whether ``document`` parses, with every feed but the ``index``-th as in ``before``."""
    after = _parses_to(document, path)
    others = before.feeds[:index] + before.feeds[index + 1 :]
    return after is not None and after.feeds[:index] + after.feeds[index + 1 :] == others


def _with_feed_settings_tomlkit(text: str, index: int, values: Mapping[str, str]) -> str:
    """The same through tomlkit, for files whose layout the lines do not show plainly."""
    import tomlkit

    document = tomlkit.parse(text)
    table = document["feed"][index]
    for name, value in values.items():
        if value:
            table[name] = value
        elif name in table:
            del table[name]
    return tomlkit.dumps(document)


def set_ui_option(path: Path, key: str, value: str) -> None:
    """Set ``[ui] key = value`` (used to save a calibration choice)."""
    import tomlkit

    document = _read_document(path)
    ui = document.get("ui")
    if ui is None:
        ui = tomlkit.table()
        document.append("ui", ui)
    ui[key] = value
    parse_config(tomlkit.dumps(document), path)
    _write_document(path, document)
