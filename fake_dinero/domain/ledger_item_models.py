"""Ledger items as Dinero writes and reads them, and as the fake stores them."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel

from ..formats import money_json
from ..models import EMPTY_IS_A_VALUE, DineroModel, Guid, Int, Money, OptionalGuid
from ..models import Amount as AmountValue
from ..store import Collection, Record

if TYPE_CHECKING:
    from ..world import Organization


MAX_UNBOOKED = 1000
"""Dinero's document: "The maximum number of ledger items in the same ledger is 1000"."""
VOUCHER_TYPE = "Ledger"
"""The ``VoucherType`` of a booked ledger item's entries. Dinero's value is unknown;
"Ledger" is chosen (not "Manual": the entries' VoucherGuid, the item's Id, does not
fetch a manual voucher)."""
VERSION_BYTES = 9
"""A ``Version`` is the row version as base64 of this many big-endian bytes: 9 bytes
give 12 characters without padding, like Dinero's example ``AAAAAAYb0Eo1`` (which
decodes to 9 bytes; 8 would end in ``=``)."""

INT32_MAX = 2**31 - 1
"""``VoucherNumber`` is a .NET int: a larger number does not bind."""

Status = Literal["Draft", "PendingBooking", "Booked"]


# -- Dinero's models ----------------------------------------------------------------


class LedgerItemLineModelV2(DineroModel):
    """A line of a ledger item (kassekladde line)."""

    Id: OptionalGuid = None
    Description: str | None = None
    Amount: AmountValue | None = None
    AccountNumber: Int | None = None
    AccountVatCode: str | None = None
    BalancingAccountNumber: Int | None = None
    BalancingAccountVatCode: str | None = None
    IsPaymentForVoucherId: OptionalGuid = None


class LedgerItemModelV2(DineroModel):
    """A ledger item as added, changed and read back."""

    Id: OptionalGuid = None
    Version: str | None = None
    VoucherNumber: Int | None = None
    VoucherDate: str | None = None
    FileGuid: Annotated[str | None, EMPTY_IS_A_VALUE] = None
    """On an update, ``""`` takes the file off the item (left out: the file stays)."""
    Lines: list[LedgerItemLineModelV2] | None = None


class LedgerItemModel(DineroModel):
    """Names a ledger item (and the version the caller has seen)."""

    Id: Guid
    Version: str | None = None


class LedgerItemStatusModel(DineroModel):
    Id: Guid


class LedgerItemReadModel(DineroModel):
    Id: Guid
    Version: str | None = None


class LedgerItemStatusReadModel(DineroModel):
    Status: str | None = None
    VoucherNumber: int | None = None
    Id: Guid
    Version: str | None = None


# -- stored data -------------------------------------------------------------------


class LedgerLineData(BaseModel):
    Id: str
    Description: str | None = None
    Amount: Money
    AccountNumber: int | None = None
    AccountVatCode: str | None = None
    """The code the line books with on its account: the one given, "none", or the
    account's own when none was given (so reading it back and sending it again
    changes nothing)."""
    BalancingAccountNumber: int | None = None
    BalancingAccountVatCode: str | None = None
    IsPaymentForVoucherId: str | None = None


class LedgerItemData(BaseModel):
    VoucherNumber: int | None = None
    """The number the client gave; booking takes the next of the series without one."""
    VoucherDate: date
    FileGuid: str | None = None
    Lines: list[LedgerLineData]
    Status: Status = "Draft"
    BookedNumber: int | None = None
    BookingError: str | None = None
    """Why the last booking failed (the item went back to Draft); Dinero's status has
    no place for it, so it is only seen in the fake's state."""


class PendingBooking(BaseModel):
    Id: str
    RequestedAt: datetime
    Seen: bool = False
    """A status poll has answered PendingBooking once: the next look books it."""


class LedgerStateData(BaseModel):
    LastPostAt: datetime | None = None
    Pending: list[PendingBooking] = []


def version_of(row: Record) -> str:
    """The row version as Dinero's ledger ``Version`` (see ``VERSION_BYTES``)."""
    return base64.b64encode(row.version.to_bytes(VERSION_BYTES, "big")).decode("ascii")


def _render(organization: Organization, row: Record) -> LedgerItemModelV2:
    data: LedgerItemData = row.data
    return LedgerItemModelV2(
        Id=row.key,  # type: ignore[arg-type]
        Version=version_of(row),
        VoucherNumber=data.VoucherNumber,
        VoucherDate=data.VoucherDate.isoformat(),
        FileGuid=data.FileGuid,
        Lines=[
            LedgerItemLineModelV2(
                Id=line.Id,  # type: ignore[arg-type]
                Description=line.Description,
                Amount=money_json(line.Amount),
                AccountNumber=line.AccountNumber,
                AccountVatCode=line.AccountVatCode,
                BalancingAccountNumber=line.BalancingAccountNumber,
                BalancingAccountVatCode=line.BalancingAccountVatCode,
                IsPaymentForVoucherId=line.IsPaymentForVoucherId,  # type: ignore[arg-type]
            )
            for line in data.Lines
        ],
    )


def _as_stored(organization: Organization, row: Record) -> BaseModel:
    return row.data  # type: ignore[no-any-return]


LEDGER_ITEMS = Collection("ledger_items", LedgerItemModelV2, _render, data_model=LedgerItemData)
"""Every ledger item, unbooked or booked; deleted ones are soft-deleted."""
LEDGER_STATE = Collection("ledger_state", LedgerStateData, _as_stored, data_model=LedgerStateData)
"""One row (``STATE_KEY``): the last post's time and the items waiting to be booked."""
STATE_KEY = "ledger"


def read_model(row: Record) -> LedgerItemReadModel:
    return LedgerItemReadModel(Id=row.key, Version=version_of(row))  # type: ignore[arg-type]


def status_of(row: Record) -> LedgerItemStatusReadModel:
    data: LedgerItemData = row.data
    return LedgerItemStatusReadModel(
        Status=data.Status,
        VoucherNumber=data.BookedNumber if data.Status == "Booked" else None,
        Id=row.key,  # type: ignore[arg-type]
        Version=version_of(row),
    )


def unbooked_rows(organization: Organization) -> Iterable[Record]:
    return (
        row for row in organization.table(LEDGER_ITEMS).records()
        if not row.deleted and row.data.Status != "Booked"
    )
