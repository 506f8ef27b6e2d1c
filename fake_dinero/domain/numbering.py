"""Voucher number series, each with a high-water mark, so the next number costs
a look-up and not a scan of every voucher.

Invoices and credit notes share one series (Dinero numbers credit notes among
the invoices); trade offers have their own; manual vouchers and ledger items
share the series of the ledger ("finansbilag").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import BaseModel

from ..errors import validation_error
from ..store import Collection, Record

if TYPE_CHECKING:
    from ..world import Organization

SALES_SERIES = "sales"
TRADE_OFFER_SERIES = "tradeoffers"
LEDGER_SERIES = "ledger"


class SeriesData(BaseModel):
    Last: int = 0
    """The highest number handed out in the series."""


def _render(organization: Organization, row: Record) -> SeriesData:
    return row.data  # type: ignore[no-any-return]


NUMBER_SERIES = Collection("number_series", SeriesData, _render, data_model=SeriesData)


def next_number(organization: Organization, series: str) -> int:
    """The number the next voucher of ``series`` gets (nothing is taken)."""
    row = organization.table(NUMBER_SERIES).get(series)
    return (row.data.Last if row is not None else 0) + 1


def choose_number(
    organization: Organization, series: str, wanted: int | None, is_taken: Callable[[Organization, int], bool]
) -> int:
    """The number a voucher of ``series`` would get: the next one, or ``wanted`` if
    it is free. Nothing is taken (``use_number`` does that once the booking holds).

    ``is_taken`` is asked only for a wanted number at or below the mark (the
    only place a used number can be). Dinero's answer to a taken or invalid
    number is unknown: 400/42 naming ``Number`` is chosen.
    """
    last = next_number(organization, series) - 1
    if wanted is None:
        return last + 1
    if wanted < 1:
        raise validation_error({"Number": "A voucher number must be 1 or more."})
    if wanted <= last and is_taken(organization, wanted):
        raise validation_error({"Number": f"Number {wanted} is already used; leave Number out to get the next one."})
    return wanted


def use_number(organization: Organization, series: str, number: int) -> None:
    """Record that ``number`` of ``series`` is used (the mark only ever rises)."""
    table = organization.table(NUMBER_SERIES)
    row = table.get(series)
    if row is None:
        table.insert(series, SeriesData(Last=number))
    elif number > row.data.Last:
        table.update(row, SeriesData(Last=number))
