"""Purchase credit notes: create, read, change, book, delete.

The rules are in ``domain.purchase_credit_notes``; these handlers bind the body,
call them and render. Create and update answer Dinero's CreatedResponseModel
(its document says so for the update too).
"""

from __future__ import annotations

from typing import Any

from ..call import Call
from ..domain import purchase_credit_notes as credit_notes
from ..domain.dates import parse_date
from ..domain.purchase_credit_notes import PURCHASE_CREDIT_NOTES, PurchaseCreditNoteReadModel
from ..domain.versions import timestamp_of
from ..models import DineroModel, OptionalGuid
from ..routing import Routes
from ..store import Record
from .document_models import BookModel, CreatedResponseModel, TimestampObject
from .purchase_vouchers import PurchaseVoucherLineCreateModel, purchase_lines

routes = Routes(tag="PurchaseCreditNote")

PATH = "/v1/{organizationId}/vouchers/purchase/creditnotes"
ONE = PATH + "/{guid}"


class PurchaseCreditNoteCreateModel(DineroModel):
    Guid: OptionalGuid = None
    CreditNoteFor: OptionalGuid = None
    FileGuid: str | None = None
    ContactGuid: OptionalGuid = None
    Date: str | None = None
    Currency: str | None = None
    Lines: list[PurchaseVoucherLineCreateModel]


class PurchaseCreditNoteUpdateModel(DineroModel):
    CreditNoteFor: OptionalGuid = None
    FileGuid: str | None = None
    ContactGuid: OptionalGuid = None
    Date: str | None = None
    Currency: str | None = None
    Lines: list[PurchaseVoucherLineCreateModel]
    Timestamp: str


def _created(row: Record) -> CreatedResponseModel:
    return CreatedResponseModel(Guid=row.key, TimeStamp=timestamp_of(row))  # type: ignore[arg-type]


def _text(value: object) -> str | None:
    return str(value) if value else None


@routes.post(PATH, body=PurchaseCreditNoteCreateModel, response=CreatedResponseModel)
def create_purchase_credit_note(call: Call) -> CreatedResponseModel:
    """A draft; file, supplier and currency default to the purchase's (``CreditNoteFor``)."""
    body = call.body(PurchaseCreditNoteCreateModel)
    row = credit_notes.create_credit_note(
        call.organization,
        purchase_lines(body.Lines),
        credit_note_for=_text(body.CreditNoteFor),
        file_guid=body.FileGuid,
        contact_guid=_text(body.ContactGuid),
        on=parse_date(body.Date, "Date") if body.Date else None,
        currency=body.Currency,
        guid=_text(body.Guid),
    )
    return _created(row)


@routes.get(ONE, response=PurchaseCreditNoteReadModel)
def get_purchase_credit_note(call: Call) -> dict[str, Any]:
    row = credit_notes.credit_note(call.organization, call.guid("guid"))
    return call.organization.table(PURCHASE_CREDIT_NOTES).document(row)


@routes.put(ONE, body=PurchaseCreditNoteUpdateModel, response=CreatedResponseModel)
def update_purchase_credit_note(call: Call) -> CreatedResponseModel:
    """Drafts only, with the current Timestamp (what is left out is cleared or defaulted)."""
    guid = call.guid("guid")
    body = call.body(PurchaseCreditNoteUpdateModel)
    row = credit_notes.update_credit_note(
        call.organization,
        guid,
        body.Timestamp,
        purchase_lines(body.Lines),
        credit_note_for=_text(body.CreditNoteFor),
        file_guid=body.FileGuid,
        contact_guid=_text(body.ContactGuid),
        on=parse_date(body.Date, "Date") if body.Date else None,
        currency=body.Currency,
    )
    return _created(row)


@routes.delete(ONE, body=TimestampObject)
def delete_purchase_credit_note(call: Call) -> None:
    """A draft is removed; a booked credit note's entries are reversed. A body is
    required, as for purchase vouchers; its Timestamp is checked when given."""
    guid = call.guid("guid")
    credit_notes.delete_credit_note(call.organization, guid, call.body(TimestampObject).Timestamp)


@routes.post(ONE + "/book", body=BookModel, response=PurchaseCreditNoteReadModel, integer_params=("organizationId",))
def book_purchase_credit_note(call: Call) -> dict[str, Any]:
    """Number the credit note and post it; one for a credit purchase lowers what it owes."""
    guid = call.guid("guid")
    body = call.body(BookModel)
    row = credit_notes.book_credit_note(call.organization, guid, body.Timestamp, body.Number)
    return call.organization.table(PURCHASE_CREDIT_NOTES).document(row)
