"""The help screen, generated from the bindings that are active."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def binding_rows(bindings: list[tuple[str, str]]) -> Table:
    """A two-column table of keys and what they do."""
    table = Table(box=None, show_header=False, padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for keys, description in bindings:
        table.add_row(Text(keys), Text(description))
    return table


class HelpScreen(ModalScreen[None]):
    """Every key of the screen below, with what it does. Escape or q closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    rows: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(id="help-text")

    def on_mount(self) -> None:
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else self.app.screen
        from tuireader.tui.app import TuiReader

        if isinstance(self.app, TuiReader):
            self.app.localize(self)
        self.rows = collect_bindings(below)
        self.query_one("#help-text", Static).update(binding_rows(self.rows))
        if isinstance(self.app, TuiReader):
            strings = self.app.strings
            self.query_one("#help-box").border_title = self.app.painter.plain(strings("help"))
        else:
            self.query_one("#help-box").border_title = "Keys"


def collect_bindings(screen: Screen[object]) -> list[tuple[str, str]]:
    """(keys, description) for every described binding of the app, the screen and its widgets."""
    by_description: dict[str, list[str]] = {}
    nodes: list[DOMNode] = [screen.app, screen, *screen.query("*")]
    for node in nodes:
        for bindings in node._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.description:
                    keys = by_description.setdefault(binding.description, [])
                    display = screen.app.get_key_display(binding)
                    if display not in keys:
                        keys.append(display)
    return [(" ".join(keys), description) for description, keys in by_description.items()]
