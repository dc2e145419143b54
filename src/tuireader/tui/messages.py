"""Messages that cross the app: refresh progress (coalesced) and its end."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tuireader.core.refresh import FeedReport, RefreshReport


class RefreshProgress(Message):
    """N of M feeds done. Only the newest one queued is handled."""

    def __init__(self, done: int, total: int, feed: FeedReport) -> None:
        self.done = done
        self.total = total
        self.feed = feed
        super().__init__()

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RefreshProgress)


class FeedFailed(Message):
    """One feed failed during a refresh (never coalesced: each is shown)."""

    def __init__(self, feed: FeedReport) -> None:
        self.feed = feed
        super().__init__()


class RefreshDone(Message):
    """A refresh finished."""

    def __init__(self, report: RefreshReport) -> None:
        self.report = report
        super().__init__()


class WriteDone(Message):
    """The writer thread applied a change; ``then`` runs on the UI."""

    def __init__(self, then: Callable[[], object]) -> None:
        self.then = then
        super().__init__()
