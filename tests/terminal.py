"""Environments for tests that run tuireader in a child process or a pseudo-terminal."""

from __future__ import annotations

import os
from pathlib import Path


def plain_terminal(columns: int, lines: int) -> dict[str, str]:
    """os.environ as in an xterm of that size, with no terminal-specific variables (so bidi
    detection is the same everywhere) and this checkout's sources first on the path."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TMUX", "VTE", "KONSOLE"))}
    environ.update(
        TERM="xterm-256color",
        COLUMNS=str(columns),
        LINES=str(lines),
        PYTHONPATH=os.pathsep.join([str(Path.cwd() / "src"), environ.get("PYTHONPATH", "")]),
    )
    return environ


def child_env() -> dict[str, str]:
    """The environment for a child tuireader: this checkout's sources (and tests) on the path."""
    paths = [str(Path.cwd() / "src"), str(Path.cwd())]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
