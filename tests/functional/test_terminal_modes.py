"""The reader in a real pseudo-terminal: explicit bidi mode is set at start and reset at exit
in app mode, and never written in the other modes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.terminal import plain_terminal, run_in_pty
from tuireader.core.terminal import EXPLICIT_MODE, IMPLICIT_MODE


@pytest.fixture
def env() -> dict[str, str]:
    return plain_terminal(100, 30)


def args(tmp_path: Path, bidi: str) -> list[str]:
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    return ["--config", str(tmp_path / "config.toml"), "--data-dir", str(tmp_path), "--bidi", bidi]


def test_app_mode_switches_the_terminal_and_back(tmp_path: Path, env: dict[str, str]) -> None:
    output = run_in_pty(args(tmp_path, "app"), env, b"\x11")  # ctrl+q quits
    text = output.decode("utf-8", errors="replace")
    assert "Welcome to tuireader" in text or "tuireader" in text
    assert text.count(EXPLICIT_MODE) == 1
    assert text.index(EXPLICIT_MODE) < text.index("tuireader")
    assert text.rstrip().endswith(IMPLICIT_MODE) or text.rfind(IMPLICIT_MODE) > text.rfind(
        "tuireader"
    )


@pytest.mark.parametrize("mode", ["terminal", "off"])
def test_other_modes_never_switch(tmp_path: Path, env: dict[str, str], mode: str) -> None:
    output = run_in_pty(args(tmp_path, mode), env, b"\x11")
    text = output.decode("utf-8", errors="replace")
    assert "tuireader" in text
    assert EXPLICIT_MODE not in text and IMPLICIT_MODE not in text


def test_switching_to_app_mode_in_the_reader_switches_the_terminal(
    tmp_path: Path, env: dict[str, str]
) -> None:
    # terminal -> off -> app with B, then quit: explicit mode on, then off again at exit.
    output = run_in_pty(args(tmp_path, "terminal"), env, [b"\x04", b"BB", b"\x11"], wait=2.5)
    text = output.decode("utf-8", errors="replace")
    assert text.count(EXPLICIT_MODE) == 1
    assert text.rfind(IMPLICIT_MODE) > text.index(EXPLICIT_MODE)
