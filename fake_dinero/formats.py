"""How Dinero writes and reads values on the wire (reference §2.3)."""

from __future__ import annotations

import re
import types
import typing
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Context, Decimal
from urllib.parse import quote

_CHANGES_SINCE = re.compile(
    r"^\s*([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,7}))?)?)?"
    r"\s*(Z|[+-][0-9]{2}:?[0-9]{2})?\s*$",
    re.IGNORECASE,
)

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(9998, 12, 31)
"""The dates the fake takes: in any date or time a client sends, and for its clock.

.NET's DateTime holds 0001-01-01 to 9999-12-31, but what Dinero accepts beyond its
accounting years is unknown. The fake keeps a year clear of the end of the calendar
(where Python's dates end too), so a stored date plus what the fake adds to it (the day
a purchase turns Overdue, the next reminder, the next accounting year, a 31-day window)
always fits and every stored row can be listed and rendered; an invoice's payment date,
which adds any number of days, is checked on its own (``pricing.LATEST_PAYMENT_DATE``).
It starts at 1900, before any books kept in Dinero, with room before it for the
day-before arithmetic of reports and statements.
"""


class OutOfRange(ValueError):
    """A well-formed date or time outside ``EARLIEST_DATE``..``LATEST_DATE``."""


def date_range_text() -> str:
    return f"{EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}"


def check_date(day: date, what: str = "The date") -> date:
    """``day`` if the fake takes it, else ``OutOfRange`` naming the range."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise OutOfRange(f"{what} {day.isoformat()} is outside the dates Dinero takes: use {date_range_text()}.")
    return day


def shown(value: object, limit: int = 40) -> str:
    """A client's value as a message quotes it: cut when long, so an answer says what is
    wrong without repeating a 5,000-character input back."""
    text = str(value)
    return text if len(text) <= limit else f"{text[: limit // 2]}... ({len(text)} characters)"


def content_disposition(filename: str) -> str:
    """``attachment`` with a file's name as every client reads it: plain ASCII in
    ``filename`` (non-ASCII, quotes and control characters replaced: a header holds no
    others) and the exact name in RFC 5987's ``filename*``."""
    printable = "".join(char if char.isprintable() else " " for char in filename)
    fallback = printable.encode("ascii", "replace").decode("ascii")
    fallback = fallback.replace('"', "'").replace("\\", "_").replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(printable, safe='')}"


_PRINTABLE_ASCII = "".join(chr(code) for code in range(0x21, 0x7F))


def ascii_uri(iri: str) -> str:
    """An IRI as the URI a header (``Location``) can carry (RFC 3987 §3.1): every
    character beyond printable ASCII percent-encoded as UTF-8, the rest (escapes
    included) kept."""
    return quote(iri, safe=_PRINTABLE_ASCII)


def ordinal_ignore_case(text: str) -> str:
    """``text`` as .NET's ``StringComparison.OrdinalIgnoreCase`` compares it: each character
    upper-cased on its own (simple case mapping), so ``ß`` is not ``SS`` and the Kelvin
    sign is not ``K``, as they are under Python's ``casefold``."""
    return "".join(upper if len(upper := char.upper()) == 1 else char for char in text)


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

    Raises ValueError for anything else, and ``OutOfRange`` (a ValueError) for a time
    whose date, as written or in UTC, is outside ``EARLIEST_DATE``..``LATEST_DATE``.
    Offsets run from -14:00 to +14:00, as .NET's DateTimeOffset allows.
    """
    match = _CHANGES_SINCE.match(text)
    if not match:
        raise ValueError(text)
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    moment = datetime(
        int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), micro
    )
    check_date(moment.date(), "Its date")
    if zone and zone.upper() != "Z":
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if offset > _WIDEST_OFFSET:
            raise ValueError(text)
        zone_info = timezone(offset if zone[0] == "+" else -offset)
        moment = moment.replace(tzinfo=zone_info).astimezone(timezone.utc)
        check_date(moment.date(), f"In UTC it is {moment:%Y-%m-%dT%H:%M:%S}; that date")
        return moment
    return moment.replace(tzinfo=timezone.utc)


_WIDEST_OFFSET = timedelta(hours=14)


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


def filter_text(value: object) -> str:
    """A value as Dinero's list filters compare it: its text, lower-case, with true and
    false for booleans and nothing for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).lower()


_TEXT_LIKE = (str, int, bool)


def reads_as_text(annotation: object) -> bool:
    """Whether a property of this type shows in JSON as ``str()`` of its Python value
    (text, whole numbers and booleans, or one of them or null), so a filter reads the
    same text from a stored model as from the rendered document."""
    if typing.get_origin(annotation) is typing.Annotated:
        return reads_as_text(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return len(members) == 1 and reads_as_text(members[0])
    return annotation in _TEXT_LIKE
