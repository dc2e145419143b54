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

        title, palette = "Keys", "Command palette"
        if isinstance(self.app, TuiReader):
            self.app.localize(self)
            title = self.app.painter.plain(self.app.strings("help"))
            palette = self.app.painter.plain(self.app.strings("command_palette"))
        self.rows = collect_bindings(below, palette)
        self.query_one("#help-text", Static).update(binding_rows(self.rows))
        self.query_one("#help-box").border_title = title


def collect_bindings(
    screen: Screen[object], palette_label: str = "Command palette"
) -> list[tuple[str, str]]:
    """(keys, description) for every described binding of the app, the screen and its
    widgets that tuireader declares (Textual's own widgets bring bindings of theirs, such as
    "First" for Home, that would repeat or contradict ours), and the command palette."""
    by_description: dict[str, list[str]] = {}
    nodes: list[DOMNode] = [screen.app, screen, *screen.query("*")]
    for node in nodes:
        keys_here, ids_here = _declared_here(type(node))
        for bindings in node._bindings.key_to_bindings.values():
            for binding in bindings:
                # Keys and ids, not descriptions: those are translated in place, and a
                # keymap gives a binding with an id another key.
                ours = (binding.action, binding.key) in keys_here or binding.id in ids_here
                if binding.description and ours:
                    keys = by_description.setdefault(binding.description, [])
                    display = screen.app.get_key_display(binding)
                    if display not in keys:
                        keys.append(display)
    palette = screen.app.COMMAND_PALETTE_BINDING
    if screen.app.ENABLE_COMMAND_PALETTE and palette:
        by_description.setdefault(palette_label, [palette.replace("ctrl+", "^")])
    return [(" ".join(keys), description) for description, keys in by_description.items()]


def _declared_here(cls: type) -> tuple[set[tuple[str, str]], set[str]]:
    """(action, key) pairs and ids of the bindings that tuireader's own classes declare."""
    keys: set[tuple[str, str]] = set()
    ids: set[str] = set()
    for klass in cls.__mro__:
        if klass.__module__.startswith("tuireader."):
            for binding in klass.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding):
                    keys.update((binding.action, key.strip()) for key in binding.key.split(","))
                    if binding.id:
                        ids.add(binding.id)
    return keys, ids
