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
    """(keys, description) for every described binding of the app, the screen and its
    widgets that tuireader declares (Textual's own widgets bring bindings of theirs, such as
    "First" for Home, that would repeat or contradict ours), and the command palette."""
    by_description: dict[str, list[str]] = {}
    nodes: list[DOMNode] = [screen.app, screen, *screen.query("*")]
    for node in nodes:
        ours = _declared_here(type(node))
        for bindings in node._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.description and (binding.action, binding.description) in ours:
                    keys = by_description.setdefault(binding.description, [])
                    display = screen.app.get_key_display(binding)
                    if display not in keys:
                        keys.append(display)
    palette = screen.app.COMMAND_PALETTE_BINDING
    if screen.app.ENABLE_COMMAND_PALETTE and palette:
        by_description.setdefault("Command palette", [palette.replace("ctrl+", "^")])
    return [(" ".join(keys), description) for description, keys in by_description.items()]


def _declared_here(cls: type) -> set[tuple[str, str]]:
    """(action, description) of the bindings that tuireader's own classes declare."""
    found = set()
    for klass in cls.__mro__:
        if klass.__module__.startswith("tuireader."):
            for binding in klass.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding):
                    found.add((binding.action, binding.description))
    return found
