"""Dinero's dates: what "today" is for the fake, and how a date is read from a client."""

from __future__ import annotations

from datetime import date, timezone
from typing import TYPE_CHECKING

from ..errors import validation_error
from ..formats import OutOfRange, check_date, shown

if TYPE_CHECKING:
    from ..world import Organization


def today(organization: Organization) -> date:
    """The date of the fake's clock in UTC (Dinero uses Danish dates; UTC keeps
    the fake free of a time-zone database)."""
    return organization.clock.now().astimezone(timezone.utc).date()


def parse_date(text: str, name: str) -> date:
    """Dinero's dates are ``YYYY-MM-DD``; a datetime's date part is accepted. A date
    outside the range the fake takes (``formats.EARLIEST_DATE``..``LATEST_DATE``) is
    refused, so every stored date can be rendered and computed with."""
    try:
        day = date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise validation_error({name: f"'{shown(text)}' is not a date. Use YYYY-MM-DD, e.g. 2026-03-02."}) from None
    try:
        return check_date(day)
    except OutOfRange as exc:
        raise validation_error({name: str(exc)}) from None
