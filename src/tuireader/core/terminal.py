"""Who should reorder right-to-left text: detected from the terminal's environment.

The table follows research/rtl-bidi.md section 4: terminals that reorder by themselves get
logical text (``terminal`` mode); every other terminal gets text reordered by tuireader
(``app`` mode). Precedence: command-line flag > TUIREADER_BIDI / TUIREADER_SHAPE > config >
detection.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

BIDI_CHOICES = ("app", "terminal", "off")


@dataclass(frozen=True, slots=True)
class Detection:
    """The terminal found, the modes chosen, and why, in words."""

    terminal: str
    bidi: str  # app | terminal | off
    shape: bool
    reason: str
    warning: str | None = None


def detect_terminal(env: Mapping[str, str]) -> tuple[str, str | None]:
    """(terminal name, warning) from environment variables."""
    program = env.get("TERM_PROGRAM", "")
    if "TMUX" in env:
        return "tmux", (
            "inside tmux the outer terminal cannot be seen; if it reorders right-to-left text "
            "by itself, run `tuireader calibrate`"
        )
    if env.get("KITTY_WINDOW_ID") or env.get("TERM") == "xterm-kitty":
        return "kitty", "kitty draws right-to-left words reversed unless `force_ltr yes` is set"
    if env.get("KONSOLE_VERSION"):
        return "Konsole", None
    if env.get("MLTERM"):
        return "mlterm", None
    if program == "Apple_Terminal":
        return "Terminal.app", None
    if program == "iTerm.app":
        return "iTerm2", "iTerm2's Bidi setting must be off for tuireader's own layout"
    if program == "mintty":
        return "mintty", None
    if program == "WezTerm":
        return "WezTerm", None
    if program == "ghostty" or env.get("GHOSTTY_RESOURCES_DIR"):
        return "Ghostty", None
    if env.get("VTE_VERSION"):
        return f"VTE {env['VTE_VERSION']}", None
    if env.get("WT_SESSION"):
        return "Windows Terminal", None
    if env.get("ALACRITTY_WINDOW_ID") or env.get("ALACRITTY_LOG"):
        return "Alacritty", None
    return env.get("TERM", "unknown terminal") or "unknown terminal", None


# Terminals that reorder each line themselves and cannot be told not to.
_REORDERING = {"Konsole", "mlterm", "Terminal.app"}
# Terminals that join Arabic letters themselves (sending presentation forms is not needed).
_SHAPING = {"kitty", "Konsole", "mlterm", "Terminal.app", "iTerm2", "WezTerm"}


def choose_modes(
    env: Mapping[str, str],
    *,
    bidi_flag: str | None = None,
    shape_flag: str | None = None,
    bidi_config: str = "auto",
    shape_config: str = "auto",
) -> Detection:
    """Resolve the bidi and shape modes, saying which source decided."""
    terminal, warning = detect_terminal(env)
    bidi, reason = _first_set(
        ("command line", bidi_flag),
        ("TUIREADER_BIDI", env.get("TUIREADER_BIDI")),
        ("config", bidi_config),
    )
    if bidi is None or bidi not in BIDI_CHOICES:
        if terminal in _REORDERING:
            bidi = "terminal"
            reason = f"{terminal} reorders right-to-left text itself"
        elif terminal.startswith("VTE"):
            bidi = "app"
            reason = f"{terminal}: tuireader reorders and switches the terminal to explicit mode"
        else:
            bidi = "app"
            reason = f"{terminal} does no bidi of its own, so tuireader reorders"
    shape_choice, shape_reason = _first_set(
        ("command line", shape_flag),
        ("TUIREADER_SHAPE", env.get("TUIREADER_SHAPE")),
        ("config", shape_config),
    )
    if shape_choice in ("on", "off"):
        shape = shape_choice == "on"
        reason += f"; shaping {shape_choice} ({shape_reason})"
    else:
        shape = bidi == "app" and terminal not in _SHAPING and not terminal.startswith("VTE")
        reason += "; tuireader joins Arabic letters" if shape else "; the terminal joins letters"
    return Detection(terminal=terminal, bidi=bidi, shape=shape, reason=reason, warning=warning)


def _first_set(*sources: tuple[str, str | None]) -> tuple[str | None, str]:
    for name, value in sources:
        if value and value != "auto":
            return value, f"set by {name}"
    return None, ""


# terminal-wg "BiDi in Terminal Emulators": explicit mode while tuireader draws, implicit after.
EXPLICIT_MODE = "\x1b[8l"
IMPLICIT_MODE = "\x1b[8h"


def through_tmux(sequence: str) -> str:
    """``sequence`` wrapped for tmux to pass to the outer terminal (needs allow-passthrough)."""
    return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"


@contextmanager
def explicit_bidi_mode(
    stream: TextIO | None, *, enabled: bool, tmux: bool = False
) -> Iterator[None]:
    """Switch a bidi-capable terminal to explicit mode (it then leaves reordering to us) and
    back to implicit mode on the way out, crashes included. Terminals without the
    recommendation ignore both sequences; nothing is written when ``stream`` is no terminal.
    Inside tmux the switch is also sent through to the outer terminal, best effort."""
    active = enabled and stream is not None and stream.isatty()

    def send(sequence: str) -> None:
        if active and stream is not None:
            stream.write(sequence + (through_tmux(sequence) if tmux else ""))
            stream.flush()

    send(EXPLICIT_MODE)
    try:
        yield
    finally:
        send(IMPLICIT_MODE)


# --- calibration -------------------------------------------------------------------------------

CALIBRATION_SAMPLE = "قال المتحدث باسم الوكالة (CNN) إن الاجتماع انتهى يوم 28 فبراير 2025."


@dataclass(frozen=True, slots=True)
class Choice:
    """One way of writing the sample: the modes behind it and its lines, in that mode."""

    bidi: str
    shape: bool
    label: str
    lines: tuple[str, ...]  # the whole sample: its end is what tells the modes apart


def calibration_choices(width: int = 60) -> list[Choice]:
    """The sample written in each mode, for the user to say which one reads right."""
    from tuireader.text import layout_text

    def lines(bidi: str, shape: str) -> tuple[str, ...]:
        return tuple(layout_text(CALIBRATION_SAMPLE, width, bidi=bidi, shape=shape))  # type: ignore[arg-type]

    return [
        Choice("app", True, "tuireader reorders and joins letters", lines("app", "on")),
        Choice("app", False, "tuireader reorders, the terminal joins letters", lines("app", "off")),
        Choice("terminal", False, "the terminal reorders", lines("terminal", "off")),
        Choice("off", False, "nobody reorders", lines("off", "off")),
    ]
