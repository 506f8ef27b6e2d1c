"""Manual vouchers (finansbilag): free lines between accounts, booked as one voucher.

A manual voucher is made as a draft that does not touch the books; it can be
changed while a draft (with its current Timestamp) and is then booked, which
numbers it in the ledger's series and posts its lines through ``ledger.post``.
Deleting a draft removes it; deleting a booked voucher posts the opposite
entries ("it is not allowed under danish law to completely remove something
that has already been booked", Dinero's document), so it stays in the books
without effect.

Each line moves ``Amount`` from its balancing account to its account, with
VAT as ``vat.line_postings`` books it. The read model's line amounts follow
the same rules, so what a voucher shows is what booking posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from ..errors import UNKNOWN_ACCOUNT, DineroError, validation_error
from ..formats import money, money_json, shown
from ..models import DineroModel, Guid, Money
from ..store import Collection, Record
from .chart import VAT_TYPES, is_account, is_vat_code, vat_rate
from .dates import today
from .ledger import ENTRIES, Voucher, post, reverse
from .ledger_item_models import VOUCHER_TYPE as LEDGER_ITEM_TYPE
from .numbering import LEDGER_SERIES, choose_number, use_number
from .vat import REVERSE_CHARGE, Posting, is_sales_code, line_postings, resolve_vat_code
from .versions import check_timestamp, timestamp_of
from .years import year_for_booking

if TYPE_CHECKING:
    from ..world import Organization

VOUCHER_TYPE = "Manual"
"""The ``VoucherType`` of a manual voucher's entries."""
BOOKED_BY_TYPE = "API"
"""Dinero's document lists "API (with client id)" among the values; the client id
is not known to be part of the value, so the fake shows ``API``."""
GUID_NAME = "VoucherGuid"
"""How errors name the voucher the path points at."""
DELETED = "Deleted"
"""The Status a deleted voucher shows (see ``_render``)."""


# -- stored data ---------------------------------------------------------------------


class ManualVoucherLine(BaseModel):
    """A line as the client gave it; VAT codes as given (``None`` for the account's own, "none" for none)."""

    Description: str | None = None
    AccountNumber: int | None = None
    BalancingAccountNumber: int | None = None
    Amount: Money
    AccountVatCode: str | None = None
    BalancingAccountVatCode: str | None = None


class ManualVoucherData(BaseModel):
    VoucherDate: date
    Lines: list[ManualVoucherLine] = Field(default_factory=list)
    FileGuid: str | None = None
    ExternalReference: str | None = None
    Status: str = "Draft"
    """Draft or Booked; a deleted voucher keeps it here (its row has DeletedAt) and shows ``DELETED``."""
    VoucherNumber: int | None = None
    BookedByType: str | None = None
    BookingTime: date | None = None

    @property
    def booked(self) -> bool:
        return self.Status == "Booked"


# -- read models ---------------------------------------------------------------------


class ManuelVoucherLineReadModel(DineroModel):
    Description: str | None = None
    AmountExclVatValue: float
    AmountInclVatValue: float
    VatAmountValue: float
    AccountNumber: int | None = None
    BalancingAccountNumber: int | None = None
    AccountVatCode: str | None = None
    BalancingAccountVatCode: str | None = None
    CurrencyKey: str | None = None
    AmountInForeignCurrency: float | None = None


class ManuelVoucherReadModel(DineroModel):
    VoucherNumber: int | None = Field(default=None, json_schema_extra={"format": "int64"})
    VoucherDate: str | None = None
    TotalInclVat: float
    TotalExclVat: float
    FileGuid: str | None = None
    Guid: Guid
    CreditNoteFor: Guid | None = None
    Status: str | None = None
    Lines: list[ManuelVoucherLineReadModel] | None = None
    Timestamp: str | None = None
    ExternalReference: str | None = None
    BookedByType: str | None = None
    BookedByUsername: str | None = None
    BookingTime: str | None = None


def line_amounts(organization: Organization, line: ManualVoucherLine) -> tuple[Decimal, Decimal, Decimal]:
    """A line's amount excluding VAT, its VAT and the amount including VAT.

    As ``vat.line_postings`` books it: a sales code (on either side) adds VAT
    to ``Amount``; a reverse-charge purchase code computes VAT on ``Amount``
    (deducted and due, so it nets to zero in the books); another purchase code
    takes the VAT out of ``Amount``.
    """
    amount = money(line.Amount)
    codes = [
        code
        for number, given in ((line.AccountNumber, line.AccountVatCode),
                              (line.BalancingAccountNumber, line.BalancingAccountVatCode))
        if number is not None and (code := resolve_vat_code(organization, number, given)) is not None
    ]
    code = next((code for code in codes if is_sales_code(code)), codes[0] if codes else None)
    if code is None:
        return amount, Decimal(0), amount
    rate = vat_rate(organization, code)
    if is_sales_code(code) or code.upper() in REVERSE_CHARGE:
        vat = money(amount * rate)
        return amount, vat, amount + vat
    net = money(amount / (1 + rate))
    return net, amount - net, amount


def _render(organization: Organization, row: Record) -> ManuelVoucherReadModel:
    data: ManualVoucherData = row.data
    lines = []
    total_excl = total_incl = Decimal(0)
    for line in data.Lines:
        excl, vat, incl = line_amounts(organization, line)
        total_excl += excl
        total_incl += incl
        lines.append(
            ManuelVoucherLineReadModel(
                Description=line.Description,
                AmountExclVatValue=money_json(excl),
                AmountInclVatValue=money_json(incl),
                VatAmountValue=money_json(vat),
                AccountNumber=line.AccountNumber,
                BalancingAccountNumber=line.BalancingAccountNumber,
                AccountVatCode=line.AccountVatCode,
                BalancingAccountVatCode=line.BalancingAccountVatCode,
                CurrencyKey="DKK",
                AmountInForeignCurrency=None,
            )
        )
    return ManuelVoucherReadModel(
        VoucherNumber=data.VoucherNumber,
        VoucherDate=data.VoucherDate.isoformat(),
        TotalInclVat=money_json(total_incl),
        TotalExclVat=money_json(total_excl),
        FileGuid=data.FileGuid,
        Guid=row.key,  # type: ignore[arg-type]
        CreditNoteFor=None,
        # The read model has no DeletedAt; Dinero's answer for a deleted voucher is
        # unknown: the fake still answers it (as it does a deleted invoice), with
        # Status "Deleted" so a client can tell.
        Status=DELETED if row.deleted else data.Status,
        Lines=lines,
        Timestamp=timestamp_of(row),
        ExternalReference=data.ExternalReference,
        BookedByType=data.BookedByType,
        BookedByUsername=None,
        BookingTime=data.BookingTime.isoformat() if data.BookingTime else None,
    )


MANUAL_VOUCHERS = Collection("manual_vouchers", ManuelVoucherReadModel, _render, data_model=ManualVoucherData)


# -- rules ---------------------------------------------------------------------------


def check_lines(organization: Organization, lines: Sequence[ManualVoucherLine]) -> None:
    """Every account a line names must be in the chart (400/77) and every VAT code
    given must exist, or be "none" (400/42). Drafts are checked this far only:
    Dinero keeps drafts loose and checks the rest when booking."""
    unknown: dict[str, str] = {}
    bad_codes: dict[str, str] = {}
    for index, line in enumerate(lines):
        for side in ("Account", "BalancingAccount"):
            number, code = getattr(line, f"{side}Number"), getattr(line, f"{side}VatCode")
            if number is not None and not is_account(organization, number):
                unknown[f"Lines[{index}].{side}Number"] = (
                    f"Account {number} is not in the organization's chart of accounts; see GET accounts/entry."
                )
            if code is not None and not is_vat_code(organization, code):
                bad_codes[f"Lines[{index}].{side}VatCode"] = (
                    f"'{shown(code)}' is not a VAT code; use one of GET vatTypes (e.g. U25, I25), \"none\" for no VAT, "
                    "or leave it out for the account's own."
                )
    if unknown:
        raise DineroError(400, UNKNOWN_ACCOUNT, "Unknown account", unknown)
    if bad_codes:
        raise validation_error(bad_codes)


def _stored_lines(organization: Organization, lines: Sequence[ManualVoucherLine]) -> list[ManualVoucherLine]:
    """The lines as kept: amounts rounded to øre, VAT codes spelled as the VAT types spell them."""
    check_lines(organization, lines)
    return [
        line.model_copy(update={
            "Amount": money(line.Amount),
            "AccountVatCode": _spelled(organization, line.AccountVatCode),
            "BalancingAccountVatCode": _spelled(organization, line.BalancingAccountVatCode),
        })
        for line in lines
    ]


def _spelled(organization: Organization, code: str | None) -> str | None:
    if code is None:
        return None
    row = organization.table(VAT_TYPES).get(code.upper())
    return row.data.VatCode if row is not None else code


def create_manual_voucher(
    organization: Organization,
    voucher_date: date | None,
    lines: Sequence[ManualVoucherLine],
    file_guid: str | None = None,
    external_reference: str | None = None,
) -> Record:
    """A new draft; no date means today (the fake's clock). Nothing is booked."""
    data = ManualVoucherData(
        VoucherDate=voucher_date or today(organization),
        Lines=_stored_lines(organization, lines),
        FileGuid=file_guid or None,
        ExternalReference=external_reference,
    )
    return organization.table(MANUAL_VOUCHERS).insert(organization.world.new_guid(), data)


def manual_voucher(organization: Organization, guid: str) -> Record:
    """The voucher, deleted or not (404/40 when there is none)."""
    return organization.table(MANUAL_VOUCHERS).require(guid, GUID_NAME)


def _live(organization: Organization, guid: str, timestamp: str | None) -> Record:
    """The voucher for a change: 404/40 when missing, 400/65 when deleted, 400/58
    when ``timestamp`` is not current (``None`` skips that check: Python callers)."""
    row = organization.table(MANUAL_VOUCHERS).require_live(guid, GUID_NAME)
    check_timestamp(row, timestamp)
    return row


def update_manual_voucher(
    organization: Organization,
    guid: str,
    timestamp: str | None,
    voucher_date: date | None,
    lines: Sequence[ManualVoucherLine],
    file_guid: str | None = None,
    external_reference: str | None = None,
) -> Record:
    """Replace a draft's date, lines, file and reference, as a PUT does (what is left
    out is cleared; no date means today, as on create). A booked voucher is refused."""
    row = _live(organization, guid, timestamp)
    if row.data.booked:
        # Dinero's code is unknown: 400/42 is chosen, as for a booked invoice.
        raise validation_error(
            {"Status": "A booked manual voucher cannot be changed; delete it (which reverses its entries) "
                       "and create a new one."}
        )
    data = row.data.model_copy(update={
        "VoucherDate": voucher_date or today(organization),
        "Lines": _stored_lines(organization, lines),
        "FileGuid": file_guid or None,
        "ExternalReference": external_reference,
    })
    return organization.table(MANUAL_VOUCHERS).update(row, data)


def voucher_postings(organization: Organization, data: ManualVoucherData) -> list[Posting]:
    """What booking ``data`` posts, or 400 when it cannot be booked: no lines or a
    line with neither account (42), an unknown account (77) or VAT code (42),
    lines that do not balance (42)."""
    if not data.Lines:
        raise validation_error({"Lines": "A manual voucher needs at least one line before it can be booked."})
    sideless = {
        f"Lines[{index}]": "A line needs an AccountNumber, a BalancingAccountNumber or both."
        for index, line in enumerate(data.Lines)
        if line.AccountNumber is None and line.BalancingAccountNumber is None
    }
    if sideless:
        raise validation_error(sideless)
    check_lines(organization, data.Lines)
    postings: list[Posting] = []
    for line in data.Lines:
        postings.extend(
            line_postings(
                organization,
                line.Amount,
                line.AccountNumber,
                line.BalancingAccountNumber,
                _resolved(organization, line.AccountNumber, line.AccountVatCode),
                _resolved(organization, line.BalancingAccountNumber, line.BalancingAccountVatCode),
                line.Description,
            )
        )
    total = sum((posting.amount for posting in postings), Decimal(0))
    if total != 0:
        raise validation_error(
            {"Lines": f"The lines do not balance: with VAT they sum to {total} DKK. Give each line a "
                      "BalancingAccountNumber, or add lines on one side that make the sum 0."}
        )
    return postings


def _resolved(organization: Organization, account: int | None, given: str | None) -> str | None:
    return resolve_vat_code(organization, account, given) if account is not None else None


def book_manual_voucher(
    organization: Organization, guid: str, timestamp: str | None, number: int | None = None
) -> Record:
    """Number the draft in the ledger's series (``number`` if free) and post its lines.

    Everything that can refuse the booking is checked before anything changes:
    the lines (42, 77), the number (400/42 when taken), the accounting year
    (400/47; a date in the year after the last creates that year).
    """
    row = _live(organization, guid, timestamp)
    data: ManualVoucherData = row.data
    if data.booked:
        raise validation_error({"Status": "The manual voucher is already booked."})
    postings = voucher_postings(organization, data)
    voucher_number = choose_number(organization, LEDGER_SERIES, number, is_ledger_number_taken)
    year_for_booking(organization, data.VoucherDate)
    post(organization, Voucher(row.key, VOUCHER_TYPE, data.VoucherDate, voucher_number, data.FileGuid), postings)
    use_number(organization, LEDGER_SERIES, voucher_number)
    booked = data.model_copy(update={
        "Status": "Booked",
        "VoucherNumber": voucher_number,
        "BookedByType": BOOKED_BY_TYPE,
        "BookingTime": today(organization),
    })
    return organization.table(MANUAL_VOUCHERS).update(row, booked)


def is_ledger_number_taken(organization: Organization, number: int) -> bool:
    """Whether ``number`` of the ledger's series is used: by a manual voucher (booked,
    deleted since or not), or by a booked ledger item, which shares the series (its
    entries carry the number). Both kinds of voucher ask this one question."""
    if any(row.data.VoucherNumber == number for row in organization.table(MANUAL_VOUCHERS)):
        return True
    return any(
        row.data.VoucherNumber == number and row.data.VoucherType == LEDGER_ITEM_TYPE
        for row in organization.table(ENTRIES)
    )


def delete_manual_voucher(organization: Organization, guid: str, timestamp: str | None) -> Record:
    """A draft is removed (a soft delete, as for invoices); a booked voucher gets the
    opposite entries of its own and is marked deleted. Deleting again is 400/65."""
    row = _live(organization, guid, timestamp)
    if row.data.booked:
        reverse(organization, row.key)
    return organization.table(MANUAL_VOUCHERS).delete(row)
