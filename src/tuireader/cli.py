"""The command line: the reader, and headless commands over the same core."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

import click

from tuireader import __version__
from tuireader.core.config import (
    Config,
    ConfigError,
    FeedConfig,
    add_feeds,
    edit_feed,
    load_config,
    remove_feed,
    set_ui_option,
)
from tuireader.core.models import ArticleRow, Direction, Feed, FullText
from tuireader.core.paths import Paths, resolve_paths
from tuireader.core.sections import section_key
from tuireader.core.store import ArticleQuery, Store, StoreError
from tuireader.core.terminal import (
    BIDI_CHOICES,
    Detection,
    calibration_choices,
    choose_modes,
    explicit_bidi_mode,
)
from tuireader.core.urls import is_feed_url, same_feed_key
from tuireader.text.sanitize import sanitize_text

if TYPE_CHECKING:
    from tuireader.core.refresh import FeedReport, RefreshReport
    from tuireader.text import BidiMode, ShapeMode

# Fits untrusted text into a number of terminal cells, for printing.
Fitter = Callable[[str, int], str]


def _logical(text: str, _width: int) -> str:
    """The ``Fitter`` for output that is no terminal: sanitized, whole, in logical order."""
    return sanitize_text(text)


# Commands import what they need themselves: the reader must not wait for the fetching and
# parsing stack to load before it paints.

EXIT_OK, EXIT_FEEDS_FAILED, EXIT_USAGE = 0, 1, 2


@dataclass(slots=True)
class Context:
    """What every command needs: where things are, and the configuration."""

    paths: Paths
    bidi_flag: str | None = None
    shape_flag: str | None = None

    def modes(self, config: Config) -> Detection:
        """The bidi and shape modes for this terminal and configuration."""
        return choose_modes(
            os.environ,
            bidi_flag=self.bidi_flag,
            shape_flag=self.shape_flag,
            bidi_config=config.ui.bidi,
            shape_config=config.ui.shape,
        )

    def visual(self) -> Fitter:
        """How to print a title on this terminal in at most a given width: laid out for the
        bidi mode (right to left in app mode) and cut at its logical end. Piped output stays
        whole and in logical order, for other programs. Sanitized either way."""
        if not sys.stdout.isatty():
            return _logical
        from tuireader.text import one_line

        modes = self.modes(self.config())
        shape: ShapeMode = "on" if modes.shape else "off"
        bidi = cast("BidiMode", modes.bidi)

        def fit(text: str, width: int) -> str:
            # Sanitized before the layout: the sanitizer would undo the letter joining.
            return one_line(sanitize_text(text), width, bidi=bidi, shape=shape)

        return fit

    def config(self) -> Config:
        try:
            return load_config(self.paths.config_file)
        except ConfigError as exc:
            fail(str(exc))

    @contextmanager
    def store(self) -> Iterator[Store]:
        try:
            store = Store(self.paths.database)
        except StoreError as exc:
            fail(str(exc))
        with store:
            store.sync_feeds(self.config().feeds)
            yield store


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print an error in words and exit with ``code``."""
    click.echo(f"tuireader: {sanitize_text(message)}", err=True)
    sys.exit(code)


def say(text: str = "", *, laid_out: bool = False) -> None:
    """Print untrusted text safely: controls and escapes never reach the terminal.
    ``laid_out``: the text's untrusted parts were sanitized and laid out for the terminal
    already (sanitizing again would undo the letter joining)."""
    click.echo(text if laid_out else sanitize_text(text))


def print_failures(report: RefreshReport) -> None:
    """One line on standard error for each feed that failed or was skipped, in words."""
    for feed in report.failed:
        click.echo(
            f"tuireader: {sanitize_text(feed.url)}: {sanitize_text(feed.error or '')}", err=True
        )
    for feed in report.skipped:
        why = sanitize_text(feed.warning or "")
        click.echo(f"tuireader: skipped {sanitize_text(feed.url)}: {why}", err=True)


def print_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file.")
@click.option("--data-dir", type=click.Path(path_type=Path), help="Directory for the database.")
@click.option("--demo", is_flag=True, help="Open the bundled demo (no network needed).")
@click.option(
    "--bidi",
    type=click.Choice(["auto", *BIDI_CHOICES]),
    help="Who reorders right-to-left text: tuireader (app), the terminal, or nobody (off).",
)
@click.option("--shape", type=click.Choice(["auto", "on", "off"]), help="Join Arabic letters.")
@click.version_option(__version__, prog_name="tuireader")
@click.pass_context
def main(
    ctx: click.Context,
    config_path: Path | None,
    data_dir: Path | None,
    demo: bool,
    bidi: str | None,
    shape: str | None,
) -> None:
    """tuireader: read news feeds in the terminal, right-to-left languages included."""
    # Libraries log warnings (trafilatura on pages it rejects); errors are reported in words by
    # tuireader itself, and a stray log line would scribble over the full-screen reader.
    logging.getLogger().addHandler(logging.NullHandler())
    ctx.obj = Context(resolve_paths(config_path, data_dir), bidi_flag=bidi, shape_flag=shape)
    if demo:
        ctx.exit(run_demo(ctx.obj, data_dir))
    if ctx.invoked_subcommand is None:
        config = ctx.obj.config()
        if sys.stdout.isatty():
            ctx.exit(run_reader(ctx.obj, config, ctx.obj.paths.database, ctx.obj.paths.config_file))
        with ctx.obj.store() as store:
            print_overview(store)


def run_demo(context: Context, data_dir: Path | None) -> int:
    """Serve the demo site on loopback and read it, in a throwaway data dir by default."""
    from tuireader.core.refresh import refresh
    from tuireader.demo.server import DemoPortBusy, DemoSite

    try:
        demo = DemoSite(fixed_port=data_dir is not None)
    except DemoPortBusy as exc:
        fail(f"{exc}; without --data-dir the demo runs on any free port")
    with demo as site, tempfile.TemporaryDirectory(prefix="tuireader-demo-") as scratch:
        directory = data_dir or Path(scratch)
        # The user's settings (keys, fetching, interface) with the demo's feeds.
        config = replace(context.config(), feeds=tuple(site.feeds()))
        database = directory / "tuireader.db"
        if sys.stdout.isatty():
            return run_reader(context, config, database)
        report = asyncio.run(refresh(database, config))
        print_failures(report)
        with Store(database) as store:
            print_overview(store)
    return EXIT_FEEDS_FAILED if report.failed else EXIT_OK


def run_reader(
    context: Context, config: Config, database: Path, config_file: Path | None = None
) -> int:
    """Run the full-screen reader; in app mode the terminal is in explicit bidi mode meanwhile."""
    # Importing Textual allocates a great deal and frees nothing: the garbage collector is
    # paused from here, and the app resumes it once its first frame is drawn.
    gc.disable()
    from tuireader.tui.app import AppSettings, TuiReader

    modes = context.modes(config)
    settings = AppSettings(
        database=database,
        config=config,
        config_file=config_file,
        bidi=modes.bidi,
        shape=modes.shape,
        language=config.ui.language,
    )
    try:
        app = TuiReader(settings)
    except StoreError as exc:
        fail(str(exc))
    # Textual draws on stderr: the mode switch goes to the same terminal.
    in_tmux = "TMUX" in os.environ
    with explicit_bidi_mode(sys.__stderr__, enabled=modes.bidi == "app", tmux=in_tmux):
        app.run()
    return app.return_code or EXIT_OK


def print_overview(store: Store) -> None:
    """Sections with counts, then the newest titles of each (the headless face of the reader)."""
    total, unread, starred = store.totals()
    say(f"{total} articles, {unread} unread, {starred} starred")
    for section in store.sections():
        say()
        say(f"{section.name} · {section.total} ({section.unread} unread)")
        for row in store.articles(ArticleQuery(section_key=section.key), limit=5):
            say(f"  {row.id:>5}  {row.title}")


# --- feeds -------------------------------------------------------------------------------------


@main.group()
def feeds() -> None:
    """Add, list and remove subscriptions."""


@feeds.command("add")
@click.argument("url")
@click.option("--title", help="Title to show instead of the feed's own.")
@click.option("--section", help="Section for every article of this feed.")
@click.option("--direction", type=click.Choice([d.value for d in Direction]), default="auto")
@click.option("--full-text", type=click.Choice([f.value for f in FullText]), default="auto")
@click.pass_obj
def feeds_add(
    context: Context,
    url: str,
    title: str | None,
    section: str | None,
    direction: str,
    full_text: str,
) -> None:
    """Subscribe to the feed at URL."""
    url = url.strip()
    if not is_feed_url(url):
        fail(f"{url}: only http and https feed URLs are supported")
    feed = FeedConfig(url, title, section, Direction(direction), FullText(full_text))
    with context.store() as store:
        moved = _stored_feed(store, url)
    if moved is not None and same_feed_key(moved.config_url) != same_feed_key(url):
        say(f"already subscribed: {url} is where {moved.config_url} moved")
        return
    try:
        added = add_feeds(context.paths.config_file, [feed])
    except ConfigError as exc:
        fail(str(exc))
    say(f"added {url}" if added else f"already subscribed: {url}")


def _stored_feed(store: Store, url: str) -> Feed | None:
    """The stored feed a user means by ``url``: the one configured at that URL (any spelling),
    else the one a permanent redirect moved there, if only one was; an error if several."""
    key = same_feed_key(url)
    feeds = store.feeds()
    configured = [feed for feed in feeds if same_feed_key(feed.config_url) == key]
    if configured:
        return configured[0]
    moved = [feed for feed in feeds if same_feed_key(feed.url) == key]
    if len(moved) > 1:
        names = ", ".join(feed.config_url for feed in moved)
        fail(f"several feeds moved to {url}; name one as configured: {names}")
    return moved[0] if moved else None


@feeds.command("edit")
@click.argument("url")
@click.option("--title", help="Title to show instead of the feed's own ('' for its own).")
@click.option("--section", help="Section for every article of this feed ('' for none).")
@click.option("--direction", type=click.Choice([d.value for d in Direction]))
@click.option("--full-text", type=click.Choice([f.value for f in FullText]))
@click.pass_obj
def feeds_edit(
    context: Context,
    url: str,
    title: str | None,
    section: str | None,
    direction: str | None,
    full_text: str | None,
) -> None:
    """Change a subscription's settings; its stored articles are filed again at once."""
    given = {"title": title, "section": section, "direction": direction, "full_text": full_text}
    changes = {key: value for key, value in given.items() if value is not None}
    if not changes:
        fail("say what to change: --title, --section, --direction or --full-text")
    with context.store() as store:
        stored = _stored_feed(store, url)
    try:
        found = edit_feed(context.paths.config_file, stored.config_url if stored else url, changes)
    except ConfigError as exc:
        fail(str(exc))
    if not found:
        fail(f"not subscribed: {url}")
    with context.store():  # syncs the config: the feed's articles are filed again
        pass
    say(f"changed {url}: " + ", ".join(f"{k} = {v or '(none)'}" for k, v in changes.items()))


@feeds.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def feeds_list(context: Context, as_json: bool) -> None:
    """List subscriptions with their state (and stored feeds no longer in the config)."""
    configured = {feed.url for feed in context.config().feeds}
    fit = context.visual()  # a title laid out for this terminal
    with context.store() as store:
        counts = store.feed_counts()
    if as_json:
        print_json(
            [
                {
                    "url": c.feed.url,
                    "config_url": c.feed.config_url,
                    "configured": c.feed.config_url in configured,
                    "title": c.feed.title,
                    "section": c.feed.section,
                    "articles": c.total,
                    "unread": c.unread,
                    "last_status": c.feed.last_status,
                    "error": c.feed.last_error,
                    "gone": c.feed.gone,
                    "next_fetch": c.feed.next_fetch.isoformat() if c.feed.next_fetch else None,
                }
                for c in counts
            ]
        )
        return
    for c in counts:
        feed = c.feed
        if feed.config_url not in configured:
            state = "not in the config"
        elif feed.gone:
            state = "gone"
        elif feed.last_error:
            state = feed.last_error
        else:
            state = "not fetched yet" if feed.next_fetch is None else "ok"
        title = f"{fit(feed.title, _TITLE_CELLS)}  " if feed.title != feed.url else ""
        moved = f" (configured as {feed.config_url})" if feed.config_url != feed.url else ""
        articles = f"{c.total} article{'s' if c.total != 1 else ''}, {c.unread} unread"
        rest = sanitize_text(f"{feed.url}{moved}  {articles}  [{state}]")
        say(f"{title}{rest}", laid_out=True)


@feeds.command("remove")
@click.argument("url")
@click.pass_obj
def feeds_remove(context: Context, url: str) -> None:
    """Unsubscribe from URL (its articles are deleted).

    URL is the one in the config, or the one `feeds list` shows after a permanent redirect.
    """
    url = url.strip()
    with context.store() as store:
        stored = _stored_feed(store, url)
    config_url = stored.config_url if stored is not None else url
    try:
        in_config = remove_feed(context.paths.config_file, config_url)
    except ConfigError as exc:
        fail(str(exc))
    if not in_config and stored is None:
        fail(f"not subscribed: {url}")
    with context.store() as store:
        store.delete_feed(config_url)
    say(f"removed {url}")


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def import_opml(context: Context, file: Path) -> None:
    """Subscribe to the feeds of an OPML file."""
    from tuireader.core.opml import OPMLError, read_opml

    try:
        found = read_opml(file.read_bytes())
        with context.store() as store:  # not again at the address a redirect moved one to
            moved = {same_feed_key(feed.url) for feed in store.feeds()}
        fresh = [feed for feed in found.feeds if same_feed_key(feed.url) not in moved]
        added = add_feeds(context.paths.config_file, fresh)
    except (OPMLError, ConfigError) as exc:
        fail(f"{file}: {exc}")
    for url, why in found.refused:
        click.echo(f"tuireader: skipped {sanitize_text(url)}: {why}", err=True)
    say(f"imported {len(added)} feeds ({len(found.feeds) - len(added)} already subscribed)")


@main.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def export_opml(context: Context, file: Path | None) -> None:
    """Write the subscriptions as OPML 2.0 to FILE (or standard output)."""
    from tuireader.core.opml import write_opml

    config = context.config()
    with context.store() as store:
        titles = {c.feed.config_url: c.feed.title for c in store.feed_counts()}
    text = write_opml((f.url, f.title or titles.get(f.url, f.url), f.section) for f in config.feeds)
    if file is None:
        click.echo(text, nl=False)
        return
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {file}: {exc.strerror or exc}")


# --- refresh and articles ----------------------------------------------------------------------


def _report_json(feed: FeedReport) -> dict[str, Any]:
    return {
        "url": feed.url,
        "title": feed.title,
        "outcome": feed.outcome,
        "new": feed.new,
        "updated": feed.updated,
        "error": feed.error,
        "warning": feed.warning,
    }


@main.command("refresh")
@click.option("--json", "as_json", is_flag=True, help="Print per-feed results as JSON.")
@click.pass_obj
def refresh_command(context: Context, as_json: bool) -> None:
    """Fetch every feed now (except those gone or held back by the server)."""
    config = context.config()
    show_bar = sys.stdout.isatty() and not as_json
    report = _run_refresh(context, config, show_bar)
    if as_json:
        print_json([_report_json(f) for f in (*report.feeds, *report.skipped)])
    else:
        print_failures(report)
        say(report.summary())
    sys.exit(EXIT_FEEDS_FAILED if report.failed else EXIT_OK)


def _run_refresh(context: Context, config: Config, show_bar: bool) -> RefreshReport:
    from tuireader.core.refresh import refresh

    try:
        if not show_bar:
            return asyncio.run(refresh(context.paths.database, config))
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            task = progress.add_task("Refreshing", total=None)

            def advance(done: int, total: int, _feed: FeedReport) -> None:
                progress.update(task, completed=done, total=total)

            return asyncio.run(refresh(context.paths.database, config, on_progress=advance))
    except StoreError as exc:
        fail(str(exc))


def article_json(row: ArticleRow) -> dict[str, Any]:
    """The JSON shape of an article, shared by articles, search and related."""
    return {
        "id": row.id,
        "title": row.title,
        "link": row.link,
        "feed": row.feed_title,
        "section": row.section,
        "categories": list(row.categories),
        "published": row.published.isoformat(),
        "direction": row.direction.value,
        "read": row.read,
        "starred": row.starred,
    }


_TITLE_CELLS = 40  # a feed's title in feeds list

# One article per line: "{id:>6} {marks} {date}  {title}  ·  {feed}"; on a narrow terminal
# a short date, and the title alone when a feed column would leave it too little room.
_ROW_SEPARATOR = "  ·  "
_NARROW = 60  # columns
_TITLE_ALONE = 40  # cells left for the title and feed together, below which the feed goes


def print_rows(rows: list[ArticleRow], as_json: bool, fit: Fitter = _logical) -> None:
    """Articles as JSON, or one line each with the titles fitted by ``fit`` to the terminal
    (the article's title gets two thirds of what the date leaves, its feed the rest)."""
    if as_json:
        print_json([article_json(r) for r in rows])
        return
    columns = _width(None)
    narrow = sys.stdout.isatty() and columns < _NARROW
    date_format = "%m-%d" if narrow else "%Y-%m-%d %H:%M"
    for row in rows:
        marks = ("*" if row.starred else " ") + (" " if row.read else "N")
        prefix = f"{row.id:>6} {marks} {row.published.strftime(date_format)}  "
        room = max(columns - len(prefix), 10)
        if narrow and room - len(_ROW_SEPARATOR) < _TITLE_ALONE:
            click.echo(prefix + fit(row.title, room))
            continue
        room -= len(_ROW_SEPARATOR)
        title, feed = fit(row.title, room * 2 // 3), fit(row.feed_title, room - room * 2 // 3)
        click.echo(f"{prefix}{title}{_ROW_SEPARATOR}{feed}")


@main.command("articles")
@click.option("--section", help="Only this section (any spelling of its name).")
@click.option("--feed", "feed_url", help="Only the feed with this URL.")
@click.option("--unread", is_flag=True, help="Only unread articles.")
@click.option("--starred", is_flag=True, help="Only starred articles.")
@click.option("--limit", type=click.IntRange(1, 100_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def articles_command(
    context: Context,
    section: str | None,
    feed_url: str | None,
    unread: bool,
    starred: bool,
    limit: int,
    as_json: bool,
) -> None:
    """List stored articles, newest first."""
    with context.store() as store:
        feed_id = None
        if feed_url is not None:
            stored = _stored_feed(store, feed_url)
            if stored is None:
                fail(f"no such feed: {feed_url}")
            feed_id = stored.id
        query = ArticleQuery(
            section_key=_known_section(store, section),
            feed_id=feed_id,
            unread=unread,
            starred=starred,
        )
        print_rows(store.articles(query, limit=limit), as_json, context.visual())


@main.command("mark")
@click.argument("article_ids", nargs=-1, required=True, type=int)
@click.option("--read", is_flag=True, help="Mark read.")
@click.option("--unread", is_flag=True, help="Mark unread.")
@click.option("--star", is_flag=True, help="Star.")
@click.option("--unstar", is_flag=True, help="Remove the star.")
@click.pass_obj
def mark_command(
    context: Context,
    article_ids: tuple[int, ...],
    read: bool,
    unread: bool,
    star: bool,
    unstar: bool,
) -> None:
    """Mark articles read or unread, starred or not (--read --star does both)."""
    if not (read or unread or star or unstar):
        fail("say what to mark: --read, --unread, --star or --unstar")
    if (read and unread) or (star and unstar):
        fail("--read and --unread, or --star and --unstar, cannot go together")
    with context.store() as store:
        missing = [i for i in article_ids if store.article(i) is None]
        if missing:
            fail(f"no such article: {', '.join(map(str, missing))}")
        if read or unread:
            store.set_read(article_ids, read)
        if star or unstar:
            store.set_starred(article_ids, star)
    asked = (("read", read), ("unread", unread), ("starred", star), ("not starred", unstar))
    states = [state for state, given in asked if given]
    count = len(set(article_ids))
    say(f"marked {count} article{'s' if count != 1 else ''} {' and '.join(states)}")


def _known_section(store: Store, name: str | None) -> str | None:
    """The key of section ``name`` (any spelling), None for none; an error for a section
    that has no articles, naming those that do."""
    if name is None:
        return None
    key = section_key(name)
    sections = store.sections()
    if key not in {section.key for section in sections}:
        known = ", ".join(section.name for section in sections) or "none yet"
        fail(f"no such section: {name} (sections: {known})")
    return key


# --- reading -----------------------------------------------------------------------------------


def _width(width: int | None) -> int:
    if width is not None:
        return width
    import shutil

    return max(shutil.get_terminal_size((80, 24)).columns, 20)


@main.command("read")
@click.argument("what")
@click.option("--width", type=click.IntRange(1, 1000), help="Columns (default: the terminal's).")
@click.pass_obj
def read_command(context: Context, what: str, width: int | None) -> None:
    """Lay out text for this terminal: WHAT is "-" for standard input, or an article ID.

    Right-to-left paragraphs are reordered, shaped and right-aligned as the bidi and shape
    modes say (see --bidi and --shape before the command).
    """
    from tuireader.core.reading import ArticleLayout, meta_line
    from tuireader.text import layout_text

    config = context.config()
    modes = context.modes(config)
    columns = _width(width)
    shape = "on" if modes.shape else "off"
    if what == "-":
        text = sys.stdin.read().removesuffix("\n")  # the last line's end is not a paragraph
        if not text:
            return
        for text_line in layout_text(text, columns, bidi=modes.bidi, shape=shape):  # type: ignore[arg-type]
            click.echo(_trim_right(text_line))
        return
    if not what.isdigit():
        fail(f"read takes an article number or '-', not {what!r}")
    with context.store() as store:
        article = store.article(int(what))
    if article is None:
        fail(f"no such article: {what}")
    meta = meta_line(article, article.published.strftime("%Y-%m-%d %H:%M UTC"))
    layout = ArticleLayout(article, bidi=modes.bidi, shape=shape, meta=meta)
    for line in layout.lines(columns):
        click.echo(_trim_right(line.text))


def _trim_right(line: str) -> str:
    """Drop the padding after the text; the padding before right-aligned text stays."""
    return line.rstrip(" ")


@main.command("fetch-full")
@click.argument("article_id", type=int)
@click.pass_obj
def fetch_full_command(context: Context, article_id: int) -> None:
    """Fetch, extract and store the full text of one article from its web page."""
    from tuireader.core.refresh import fetch_full_text_now

    config = context.config()
    with context.store() as store:
        if store.article(article_id) is None:
            fail(f"no such article: {article_id}")
    result = asyncio.run(fetch_full_text_now(context.paths.database, config, article_id))
    if result.document is None:
        fail(f"article {article_id}: {result.error}", EXIT_FEEDS_FAILED)
    paragraphs = len(result.document.blocks)
    say(f"article {article_id}: full text stored ({paragraphs} blocks)")


# --- search and related ------------------------------------------------------------------------


@main.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--section", help="Only this section.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def search_command(
    context: Context, query: tuple[str, ...], section: str | None, limit: int, as_json: bool
) -> None:
    """Find articles; Arabic spelling variants, harakat and prefixes match (مغرب finds المغرب)."""
    from tuireader.core.search import search

    with context.store() as store:
        rows = search(
            store,
            " ".join(query),
            section_key=_known_section(store, section),
            limit=limit,
            prefix=False,
        )
    print_rows(rows, as_json, context.visual())


@main.command("related")
@click.argument("article_id", type=int)
@click.option("--limit", type=click.IntRange(1, 100), default=8, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def related_command(context: Context, article_id: int, limit: int, as_json: bool) -> None:
    """Articles related to ARTICLE_ID: the same story first, reprints grouped under "also"."""
    from tuireader.core.similar import related_articles

    with context.store() as store:
        if store.article(article_id) is None:
            fail(f"no such article: {article_id}")
        entries = related_articles(store, article_id, limit=limit)
    if as_json:
        print_json(
            [
                {
                    **article_json(entry.row),
                    "same_story": entry.same_story,
                    "score": round(entry.score, 4),
                    "also": [article_json(row) for row in entry.also],
                }
                for entry in entries
            ]
        )
        return
    fit = context.visual()
    room = max(_width(None) - 9 - len("also reported by : "), 10)
    for entry in entries:
        print_rows([entry.row], False, fit)
        for row in entry.also:
            feed, title = fit(row.feed_title, room // 3), fit(row.title, room - room // 3)
            click.echo(f"{'':>9}also reported by {feed}: {title}")


# --- the terminal ------------------------------------------------------------------------------


@main.command("calibrate")
@click.pass_obj
def calibrate_command(context: Context) -> None:
    """Show a sample written each way, ask which reads right, and save the answer."""
    choices = calibration_choices(min(_width(None) - 4, 72))
    click.echo("Which line reads correctly, right to left, with (CNN) and the date in place?\n")
    for number, choice in enumerate(choices, 1):
        for index, line in enumerate(choice.lines):
            click.echo(f"{f'{number}  ' if index == 0 else '   '}{line.rstrip()}")
        click.echo(f"   ({choice.label})\n")
    answer = click.prompt("Number", type=click.IntRange(1, len(choices)))
    choice = choices[answer - 1]
    try:
        set_ui_option(context.paths.config_file, "bidi", choice.bidi)
        set_ui_option(context.paths.config_file, "shape", "on" if choice.shape else "off")
    except ConfigError as exc:
        fail(str(exc))
    shape = "on" if choice.shape else "off"
    say(f"saved to {context.paths.config_file}: bidi = {choice.bidi}, shape = {shape}")


@main.command("doctor")
@click.pass_obj
def doctor_command(context: Context) -> None:
    """Say what tuireader detected: terminal, colours, bidi and shape modes, paths, database."""
    from rich.console import Console

    try:  # the diagnostic tool runs with a broken config too, and says what is wrong
        config, config_problem = load_config(context.paths.config_file), None
    except ConfigError as exc:
        config, config_problem = Config(), str(exc)
    modes = context.modes(config)
    env = os.environ
    colors = Console(file=sys.stderr).color_system or "none"
    database = context.paths.database
    rows = [
        ("tuireader", __version__),
        ("terminal", modes.terminal),
        ("TERM", env.get("TERM", "(not set)")),
        ("colours", f"{colors} (COLORTERM={env.get('COLORTERM', 'not set')})"),
        ("TEXTUAL_COLOR_SYSTEM", env.get("TEXTUAL_COLOR_SYSTEM", "(not set)")),
        ("NO_COLOR", "set: no colours" if "NO_COLOR" in env else "(not set)"),
        ("bidi", f"{modes.bidi}: {modes.reason}"),
        ("shape", "on" if modes.shape else "off"),
        (
            "config",
            f"{context.paths.config_file}"
            + ("" if context.paths.config_file.exists() else " (not created yet)"),
        ),
        ("data", str(context.paths.data_dir)),
    ]
    if config_problem is not None:
        rows.append(("config error", f"{config_problem} (defaults used here)"))
    if database.exists():
        try:
            with Store(database) as store:  # as it is: the config is not synced into it here
                total, unread, _starred = store.totals()
                feeds = len(store.feeds())
        except StoreError as exc:
            rows.append(("database", str(exc)))
        else:
            size = database.stat().st_size / 1024 / 1024
            rows.append(("database", f"{database} ({size:.1f} MB)"))
            rows.append(("feeds", f"{feeds} ({total} articles, {unread} unread)"))
    else:
        rows.append(("database", f"{database} (not created yet)"))
    for name, value in rows:
        say(f"{name:>22}  {value}")
    if modes.warning:
        say(f"{'note':>22}  {modes.warning}")
    if config_problem is not None:
        sys.exit(EXIT_USAGE)
