"""Fixtures shared by the functional tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.feedserver import FeedServer


@pytest.fixture
def server() -> Iterator[FeedServer]:
    """A feed server on 127.0.0.1 with no routes yet; each test adds its own."""
    with FeedServer() as running:
        yield running
