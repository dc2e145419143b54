"""Environments for tests that run tuireader in a child process or a pseudo-terminal."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time
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


def run_in_pty(
    args: list[str], env: dict[str, str], keys: bytes | list[bytes], wait: float = 4.0
) -> bytes:
    """Run tuireader in a pty, press ``keys`` once it has drawn (a list: one group of keys
    every ``wait`` seconds), return all it wrote."""
    steps = list(keys) if isinstance(keys, list) else [keys]
    pid, fd = pty.fork()
    if pid == 0:  # the child: become tuireader
        os.execvpe(sys.executable, [sys.executable, "-m", "tuireader", *args], env)
    output = b""
    deadline = time.monotonic() + 30
    started = time.monotonic()
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                output += chunk
            if steps and time.monotonic() - started > wait and b"tuireader" in output:
                os.write(fd, steps.pop(0))
                started = time.monotonic()
        else:
            os.kill(pid, signal.SIGKILL)
    finally:
        os.waitpid(pid, 0)
        os.close(fd)
    return output
