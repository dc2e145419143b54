"""The environment of a plain terminal, for tests that run tuireader in a pseudo-terminal."""

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
