"""Detection of who reorders right-to-left text, and the explicit-mode switch."""

from __future__ import annotations

import io

import pytest

from tuireader.core.terminal import (
    CALIBRATION_SAMPLE,
    EXPLICIT_MODE,
    IMPLICIT_MODE,
    calibration_choices,
    choose_modes,
    explicit_bidi_mode,
    through_tmux,
)


@pytest.mark.parametrize(
    ("env", "terminal", "bidi", "shape"),
    [
        ({"TERM": "xterm-256color"}, "xterm-256color", "app", True),
        ({"VTE_VERSION": "7600", "TERM": "xterm-256color"}, "VTE 7600", "app", False),
        ({"KONSOLE_VERSION": "230804"}, "Konsole", "terminal", False),
        ({"MLTERM": "3.9.3"}, "mlterm", "terminal", False),
        ({"TERM_PROGRAM": "Apple_Terminal"}, "Terminal.app", "terminal", False),
        ({"TERM_PROGRAM": "iTerm.app"}, "iTerm2", "app", False),
        ({"KITTY_WINDOW_ID": "1", "TERM": "xterm-kitty"}, "kitty", "app", False),
        ({"TERM_PROGRAM": "WezTerm"}, "WezTerm", "app", False),
        ({"TERM_PROGRAM": "mintty"}, "mintty", "app", True),
        ({"WT_SESSION": "x"}, "Windows Terminal", "app", True),
        ({"ALACRITTY_WINDOW_ID": "1"}, "Alacritty", "app", True),
        ({"TERM_PROGRAM": "ghostty"}, "Ghostty", "app", True),
        ({"TMUX": "/tmp/tmux-0/default,1,0", "KONSOLE_VERSION": "1"}, "tmux", "app", True),
    ],
)
def test_detection_table(env: dict[str, str], terminal: str, bidi: str, shape: bool) -> None:
    chosen = choose_modes(env)
    assert (chosen.terminal, chosen.bidi, chosen.shape) == (terminal, bidi, shape)
    assert chosen.reason


def test_warnings_for_terminals_that_need_a_setting() -> None:
    assert "force_ltr" in (choose_modes({"KITTY_WINDOW_ID": "1"}).warning or "")
    assert "Bidi" in (choose_modes({"TERM_PROGRAM": "iTerm.app"}).warning or "")
    assert "calibrate" in (choose_modes({"TMUX": "x"}).warning or "")


def test_precedence_flag_over_environment_over_config_over_detection() -> None:
    env = {"KONSOLE_VERSION": "1", "TUIREADER_BIDI": "off", "TUIREADER_SHAPE": "on"}
    assert choose_modes(env, bidi_flag="app").bidi == "app"
    assert choose_modes(env, bidi_config="terminal").bidi == "off"
    assert choose_modes({"KONSOLE_VERSION": "1"}, bidi_config="app").bidi == "app"
    assert choose_modes({"KONSOLE_VERSION": "1"}, bidi_config="auto").bidi == "terminal"
    assert choose_modes(env).shape is True
    assert choose_modes(env, shape_flag="off").shape is False
    assert "command line" in choose_modes(env, bidi_flag="app").reason


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_explicit_mode_is_set_and_reset_even_on_a_crash() -> None:
    out = FakeTerminal()
    with pytest.raises(RuntimeError), explicit_bidi_mode(out, enabled=True):
        out.write("drawing")
        raise RuntimeError("crash")
    assert out.getvalue() == EXPLICIT_MODE + "drawing" + IMPLICIT_MODE


def test_explicit_mode_is_never_written_when_disabled_or_not_a_terminal() -> None:
    out = FakeTerminal()
    with explicit_bidi_mode(out, enabled=False):
        pass
    pipe = io.StringIO()
    with explicit_bidi_mode(pipe, enabled=True):
        pass
    assert out.getvalue() == pipe.getvalue() == ""


def test_inside_tmux_the_switch_is_passed_through() -> None:
    out = FakeTerminal()
    with explicit_bidi_mode(out, enabled=True, tmux=True):
        pass
    assert through_tmux(EXPLICIT_MODE) == "\x1bPtmux;\x1b\x1b[8l\x1b\\"
    assert out.getvalue() == (
        EXPLICIT_MODE + through_tmux(EXPLICIT_MODE) + IMPLICIT_MODE + through_tmux(IMPLICIT_MODE)
    )


def test_calibration_shows_four_different_writings() -> None:
    choices = calibration_choices(70)
    assert [(c.bidi, c.shape) for c in choices] == [
        ("app", True),
        ("app", False),
        ("terminal", False),
        ("off", False),
    ]
    assert all(len(c.lines) == 1 for c in choices)  # the sample fits 70 cells
    lines = [c.lines[0] for c in choices]
    assert len({line.strip() for line in lines}) == 3  # terminal and off differ only by padding
    assert lines[1].strip().startswith(".2025")  # visual: the sentence ends on the left
    assert lines[3].startswith("قال")


def test_a_narrow_calibration_keeps_the_end_of_the_sample() -> None:
    *wrapped, off = calibration_choices(40)
    assert all(len(choice.lines) == 2 for choice in wrapped)
    assert all("2025" in choice.lines[1] for choice in wrapped)  # the second line ends it
    assert off.lines == (CALIBRATION_SAMPLE,)  # off mode never wraps


def test_dates_follow_the_regional_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime, timedelta

    from tuireader.tui.i18n import Strings, interface_language

    moment = datetime(2025, 2, 28, 9, 0, tzinfo=UTC)
    monkeypatch.setenv("LANG", "ar_DZ.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_TIME", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert interface_language("auto") == "ar"
    assert Strings("ar").date(moment) == "28 فيفري 2025"
    monkeypatch.setenv("LANG", "ar_SY.UTF-8")
    assert Strings("ar").date(moment) == "28 شباط 2025"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert interface_language("auto") == "en"
    assert Strings("ar").date(moment) == "28 فبراير 2025"
    ago = Strings("ar").relative_time(lambda: moment + timedelta(hours=3))(moment)
    assert "3" in ago and "ساعات" in ago
