"""Purchase credit notes: what a supplier credits, booked as the opposite of a purchase.

A credit note is made as a draft (by hand, or from a booked purchase with
``generate-creditnote``), changed while a draft and then booked, which numbers
it in the purchases' series and posts its lines the opposite way: off the
expense accounts and the VAT, onto Kreditorer for its supplier.

One "for" a booked credit purchase (``CreditNoteFor``) takes its total off what
that purchase still owes ("all potential payments are handled through the
purchase itself where the credit note will be withdrawn from the amount due",
Dinero's document); any other (standalone) credit note is settled by payments
of its own: the supplier's refund (``purchase_payments``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from ..errors import NOT_BOOKED, DineroError, not_found, validation_error
from ..models import DineroDateTime, DineroModel, Guid
from ..store import Collection, Record
from .chart import CREDITORS
from .dates import today
from .documents import PaymentData, settled_by
from .ledger import Voucher, post, reverse
from .numbering import choose_number, use_number
from .purchase_lines import (
    PurchaseLine,
    PurchaseVoucherLineReadModel,
    PurchaseVoucherTotalReadModel,
    check_bookable,
    currency_of,
    purchase_postings,
    render_lines,
    render_totals,
    stored_lines,
    total_owed,
)
from .purchases import (
    BOOKED_BY_TYPE,
    DELETED,
    PURCHASE_SERIES,
    PURCHASE_VOUCHERS,
    PurchaseVoucherData,
    is_purchase_number_taken,
    live_purchase,
    require_booked_credit,
)
from .versions import check_timestamp, timestamp_of
from .years import year_for_booking

if TYPE_CHECKING:
    from ..world import Organization

VOUCHER_TYPE = "PurchaseCreditNote"
"""The ``VoucherType`` of a purchase credit note's entries (Dinero's value is unknown)."""
GUID_NAME = "PurchaseCreditNoteGuid"


class PurchaseCreditNoteData(BaseModel):
    CreditNoteFor: str | None = None
    FileGuid: str | None = None
    ContactGuid: str | None = None
    Date: date
    Currency: str = "DKK"
    Lines: list[PurchaseLine] = Field(default_factory=list)
    Status: str = "Draft"
    CreditNoteNumber: int | None = None
    BookedByType: str | None = None
    BookingTime: date | None = None
    Payments: list[PaymentData] = Field(default_factory=list)

    @property
    def booked(self) -> bool:
        return self.Status == "Booked"


class PurchaseCreditNoteReadModel(DineroModel):
    Guid: Guid
    CreditNoteFor: Guid | None = None
    FileGuid: str | None = None
    CreditNoteNumber: int | None = Field(default=None, json_schema_extra={"format": "int64"})
    ContactGuid: Guid | None = None
    Date: DineroDateTime | None = None
    Currency: str | None = None
    Lines: list[PurchaseVoucherLineReadModel] | None = None
    Timestamp: str | None = None
    Status: str | None = None
    BookedByType: str | None = None
    BookedByUsername: str | None = None
    BookingTime: str | None = None
    Totals: list[PurchaseVoucherTotalReadModel] | None = None


def is_standalone(organization: Organization, data: PurchaseCreditNoteData) -> bool:
    """Settled by payments of its own: not for a booked credit purchase."""
    if data.CreditNoteFor is None:
        return True
    purchase = organization.table(PURCHASE_VOUCHERS).get(data.CreditNoteFor)
    return purchase is None or not purchase.data.credit


def refund_outstanding(organization: Organization, data: PurchaseCreditNoteData) -> Decimal:
    """What the supplier still owes back on a standalone credit note, in its currency."""
    return total_owed(organization, data.Lines) - settled_by(data.Payments, data.Currency)


def credit_note_status(organization: Organization, data: PurchaseCreditNoteData) -> str:
    """Draft; booked: Booked, then Paid or Overpaid once a standalone credit note's refund
    came in. One for a credit purchase is settled through it and stays Booked (Dinero's
    status for it is unknown). A credit note has no due date, so it is never Overdue."""
    if not data.booked:
        return "Draft"
    if not data.Payments or not is_standalone(organization, data):
        return "Booked"
    remaining = refund_outstanding(organization, data)
    return "Paid" if remaining == 0 else "Overpaid" if remaining < 0 else "Booked"


def _render(organization: Organization, row: Record) -> PurchaseCreditNoteReadModel:
    data: PurchaseCreditNoteData = row.data
    return PurchaseCreditNoteReadModel(
        Guid=row.key,  # type: ignore[arg-type]
        CreditNoteFor=data.CreditNoteFor,  # type: ignore[arg-type]
        FileGuid=data.FileGuid,
        CreditNoteNumber=data.CreditNoteNumber,
        ContactGuid=data.ContactGuid,  # type: ignore[arg-type]
        Date=datetime.combine(data.Date, time()),
        Currency=data.Currency,
        Lines=render_lines(organization, data.Lines),
        Timestamp=timestamp_of(row),
        Status=DELETED if row.deleted else credit_note_status(organization, data),
        BookedByType=data.BookedByType,
        BookedByUsername=None,
        BookingTime=data.BookingTime.isoformat() if data.BookingTime else None,
        Totals=render_totals(organization, data.Lines, data.Currency),
    )


PURCHASE_CREDIT_NOTES = Collection(
    "purchase_credit_notes", PurchaseCreditNoteReadModel, _render, data_model=PurchaseCreditNoteData
)


# -- drafts ------------------------------------------------------------------------------


def _describe(
    organization: Organization,
    lines: Sequence[PurchaseLine],
    credit_note_for: str | None,
    file_guid: str | None,
    contact_guid: str | None,
    on: date | None,
    currency: str | None,
    base: PurchaseCreditNoteData | None = None,
) -> PurchaseCreditNoteData:
    """The draft a body describes. What it leaves out comes from the purchase it is for:
    the file (Dinero's document), the supplier and the currency (chosen the same way)."""
    from ..resources.contacts import CONTACTS  # the contacts' table, declared with their routes

    problems: dict[str, str] = {}
    purchase: PurchaseVoucherData | None = None
    if credit_note_for is not None:
        row = organization.table(PURCHASE_VOUCHERS).get(credit_note_for)
        if row is None or row.deleted:
            raise not_found("CreditNoteFor", credit_note_for)
        purchase = row.data
    if contact_guid is not None:
        contact = organization.table(CONTACTS).get(contact_guid)
        if contact is None or contact.deleted:
            problems["ContactGuid"] = f"No contact with ContactGuid '{contact_guid}'; create the supplier first."
    chosen = currency_of(currency or (purchase.CurrencyKey if purchase else None), problems, "Currency")
    if purchase is not None and chosen != purchase.CurrencyKey:
        problems["Currency"] = f"The purchase it credits is in {purchase.CurrencyKey}; so is its credit note."
    if problems:
        raise validation_error(problems)
    fields = dict(
        CreditNoteFor=credit_note_for,
        FileGuid=file_guid or (purchase.FileGuid if purchase else None),
        ContactGuid=contact_guid or (purchase.ContactGuid if purchase else None),
        Date=on or today(organization),
        Currency=chosen,
        Lines=stored_lines(organization, lines, keep_tags=True),
    )
    if base is not None:
        return base.model_copy(update=fields)
    return PurchaseCreditNoteData(**fields)  # type: ignore[arg-type]


def create_credit_note(
    organization: Organization,
    lines: Sequence[PurchaseLine],
    credit_note_for: str | None = None,
    file_guid: str | None = None,
    contact_guid: str | None = None,
    on: date | None = None,
    currency: str | None = None,
    guid: str | None = None,
) -> Record:
    """A new draft; a client may choose its Guid (one in use: 400/42)."""
    table = organization.table(PURCHASE_CREDIT_NOTES)
    if guid is not None and table.get(guid) is not None:
        raise validation_error({"Guid": f"A purchase credit note with Guid '{guid}' already exists."})
    data = _describe(organization, lines, credit_note_for, file_guid, contact_guid, on, currency)
    return table.insert(guid or organization.world.new_guid(), data)


def credit_note(organization: Organization, guid: str) -> Record:
    return organization.table(PURCHASE_CREDIT_NOTES).require(guid, GUID_NAME)


def live_credit_note(organization: Organization, guid: str, timestamp: str | None) -> Record:
    row = organization.table(PURCHASE_CREDIT_NOTES).require_live(guid, GUID_NAME)
    check_timestamp(row, timestamp)
    return row


def update_credit_note(
    organization: Organization,
    guid: str,
    timestamp: str | None,
    lines: Sequence[PurchaseLine],
    credit_note_for: str | None = None,
    file_guid: str | None = None,
    contact_guid: str | None = None,
    on: date | None = None,
    currency: str | None = None,
) -> Record:
    """Replace a draft as a PUT does. Booked: 400/42 (Dinero's code is unknown)."""
    row = live_credit_note(organization, guid, timestamp)
    if row.data.booked:
        raise validation_error({"Status": "A booked purchase credit note cannot be changed; delete it, "
                                          "which reverses its entries, and make a new one."})
    data = _describe(organization, lines, credit_note_for, file_guid, contact_guid, on, currency, row.data)
    return organization.table(PURCHASE_CREDIT_NOTES).update(row, data)


def generate_credit_note(
    organization: Organization,
    purchase_guid: str,
    timestamp: str | None,
    on: date | None = None,
    file_guid: str | None = None,
) -> Record:
    """A draft crediting a booked purchase in full: its lines, supplier, currency and
    (unless another is given) file. A draft purchase is 400/59."""
    row = live_purchase(organization, purchase_guid, timestamp)
    purchase = require_booked_credit(row, "credited")
    return create_credit_note(
        organization, purchase.Lines, row.key, file_guid, purchase.ContactGuid, on, purchase.CurrencyKey
    )


# -- booking -------------------------------------------------------------------------------


def book_credit_note(organization: Organization, guid: str, timestamp: str | None, number: int | None = None) -> Record:
    """Number the draft and post it; one for a credit purchase takes its total off it.

    Refusals, all before anything changes: no supplier (42, "required for booking"),
    the lines (42, 77), a purchase it is for that is not booked (59) or is a credit
    purchase owing less than the credit note (42), the number (42), the year (47).
    """
    row = live_credit_note(organization, guid, timestamp)
    data: PurchaseCreditNoteData = row.data
    if data.booked:
        raise validation_error({"Status": "The purchase credit note is already booked."})
    if data.ContactGuid is None:
        raise validation_error({"ContactGuid": "A purchase credit note needs the supplier's ContactGuid to be booked."})
    check_bookable(organization, data.Lines, what="purchase credit note")
    purchase = _credited_purchase(organization, data)
    total = total_owed(organization, data.Lines)
    if purchase is not None:
        from .purchases import outstanding

        if total > outstanding(organization, purchase.data):
            raise validation_error(
                {"Lines": f"The credit note ({total} {data.Currency}) is more than the purchase still owes "
                          f"({outstanding(organization, purchase.data)} {data.Currency})."}
            )
    voucher_number = choose_number(organization, PURCHASE_SERIES, number, is_purchase_number_taken)
    year_for_booking(organization, data.Date)
    postings = purchase_postings(organization, data.Lines, CREDITORS, data.Currency, data.ContactGuid, Decimal(-1))
    post(organization, Voucher(row.key, VOUCHER_TYPE, data.Date, voucher_number, data.FileGuid), postings)
    use_number(organization, PURCHASE_SERIES, voucher_number)
    if purchase is not None:
        _credit(organization, purchase, total)
    booked = data.model_copy(update={
        "Status": "Booked", "CreditNoteNumber": voucher_number, "BookedByType": BOOKED_BY_TYPE,
        "BookingTime": today(organization),
    })
    return organization.table(PURCHASE_CREDIT_NOTES).update(row, booked)


def _credited_purchase(organization: Organization, data: PurchaseCreditNoteData) -> Record | None:
    """The credit purchase whose amount due the credit note reduces (None: standalone)."""
    if data.CreditNoteFor is None:
        return None
    row = organization.table(PURCHASE_VOUCHERS).get(data.CreditNoteFor)
    if row is None or row.deleted:
        raise not_found("CreditNoteFor", data.CreditNoteFor)
    if not row.data.booked:
        raise DineroError(
            400, NOT_BOOKED, "The purchase voucher is not booked",
            {"CreditNoteFor": "The purchase this credit note is for must be booked first."},
        )
    return row if row.data.credit else None


def _credit(organization: Organization, purchase: Record, change: Decimal) -> None:
    table = organization.table(PURCHASE_VOUCHERS)
    table.update(purchase, purchase.data.model_copy(update={"Credited": purchase.data.Credited + change}))


def delete_credit_note(organization: Organization, guid: str, timestamp: str | None) -> Record:
    """A draft is removed; a booked credit note's entries are reversed (and what it took
    off a purchase is owed again). One with payments is refused (400/42)."""
    row = live_credit_note(organization, guid, timestamp)
    data: PurchaseCreditNoteData = row.data
    if data.booked:
        if data.Payments:
            raise validation_error(
                {"Payments": "The credit note has refunds; delete them first (DELETE purchase-vouchers/{id}/payments)."}
            )
        reverse(organization, row.key)
        purchase = organization.table(PURCHASE_VOUCHERS).get(data.CreditNoteFor or "")
        if purchase is not None and purchase.data.credit and not purchase.deleted:
            _credit(organization, purchase, -total_owed(organization, data.Lines))
    return organization.table(PURCHASE_CREDIT_NOTES).delete(row)
