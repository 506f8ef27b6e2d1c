"""Manual vouchers (finansbilag; Dinero spells the path ``manuel``).

The rules are in ``domain.manual_vouchers``; these handlers bind the body,
call them and render the voucher.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import StringConstraints

from ..call import Call
from ..domain import manual_vouchers as vouchers
from ..domain.dates import parse_date
from ..domain.manual_vouchers import MANUAL_VOUCHERS, ManualVoucherLine, ManuelVoucherReadModel
from ..formats import money
from ..models import Amount, DineroModel, Int
from ..routing import Routes
from ..store import Record
from .document_models import BookModel, RequiredTimestampObject

routes = Routes(tag="ManuelVouchers")

Text128 = Annotated[str, StringConstraints(max_length=128)]


class ManuelVoucherLineCreateModel(DineroModel):
    Description: str | None = None
    AccountNumber: Int | None = None
    BalancingAccountNumber: Int | None = None
    Amount: Amount
    AccountVatCode: str | None = None
    BalancingAccountVatCode: str | None = None


class ManuelVoucherCreateModel(DineroModel):
    VoucherDate: str | None = None
    Lines: list[ManuelVoucherLineCreateModel] | None = None
    FileGuid: str | None = None
    ExternalReference: Text128 | None = None


class ManuelVoucherUpdateModel(DineroModel):
    Timestamp: Annotated[str, StringConstraints(min_length=1)]
    VoucherDate: str | None = None
    Lines: list[ManuelVoucherLineCreateModel] | None = None
    FileGuid: str | None = None
    ExternalReference: Text128 | None = None


PATH = "/v1/{organizationId}/vouchers/manuel"
ONE = PATH + "/{guid}"


def _lines(body: ManuelVoucherCreateModel | ManuelVoucherUpdateModel) -> list[ManualVoucherLine]:
    return [
        ManualVoucherLine(
            Description=line.Description,
            AccountNumber=line.AccountNumber,
            BalancingAccountNumber=line.BalancingAccountNumber,
            Amount=money(line.Amount),
            AccountVatCode=line.AccountVatCode,
            BalancingAccountVatCode=line.BalancingAccountVatCode,
        )
        for line in body.Lines or []
    ]


def _rendered(call: Call, row: Record) -> dict[str, Any]:
    return call.organization.table(MANUAL_VOUCHERS).document(row)


@routes.post(PATH, body=ManuelVoucherCreateModel, response=ManuelVoucherReadModel)
def create_manual_voucher(call: Call) -> dict[str, Any]:
    """A draft: no number, no entries. No VoucherDate means today."""
    body = call.body(ManuelVoucherCreateModel)
    voucher_date = parse_date(body.VoucherDate, "VoucherDate") if body.VoucherDate else None
    row = vouchers.create_manual_voucher(
        call.organization, voucher_date, _lines(body), body.FileGuid, body.ExternalReference
    )
    return _rendered(call, row)


@routes.get(ONE, response=ManuelVoucherReadModel)
def get_manual_voucher(call: Call) -> dict[str, Any]:
    """There is no list; entries name their voucher's Guid."""
    return _rendered(call, vouchers.manual_voucher(call.organization, call.guid("guid")))


@routes.put(ONE, body=ManuelVoucherUpdateModel, response=ManuelVoucherReadModel)
def update_manual_voucher(call: Call) -> dict[str, Any]:
    """Drafts only, with the current Timestamp (400/58 otherwise)."""
    guid = call.guid("guid")
    body = call.body(ManuelVoucherUpdateModel)
    voucher_date = parse_date(body.VoucherDate, "VoucherDate") if body.VoucherDate else None
    row = vouchers.update_manual_voucher(
        call.organization, guid, body.Timestamp, voucher_date, _lines(body), body.FileGuid, body.ExternalReference
    )
    return _rendered(call, row)


@routes.delete(ONE, body=RequiredTimestampObject)
def delete_manual_voucher(call: Call) -> None:
    """A draft is removed; a booked voucher's entries are reversed."""
    guid = call.guid("guid")
    body = call.body(RequiredTimestampObject)
    vouchers.delete_manual_voucher(call.organization, guid, body.Timestamp)


@routes.post(ONE + "/book", body=BookModel, response=ManuelVoucherReadModel)
def book_manual_voucher(call: Call) -> dict[str, Any]:
    """Number the voucher in the ledger's series and post its lines."""
    guid = call.guid("guid")
    body = call.body(BookModel)
    row = vouchers.book_manual_voucher(call.organization, guid, body.Timestamp, body.Number)
    return _rendered(call, row)
