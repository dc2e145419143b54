"""Option lists that move with j, k, g and G, like the rest of the reader."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList


class KeyedOptionList(OptionList):
    """j/k and g/G as well as the arrows, Home and End."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "Top", show=False),
        Binding("G", "last", "Bottom", show=False),
    ]


class ResizingOptionList(KeyedOptionList):
    """A list whose entries are laid out for its width: it says when its size changed
    (shown after being hidden, or the terminal resized), once the new size is known."""

    class Resized(Message):
        """The list's width changed: its entries need laying out again."""

        def __init__(self, option_list: ResizingOptionList) -> None:
            super().__init__()
            self.option_list = option_list

        @property
        def control(self) -> ResizingOptionList:
            return self.option_list

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.Resized(self))

    def on_show(self) -> None:
        super().on_show()
        # Shown again at the size it had before it was hidden: no Resize comes then.
        self.post_message(self.Resized(self))
