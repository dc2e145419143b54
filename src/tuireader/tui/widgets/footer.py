"""A footer whose keys are in the screen's first frame."""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class ReaderFooter(Footer):
    """Textual's footer, composed at once from the screen's and the app's bindings.

    Textual's own footer stays empty until the first focus change has been processed and then
    recomposes after a refresh, so its keys arrive a few frames after the rest of the screen.
    The keys it shows belong to the screen and the app, which are known when it is composed;
    it recomposes when the keys it would show change (Textual's recomposes whenever focus
    moves, restyling and redrawing the whole screen for the same keys).
    """

    def __init__(self) -> None:
        super().__init__()
        self.set_reactive(Footer._bindings_ready, True)
        self._shown: Hashable = None

    def _keys(self, screen: Screen[object]) -> Hashable:
        """What the footer shows of the screen's active bindings."""
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for _node, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show or binding.key == self.app.COMMAND_PALETTE_BINDING
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and self._keys(screen) == self._shown:
            return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        if self.is_attached:
            self._shown = self._keys(self.screen)
        for widget in super().compose():
            # A key starts compact and is then bound to the footer's (not compact) style: two
            # changes of its classes, each restyling it, for every key at every recompose.
            # Starting it with the footer's value makes both no-ops. The palette's key is not
            # bound to the footer and stays compact.
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget
