"""Search with live results: type, see matches at once, Enter opens one."""

from __future__ import annotations

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tuireader.core.search import highlight_terms, search
from tuireader.tui.app import TuiReader
from tuireader.tui.widgets.bidi_input import BidiInput

RESULTS = 50


class SearchScreen(ModalScreen[int | None]):
    """Dismissed with the chosen article's id, or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("down", "focus_results", "Results", show=False),
    ]

    def compose(self) -> ComposeResult:
        app = self.reader_app
        with Vertical(id="search-box"):
            yield BidiInput(
                # Drawn as given by Textual: laid out here for the bidi mode.
                placeholder=app.painter.plain(app.strings("search_placeholder")),
                id="search-input",
                bidi=app.painter.bidi,
                shape=app.painter.shape,
            )
            yield Label("", id="search-count", markup=False)
            yield OptionList(id="search-results")

    reader_app = getters.app(TuiReader)

    def on_mount(self) -> None:
        app = self.reader_app
        app.localize(self)
        self.query_one("#search-box").border_title = app.painter.plain(app.strings("search"))
        self.query_one(Input).focus()

    @on(Input.Changed, "#search-input")
    def run_search(self, event: Input.Changed) -> None:
        app = self.reader_app
        rows = search(app.store, event.value, limit=RESULTS) if event.value.strip() else []
        results = self.query_one(OptionList)
        results.clear_options()
        width = max(results.scrollable_content_region.width - 2, 20)
        results.add_options(
            # Text, not str: an OptionList would read a title such as "[/x]" as markup.
            Option(Text(app.painter.aligned_text(row.title, width)), id=str(row.id))
            for row in rows
        )
        count = app.strings("results", count=len(rows)) if event.value.strip() else ""
        count = app.painter.aligned_text(count, max(results.size.width, 1)) if count else ""
        self.query_one("#search-count", Label).update(count)
        app.highlight_terms = tuple(highlight_terms(event.value))

    @on(Input.Submitted, "#search-input")
    def open_first(self) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            option = results.get_option_at_index(results.highlighted or 0)
            self.dismiss(int(option.id) if option.id else None)

    @on(OptionList.OptionSelected, "#search-results")
    def open_chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id) if event.option.id else None)

    def action_focus_results(self) -> None:
        """Down from the query goes to the results, on the first one."""
        results = self.query_one(OptionList)
        results.focus()
        if results.highlighted is None and results.option_count:
            results.highlighted = 0
