"""Fixtures shared by the functional tests."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, self_signed_certificate


@pytest.fixture
def server() -> Iterator[FeedServer]:
    """A feed server on 127.0.0.1 with no routes yet; each test adds its own."""
    with FeedServer() as running:
        yield running


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, ssl.SSLContext]:
    """A self-signed certificate for 127.0.0.1: its file, and a server context using it."""
    made = self_signed_certificate(tmp_path)
    if made is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    return made
