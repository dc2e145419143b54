"""Calibration: the same sample written each way; the user says which one reads right."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tuireader.core.terminal import Choice, calibration_choices

INTRO = (
    "Which line reads correctly, right to left, with (CNN) and the date in place? Press its number."
)


class CalibrationScreen(ModalScreen[Choice | None]):
    """Dismissed with the chosen modes, or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        *[Binding(str(n), f"choose({n - 1})", show=False) for n in range(1, 5)],
    ]

    def __init__(self, width: int = 64) -> None:
        super().__init__()
        self.choices = calibration_choices(width)

    def compose(self) -> ComposeResult:
        with Vertical(id="calibrate-box"):
            yield Label(INTRO, id="calibrate-intro", markup=False)
            options = []
            for number, choice in enumerate(self.choices, 1):
                prompt = Text(f"{number}  ", style="bold")
                prompt.append("\n   ".join(choice.lines))
                prompt.append(f"\n   {choice.label}", style="dim")
                options.append(Option(prompt, id=str(number - 1)))
            yield OptionList(*options, id="calibrate-options")

    def on_mount(self) -> None:
        self.query_one("#calibrate-box").border_title = "Calibrate right-to-left text"
        self.query_one(OptionList).focus()

    def action_choose(self, index: int) -> None:
        self.dismiss(self.choices[index])

    @on(OptionList.OptionSelected, "#calibrate-options")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[int(event.option.id or 0)])
