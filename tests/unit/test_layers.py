"""The layers of DESIGN.md: core and text never import the UI."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "tuireader.core.store",
        "tuireader.core.refresh",
        "tuireader.core.config",
        "tuireader.core.opml",
        "tuireader.text",
        "tuireader.text.sanitize",
    ],
)
def test_module_does_not_import_textual(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith(('textual.', "
        "'tuireader.tui', 'tuireader.cli'))]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts_hold() -> None:
    code = (
        "import sys; from importlinter.cli import lint_imports_command;"
        " sys.exit(lint_imports_command())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "--no-cache"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
