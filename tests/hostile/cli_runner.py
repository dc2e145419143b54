"""The CLI under click's runner with its own config and data dir, and byte-level checks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result

from tuireader.cli import main

# C0 controls but tab and newline, DEL; ESC is among them.
_UNSAFE_BYTES = frozenset([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])


@dataclass(frozen=True, slots=True)
class Cli:
    """Runs ``tuireader --config … --data-dir … ARGS`` in process."""

    config: Path
    data: Path

    def __call__(self, *args: str, input: str | None = None) -> Result:  # noqa: A002
        runner = CliRunner()
        return runner.invoke(
            main,
            ["--config", str(self.config), "--data-dir", str(self.data), *args],
            input=input,
            catch_exceptions=True,
        )


def unsafe_output(raw: bytes) -> list[str]:
    """What in ``raw`` (a command's stdout or stderr) must never reach a terminal."""
    problems = sorted({f"byte 0x{b:02x}" for b in raw if b in _UNSAFE_BYTES})
    text = raw.decode("utf-8", errors="replace")
    problems += sorted(
        {f"U+{ord(c):04X}" for c in text if 0x80 <= ord(c) <= 0x9F or c in "\u202d\u202e"}
    )
    return problems


def assert_clean(result: Result, *, codes: tuple[int, ...] = (0,)) -> str:
    """Assert the command ended with one of ``codes``, raised nothing and printed only safe
    bytes; return its standard output as text."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in codes, (result.exit_code, result.output)
    for stream in (result.stdout_bytes, result.stderr_bytes):
        assert not unsafe_output(stream), unsafe_output(stream)
    assert "Traceback" not in result.stderr
    return result.stdout
