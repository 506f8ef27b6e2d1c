"""How Dinero writes and reads values on the wire (reference §2.3)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Context, Decimal

_CHANGES_SINCE = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$",
    re.IGNORECASE,
)


def render_datetime(moment: datetime | None) -> str | None:
    """Dinero's datetime: UTC, no zone, at most milliseconds, trailing zeros
    trimmed (``2017-05-19T14:20:47.407``, ``2017-05-19T14:15:29.55``,
    ``2017-05-19T14:14:47``: every captured real answer has three digits or fewer).

    The fraction is cut, never rounded: a rendered time is then never later
    than the real one, so a client that feeds a seen UpdatedAt back as
    changesSince (at-or-after) still gets that row.

    Unknown whether Dinero renders CreatedAt/UpdatedAt in UTC or Danish local
    time; UTC is chosen so a client can feed a seen UpdatedAt straight back as
    changesSince (which Dinero documents as UTC).
    """
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    milliseconds = moment.microsecond // 1000
    if milliseconds:
        text += f".{milliseconds:03d}".rstrip("0")
    return text


def render_date(day: date | None) -> str | None:
    return day.isoformat() if day else None


def parse_lenient_datetime(text: str) -> datetime:
    """Parse changesSince as real clients send it: with or without ``Z``,
    an offset or a fraction, or a bare date. Naive values are UTC.

    Raises ValueError for anything else.
    """
    match = _CHANGES_SINCE.match(text)
    if not match:
        raise ValueError(text)
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    moment = datetime(
        int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), micro
    )
    if zone and zone.upper() != "Z":
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        zone_info = timezone(offset if zone[0] == "+" else -offset)
        return moment.replace(tzinfo=zone_info).astimezone(timezone.utc)
    return moment.replace(tzinfo=timezone.utc)


def render_version(counter: int) -> str:
    """Dinero's entity version: a SQL rowversion as 16 upper-case hex digits."""
    return f"{counter:016X}"


_CENT = Decimal("0.01")
_MONEY = Context(prec=60, rounding=ROUND_HALF_UP)


def money(value: Decimal | float | int | str) -> Decimal:
    """Round as Dinero rounds money: two decimals, halves away from zero."""
    return Decimal(str(value)).quantize(_CENT, context=_MONEY)


def money_json(value: Decimal | float | int | str) -> float:
    """Money as the JSON number Dinero sends."""
    return float(money(value))
