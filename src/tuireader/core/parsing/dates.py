"""Feed dates (RFC 822 and ISO 8601 / W3C-DTF) to timezone-aware UTC datetimes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

# How far ahead of now a date may be before it is taken for a wrong clock or a typo.
FUTURE_TOLERANCE = timedelta(days=1)

_ISO_DATE_ONLY = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_ISO_LOOKING = re.compile(r"\d{4}-\d{2}")
_TRAILING_Z = re.compile(r"[zZ]$")
_SPACE_BEFORE_OFFSET = re.compile(r"(\d)\s+([+-]\d{2}:?\d{2})$")
# "+03:00" at the end of an RFC 822 date (not RFC 822, but common): the email parser would
# ignore it silently and read the time as UTC.
_COLON_OFFSET = re.compile(r"([+-]\d{2}):(\d{2})$")


def parse_date(raw: str | None, now: datetime) -> datetime | None:
    """Read a feed date as UTC; None when it is missing, invalid or more than a day ahead."""
    if not raw:
        return None
    text = " ".join(raw.split())
    if not text:
        return None
    moment = _read_iso(text) if _ISO_LOOKING.match(text) else None
    if moment is None:
        moment = _read_rfc822(text)
    return accept_date(moment, now)


def accept_date(moment: datetime | None, now: datetime) -> datetime | None:
    """``moment`` in UTC, or None when it is absent or too far in the future."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    if moment > now + FUTURE_TOLERANCE:
        return None
    return moment


def _read_iso(text: str) -> datetime | None:
    text = _TRAILING_Z.sub("+00:00", text)
    text = _SPACE_BEFORE_OFFSET.sub(r"\1\2", text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    # W3C-DTF allows reduced precision: "2026", "2026-11", "2026-11-28".
    match = _ISO_DATE_ONLY.fullmatch(text)
    if match is None:
        return None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def _read_rfc822(text: str) -> datetime | None:
    text = _COLON_OFFSET.sub(r"\1\2", text)
    match = _COMMON_RFC822.fullmatch(text)
    if match is not None:
        try:
            return _common_rfc822(match)
        except ValueError:
            pass  # 31 Feb, 24:00:00, an offset of a day or more: the email parser decides
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


# The form nearly every RSS date takes, "Sat, 28 Nov 2026 17:54:00 GMT" or "... +0100",
# read as ``parsedate_to_datetime`` reads it (a four-digit year from 1000, so no two-digit
# year rules apply; "-0000" means an unknown zone, which gives a naive datetime).
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_COMMON_RFC822 = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?([0-9]{1,2}) ("
    + "|".join(_MONTHS)
    + r") ([1-9][0-9]{3}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) (GMT|UTC?|Z|[+-][0-9]{4})"
)
_ZERO_OFFSET = timezone(timedelta(0))


def _common_rfc822(match: re.Match[str]) -> datetime:
    day, month, year, hour, minute, second, zone = match.groups()
    fields = (int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second))
    if zone == "-0000":
        return datetime(*fields)
    if zone[0] in "+-":
        seconds = int(zone[1:3]) * 3600 + int(zone[3:]) * 60
        offset = timezone(timedelta(seconds=-seconds if zone[0] == "-" else seconds))
    else:
        offset = _ZERO_OFFSET
    return datetime(*fields, tzinfo=offset)
