"""tuireader's own themes, and the reading pane's colours taken from the active theme."""

from __future__ import annotations

from textual.color import Color
from textual.theme import Theme

DARK = Theme(
    name="tuireader-dark",
    primary="#4FB3BF",
    secondary="#7C9CBF",
    accent="#E0A84F",
    warning="#E0A84F",
    error="#E06C75",
    success="#98C379",
    foreground="#DADADA",
    background="#14171A",
    surface="#1B1F23",
    panel="#262B31",
    dark=True,
)

LIGHT = Theme(
    name="tuireader-light",
    primary="#1F6F78",
    secondary="#3D5A80",
    accent="#A35F00",
    warning="#A35F00",
    error="#B3261E",
    success="#2E7D32",
    foreground="#1E1E1E",
    background="#FAF8F3",
    surface="#F1EEE6",
    panel="#E4DFD3",
    dark=False,
)

THEMES = (DARK, LIGHT)
# Textual's ANSI themes use the terminal's own 16 colours: right for limited terminals.
ANSI_THEMES = ("ansi-dark", "ansi-light")


def theme_colors(theme: Theme) -> dict[str, str]:
    """Rich colour names for the reading pane's roles, from a theme (ANSI themes included)."""

    def rich(value: str | None, fallback: str) -> str:
        if not value:
            return fallback
        try:
            color = Color.parse(value)
        except Exception:  # an unknown colour name in a user theme: keep the default
            return fallback
        return str(color.rich_color.name if color.ansi is not None else color.hex)

    return {
        "accent": rich(theme.accent, "cyan"),
        "primary": rich(theme.primary, "blue"),
        "warning": rich(theme.warning, "yellow"),
        "success": rich(theme.success, "green"),
    }
