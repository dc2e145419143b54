"""The checks the hostile tests rely on do catch what they look for."""

from __future__ import annotations

import pytest

from tests.hostile.cli_runner import unsafe_output
from tests.hostile.payloads import PAYLOADS, forbidden_in


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if p.forbidden], ids=lambda p: p.id)
def test_a_raw_payload_is_caught_in_terminal_output(payload) -> None:  # type: ignore[no-untyped-def]
    assert forbidden_in(b"before " + payload.text.encode() + b" after")


@pytest.mark.parametrize(
    "raw",
    [b"\x1b[2J", b"a\x07b", b"\x00", b"\x7f", b"x\rx", "\u009b31m".encode(), "\u202e".encode()],
)
def test_unsafe_bytes_are_caught(raw: bytes) -> None:
    assert unsafe_output(raw)


def test_safe_text_passes() -> None:
    text = "عنوان [bold]x[/] \u202b\u2066 tab-free\n".encode()
    assert not unsafe_output(text) and not forbidden_in(text)
