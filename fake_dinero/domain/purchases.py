"""Purchase vouchers (købsbilag): what an organization bought, booked as an expense.

A purchase is made as a draft that does not touch the books, changed while a
draft (with its current Timestamp) and then booked, which numbers it in the
purchases' series and posts its lines through ``ledger.post``:

- a **cash** purchase was paid at once from a deposit account (``DepositAccountNumber``);
  it is in DKK, has no PaymentDate of its own (it shows its VoucherDate) and is
  Paid once booked;
- a **credit** purchase is owed to a supplier (``ContactGuid``) by ``PaymentDate``:
  booked, it is owed on Kreditorer and shows Booked, Overdue once the clock passes
  its PaymentDate, then Paid or Overpaid by its payments (``purchase_payments``).
  It may be in another currency; it is booked in DKK at the currency's rate.

Deleting a draft removes it; deleting a booked purchase posts the opposite
entries ("not allowed under danish law to completely remove something that has
already been booked", Dinero's document). Booked purchases never change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from ..errors import NOT_BOOKED, DineroError, validation_error
from ..formats import shown
from ..models import DineroModel, Guid, Money
from ..store import Collection, Record
from .chart import CREDITORS, DEPOSIT_ACCOUNTS, deposit_account
from .dates import today
from .documents import PaymentData, settled_by, settlement_status
from .ledger import Voucher, post, reverse
from .numbering import choose_number, use_number
from .purchase_lines import (
    REGIONS,
    PurchaseLine,
    PurchaseVoucherLineReadModel,
    PurchaseVoucherTotalReadModel,
    check_bookable,
    currency_of,
    line_amounts,
    purchase_postings,
    render_lines,
    render_totals,
    stored_lines,
    total_owed,
)
from .versions import check_timestamp, timestamp_of
from .years import year_for_booking

if TYPE_CHECKING:
    from ..world import Organization

PurchaseType = Literal["cash", "credit"]
PURCHASE_SERIES = "purchases"
"""Purchase vouchers and purchase credit notes share a number series of their own.
Dinero's numbering of purchases is unknown (reference §9); a series apart from the
invoices' and the ledger's is chosen."""
VOUCHER_TYPE = "Purchases"
"""The ``VoucherType`` of a purchase's entries (Dinero's document's example)."""
PAYMENT_VOUCHER_TYPE = "PurchasePayment"
"""The ``VoucherType`` of a purchase payment's entries (Dinero's value is unknown)."""
BOOKED_BY_TYPE = "API"
GUID_NAME = "PurchaseVoucherGuid"
DELETED = "Deleted"
FIXED_ASSET_LIMIT = Decimal("33100")
"""The Danish small-asset limit (småaktivgrænsen, 2025), excl. VAT: a line over it may
be a fixed asset (``ShouldPossiblyBeFixedAsset``). Dinero's own rule is unknown."""


# -- stored data ---------------------------------------------------------------------


class PurchaseVoucherData(BaseModel):
    PurchaseType: PurchaseType
    VoucherDate: date
    PaymentDate: date | None = None
    """A credit purchase's due date (a cash purchase has none)."""
    Lines: list[PurchaseLine] = Field(default_factory=list)
    DepositAccountNumber: int | None = None
    RegionKey: str | None = None
    FileGuid: str | None = None
    ContactGuid: str | None = None
    CurrencyKey: str = "DKK"
    ExternalReference: str | None = None
    Status: str = "Draft"
    """Draft or Booked; what the read model shows is derived (see ``purchase_status``)."""
    VoucherNumber: int | None = None
    BookedByType: str | None = None
    BookingTime: date | None = None
    Payments: list[PaymentData] = Field(default_factory=list)
    Credited: Money = Decimal(0)
    """What booked purchase credit notes for it took off, in its currency."""

    @property
    def booked(self) -> bool:
        return self.Status == "Booked"

    @property
    def credit(self) -> bool:
        return self.PurchaseType == "credit"


# -- read models ---------------------------------------------------------------------


class PurchaseVoucherReadModelV2(DineroModel):
    Guid: Guid
    Timestamp: str | None = None
    Status: str | None = None
    FileGuid: str | None = None
    VoucherNumber: int | None = Field(default=None, json_schema_extra={"format": "int64"})
    VoucherDate: str | None = None
    PaymentDate: str | None = None
    RegionKey: str | None = None
    PurchaseType: str | None = None
    Lines: list[PurchaseVoucherLineReadModel] | None = None
    DepositAccountNumber: int | None = None
    ContactGuid: Guid | None = None
    ExternalReference: str | None = Field(default=None, max_length=128)
    VoucherTotals: list[PurchaseVoucherTotalReadModel] | None = None
    CurrencyKey: str | None = None
    BookedByType: str | None = None
    BookedByUsername: str | None = None
    BookingTime: str | None = None


class PurchaseVoucherFetchReadModel(DineroModel):
    Status: str | None = None
    FileGuid: str | None = None
    VoucherNumber: int | None = Field(default=None, json_schema_extra={"format": "int64"})
    VoucherDate: str | None = None
    PaymentDate: str | None = None
    RegionKey: str | None = None
    PurchaseType: str | None = None
    Lines: list[PurchaseVoucherLineReadModel] | None = None
    DepositAccountNumber: int | None = None
    ContactGuid: Guid | None = None
    ExternalReference: str | None = Field(default=None, max_length=128)
    VoucherTotals: list[PurchaseVoucherTotalReadModel] | None = None
    ShouldPossiblyBeFixedAsset: bool


class SimilarPurchaseVoucherReadModel(DineroModel):
    VoucherNumber: int | None = Field(default=None, json_schema_extra={"format": "int64"})
    SimilarGuid: Guid | None = None
    SimilarFound: bool


def outstanding(organization: Organization, data: PurchaseVoucherData) -> Decimal:
    """What is still owed to the supplier, in the purchase's currency: the total less
    payments (and written-off remainders), less purchase credit notes for it. A
    credit note never makes a purchase overpaid."""
    left = total_owed(organization, data.Lines) - settled_by(data.Payments, data.CurrencyKey)
    return left - min(data.Credited, max(left, Decimal(0)))


def overdue_from(data: PurchaseVoucherData) -> datetime | None:
    """The moment a booked credit purchase turns Overdue: the day after its PaymentDate."""
    if not data.booked or not data.credit or data.PaymentDate is None:
        return None
    return datetime.combine(data.PaymentDate + timedelta(days=1), time(), timezone.utc)


def purchase_status(organization: Organization, data: PurchaseVoucherData) -> str:
    """Dinero's statuses: a cash purchase is Draft or Paid; a credit purchase Draft,
    Booked, Overdue, Paid or Overpaid (the document's casing, unlike sales' OverPaid).
    Editing is a state of Dinero's screens and never shown here."""
    if not data.booked:
        return "Draft"
    if not data.credit:
        return "Paid"
    settled = bool(data.Payments) or data.Credited != 0
    now = organization.clock.now()
    return settlement_status(outstanding(organization, data), settled, overdue_from(data), now, "Overpaid")


def _facts(organization: Organization, data: PurchaseVoucherData) -> dict[str, object]:
    """What the read and fetch models share."""
    payment_date = data.PaymentDate if data.credit else data.VoucherDate
    return dict(
        FileGuid=data.FileGuid,
        VoucherNumber=data.VoucherNumber,
        VoucherDate=data.VoucherDate.isoformat(),
        PaymentDate=payment_date.isoformat() if payment_date else None,
        RegionKey=data.RegionKey,
        PurchaseType=data.PurchaseType,
        Lines=render_lines(organization, data.Lines),
        DepositAccountNumber=data.DepositAccountNumber,
        ContactGuid=data.ContactGuid,
        ExternalReference=data.ExternalReference,
        VoucherTotals=render_totals(organization, data.Lines, data.CurrencyKey),
    )


def _render(organization: Organization, row: Record) -> PurchaseVoucherReadModelV2:
    data: PurchaseVoucherData = row.data
    return PurchaseVoucherReadModelV2(
        Guid=row.key,  # type: ignore[arg-type]
        Timestamp=timestamp_of(row),
        # The read model has no DeletedAt: a deleted purchase shows "Deleted", as a
        # deleted manual voucher does (Dinero's answer for one is unknown).
        Status=DELETED if row.deleted else purchase_status(organization, data),
        CurrencyKey=data.CurrencyKey,
        BookedByType=data.BookedByType,
        BookedByUsername=None,
        BookingTime=data.BookingTime.isoformat() if data.BookingTime else None,
        **_facts(organization, data),  # type: ignore[arg-type]
    )


def _turns_at(row: Record) -> datetime | None:
    return overdue_from(row.data)


PURCHASE_VOUCHERS = Collection(
    "purchase_vouchers", PurchaseVoucherReadModelV2, _render, data_model=PurchaseVoucherData, turns_at=_turns_at
)


# -- what a client describes ------------------------------------------------------------


@dataclass(frozen=True)
class PurchaseValues:
    """A create, update, fetch or similar body, as plain values."""

    purchase_type: str
    lines: Sequence[PurchaseLine] = ()
    voucher_date: date | None = None
    payment_date: date | None = None
    deposit_account: int | None = None
    region_key: str | None = None
    file_guid: str | None = None
    contact_guid: str | None = None
    currency_key: str | None = None
    external_reference: str | None = None


def describe(
    organization: Organization, values: PurchaseValues, keep_tags: bool, base: PurchaseVoucherData | None = None
) -> PurchaseVoucherData:
    """The draft ``values`` describe (400 when they cannot be one). ``base`` is the draft
    being updated; its state is kept. No VoucherDate means today.

    Dinero's rules for the two kinds (its document and observed answers): a cash
    purchase takes no PaymentDate ("PaymentDate should not be set on cash purchases",
    400) and no currency but DKK; a deposit account, region and contact are for cash
    and credit purchases respectively: a credit purchase's DepositAccountNumber and
    RegionKey, and a cash purchase's ContactGuid, are not kept (the read model shows
    them only on their kind).
    """
    from ..resources.contacts import CONTACTS  # the contacts' table, declared with their routes

    problems: dict[str, str] = {}
    kind = values.purchase_type.strip().lower()
    if kind not in ("cash", "credit"):
        raise validation_error(
            {"PurchaseType": f"'{shown(values.purchase_type)}' is not a purchase type; use cash or credit."}
        )
    cash = kind == "cash"
    currency = currency_of(values.currency_key, problems, "CurrencyKey")
    region = None
    if cash:
        if values.payment_date is not None:
            problems["PaymentDate"] = "PaymentDate should not be set on cash purchases."
        if currency != "DKK":
            problems["CurrencyKey"] = (
                f"A cash purchase is in DKK; a purchase in {currency} is a credit purchase (PurchaseType credit)."
            )
        if values.deposit_account is not None and deposit_account(organization, values.deposit_account) is None:
            problems["DepositAccountNumber"] = _not_a_deposit_account(organization, values.deposit_account)
        if values.region_key is not None:
            region = REGIONS.get(values.region_key.strip().lower())
            if region is None:
                problems["RegionKey"] = f"'{shown(values.region_key)}' is not a region; use DK, EU or World."
    elif values.contact_guid is not None:
        contact = organization.table(CONTACTS).get(values.contact_guid)
        if contact is None or contact.deleted:
            problems["ContactGuid"] = f"No contact with ContactGuid '{values.contact_guid}'; create the supplier first."
    if problems:
        raise validation_error(problems)
    fields = dict(
        PurchaseType=kind,
        VoucherDate=values.voucher_date or today(organization),
        PaymentDate=None if cash else values.payment_date,
        Lines=stored_lines(organization, values.lines, keep_tags),
        DepositAccountNumber=values.deposit_account if cash else None,
        RegionKey=region,
        FileGuid=values.file_guid or None,
        ContactGuid=None if cash else values.contact_guid,
        CurrencyKey=currency,
        ExternalReference=values.external_reference,
    )
    if base is not None:
        return base.model_copy(update=fields)
    return PurchaseVoucherData(**fields)  # type: ignore[arg-type]


def _not_a_deposit_account(organization: Organization, number: int) -> str:
    numbers = ", ".join(row.key for row in organization.table(DEPOSIT_ACCOUNTS).records())
    return f"{number} is not a deposit account; use one of {numbers} (GET accounts/deposit)."


# -- drafts -------------------------------------------------------------------------------


def create_purchase_voucher(organization: Organization, values: PurchaseValues, keep_tags: bool = True) -> Record:
    """A new draft: no number, no entries."""
    data = describe(organization, values, keep_tags)
    return organization.table(PURCHASE_VOUCHERS).insert(organization.world.new_guid(), data)


def purchase_voucher(organization: Organization, guid: str) -> Record:
    """The purchase, deleted or not (404/40 when there is none)."""
    return organization.table(PURCHASE_VOUCHERS).require(guid, GUID_NAME)


def live_purchase(organization: Organization, guid: str, timestamp: str | None) -> Record:
    """The purchase for a change: 404/40 when missing, 400/65 when deleted, 400/58 when
    ``timestamp`` is not current (``None`` skips that check)."""
    row = organization.table(PURCHASE_VOUCHERS).require_live(guid, GUID_NAME)
    check_timestamp(row, timestamp)
    return row


def update_purchase_voucher(
    organization: Organization, guid: str, timestamp: str | None, values: PurchaseValues, keep_tags: bool = True
) -> Record:
    """Replace a draft as a PUT does (what is left out is cleared). Booked: 400/42."""
    row = live_purchase(organization, guid, timestamp)
    if row.data.booked:
        # Dinero's code is unknown ("you cannot update booked purchase vouchers"); 400/42 is chosen.
        raise validation_error(
            {"Status": "A booked purchase voucher cannot be changed; credit it (generate-creditnote) or delete it, "
                       "which reverses its entries."}
        )
    return organization.table(PURCHASE_VOUCHERS).update(row, describe(organization, values, keep_tags, row.data))


def delete_purchase_voucher(organization: Organization, guid: str, timestamp: str | None) -> Record:
    """A draft is removed (a soft delete); a booked purchase's entries are reversed and
    it is marked deleted. One with payments is refused (400/42): delete them first,
    so no payment is left pointing at nothing (Dinero's rule is unknown)."""
    row = live_purchase(organization, guid, timestamp)
    if row.data.booked:
        if row.data.Payments:
            raise validation_error(
                {"Payments": "The purchase has payments; delete them first (DELETE purchase-vouchers/{id}/payments)."}
            )
        reverse(organization, row.key)
    return organization.table(PURCHASE_VOUCHERS).delete(row)


# -- booking -------------------------------------------------------------------------------


def book_purchase_voucher(
    organization: Organization, guid: str, timestamp: str | None, number: int | None = None
) -> Record:
    """Number the draft in the purchases' series (``number`` if free) and post it.

    Everything that can refuse the booking is checked before anything changes: the
    lines (42, 77), a cash purchase's deposit account, a credit purchase's supplier
    and PaymentDate ("credit vouchers need PaymentDate to book", observed), the number
    (42) and the accounting year (47).
    """
    row = live_purchase(organization, guid, timestamp)
    data: PurchaseVoucherData = row.data
    if data.booked:
        raise validation_error({"Status": "The purchase voucher is already booked."})
    check_bookable(organization, data.Lines, data.RegionKey if not data.credit else None)
    problems: dict[str, str] = {}
    if data.credit:
        if data.ContactGuid is None:
            problems["ContactGuid"] = "A credit purchase needs the supplier's ContactGuid before it can be booked."
        if data.PaymentDate is None:
            problems["PaymentDate"] = "A credit purchase needs a PaymentDate (its due date) before it can be booked."
        paid_from = CREDITORS
    elif data.DepositAccountNumber is None:
        problems["DepositAccountNumber"] = "A cash purchase needs the DepositAccountNumber it was paid from."
        paid_from = 0
    else:
        paid_from = data.DepositAccountNumber
    if problems:
        raise validation_error(problems)
    voucher_number = choose_number(organization, PURCHASE_SERIES, number, is_purchase_number_taken)
    year_for_booking(organization, data.VoucherDate)
    postings = purchase_postings(organization, data.Lines, paid_from, data.CurrencyKey, data.ContactGuid)
    post(organization, Voucher(row.key, VOUCHER_TYPE, data.VoucherDate, voucher_number, data.FileGuid), postings)
    use_number(organization, PURCHASE_SERIES, voucher_number)
    booked = data.model_copy(update={
        "Status": "Booked",
        "VoucherNumber": voucher_number,
        "BookedByType": BOOKED_BY_TYPE,
        "BookingTime": today(organization),
    })
    return organization.table(PURCHASE_VOUCHERS).update(row, booked)


def is_purchase_number_taken(organization: Organization, number: int) -> bool:
    """Whether a purchase voucher or purchase credit note (booked, deleted since or not) has ``number``."""
    from .purchase_credit_notes import PURCHASE_CREDIT_NOTES  # the credit notes build on this module

    if any(row.data.VoucherNumber == number for row in organization.table(PURCHASE_VOUCHERS)):
        return True
    return any(row.data.CreditNoteNumber == number for row in organization.table(PURCHASE_CREDIT_NOTES))


def require_booked_credit(row: Record, action: str) -> PurchaseVoucherData:
    """A purchase that can be paid or credited: booked (59 on a draft)."""
    data: PurchaseVoucherData = row.data
    if not data.booked:
        raise DineroError(
            400, NOT_BOOKED, "The purchase voucher is not booked",
            {"Status": f"Only a booked purchase voucher can be {action}; book it first."},
        )
    return data


# -- looking before creating -------------------------------------------------------------


def preview(organization: Organization, values: PurchaseValues) -> PurchaseVoucherFetchReadModel:
    """The totals a purchase would have (``fetch``); nothing is stored."""
    data = describe(organization, values, keep_tags=True)
    return PurchaseVoucherFetchReadModel(
        Status="Draft",
        ShouldPossiblyBeFixedAsset=any(
            line_amounts(organization, line).excl >= FIXED_ASSET_LIMIT for line in data.Lines
        ),
        **_facts(organization, data),  # type: ignore[arg-type]
    )


def similar(organization: Organization, values: PurchaseValues) -> SimilarPurchaseVoucherReadModel:
    """A purchase that looks like the one described (``similar``): not deleted, the same
    date, total and supplier, or the same receipt file. Dinero's rule is unknown; this
    is what a duplicate check most likely compares. The newest match wins."""
    data = describe(organization, values, keep_tags=True)
    total = total_owed(organization, data.Lines)
    for row in reversed(organization.table(PURCHASE_VOUCHERS).records()):
        if row.deleted:
            continue
        other: PurchaseVoucherData = row.data
        same_file = data.FileGuid is not None and other.FileGuid == data.FileGuid
        same_purchase = (
            other.VoucherDate == data.VoucherDate
            and other.ContactGuid == data.ContactGuid
            and other.CurrencyKey == data.CurrencyKey
            and total_owed(organization, other.Lines) == total
        )
        if same_file or same_purchase:
            return SimilarPurchaseVoucherReadModel(
                VoucherNumber=other.VoucherNumber, SimilarGuid=row.key, SimilarFound=True  # type: ignore[arg-type]
            )
    return SimilarPurchaseVoucherReadModel(SimilarFound=False)


def drafts_with_file(organization: Organization, file_guid: str) -> list[str]:
    """The Guids of purchase drafts whose receipt is ``file_guid`` (oldest first)."""
    return [
        row.key
        for row in organization.table(PURCHASE_VOUCHERS).records()
        if not row.deleted and not row.data.booked and row.data.FileGuid == file_guid
    ]

