"""The one booking path: every amount that reaches the books goes through ``post``.

A voucher (an invoice, a payment, a reminder's fees, a manual voucher, a
ledger item...) posts a set of lines that balance to the øre; each line is an
entry of the ``ENTRIES`` table, stamped with the time it was added (what
``entries/changes`` reads). Entries are never changed or removed: deleting a
booked voucher posts the opposite entries (``reverse``), as Danish
bookkeeping law wants and Dinero's document describes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel

from ..errors import UNKNOWN_ACCOUNT, DineroError
from ..formats import money
from ..models import DineroModel, Guid, Money
from ..store import Collection, Record
from .chart import CREDITORS, DEBTORS, account_name, is_account, vat_type
from .vat import Posting
from .years import year_for_booking

if TYPE_CHECKING:
    from ..world import Organization

__all__ = ["ENTRIES", "EntryData", "Posting", "UnbalancedPosting", "Voucher", "post", "reverse"]


class UnbalancedPosting(ValueError):
    """Lines that do not sum to zero: a bug in the caller, never a client's error
    (rules that let a client send unbalanced lines refuse them before posting)."""


@dataclass(frozen=True)
class Voucher:
    """What every entry of one posting shares."""

    guid: str
    type: str
    """Dinero's ``VoucherType`` (e.g. ``Invoice``, ``Purchases``, ``Manual``)."""
    date: date
    number: int | None = None
    file_guid: str | None = None


class EntryReadModel(DineroModel):
    AccountNumber: int
    AccountName: str | None = None
    Date: str | None = None
    VoucherNumber: int | None = None
    VoucherGuid: Guid | None = None
    FileGuid: str | None = None
    VoucherType: str | None = None
    Description: str | None = None
    VatType: str | None = None
    VatCode: str | None = None
    Amount: float
    EntryGuid: Guid | None = None
    ContactGuid: Guid | None = None
    Type: str | None = None


class EntryData(BaseModel):
    AccountNumber: int
    Date: date
    VoucherNumber: int | None = None
    VoucherGuid: str
    FileGuid: str | None = None
    VoucherType: str
    Description: str | None = None
    VatCode: str | None = None
    Amount: Money
    ContactGuid: str | None = None
    Reversal: bool = False
    """Posted to undo an entry of a deleted voucher."""


def render_entry(organization: Organization, key: str, data: EntryData, entry_type: str = "Normal") -> EntryReadModel:
    vat = vat_type(organization, data.VatCode)
    return EntryReadModel(
        AccountNumber=data.AccountNumber,
        AccountName=account_name(organization, data.AccountNumber),
        Date=data.Date.isoformat(),
        VoucherNumber=data.VoucherNumber,
        VoucherGuid=data.VoucherGuid,  # type: ignore[arg-type]
        FileGuid=data.FileGuid,
        VoucherType=data.VoucherType,
        Description=data.Description,
        VatType=vat.Name if vat is not None else None,
        VatCode=vat.VatCode if vat is not None else None,
        Amount=float(data.Amount),
        EntryGuid=key,  # type: ignore[arg-type]
        ContactGuid=data.ContactGuid,  # type: ignore[arg-type]
        Type=entry_type,
    )


def _render(organization: Organization, row: Record) -> EntryReadModel:
    return render_entry(organization, row.key, row.data)


ENTRIES = Collection("entries", EntryReadModel, _render, data_model=EntryData, documents_kept=1_000_000)
"""Every posted line; a row's ``parent`` is its voucher's guid. A year's entries are read
whole (GET entries, the reports), so a table keeps all their documents (about 700 bytes
each) rather than render most of them again on every such read."""


class PartyData(BaseModel):
    """What a contact has been booked as."""

    IsDebitor: bool = False
    IsCreditor: bool = False


def _render_party(organization: Organization, row: Record) -> PartyData:
    return row.data  # type: ignore[no-any-return]


PARTIES = Collection("parties", PartyData, _render_party, data_model=PartyData)
"""Contacts that something was booked on, by ContactGuid (``IsDebitor``, ``IsCreditor``)."""


def post(organization: Organization, voucher: Voucher, lines: Iterable[Posting]) -> list[Record]:
    """Book ``lines`` as entries of ``voucher``.

    The lines must balance to the øre (``UnbalancedPosting`` otherwise) and
    name accounts of the chart (400/77). The voucher's date must be in an
    accounting year, or in the year right after the last, which it then
    creates (400/47 otherwise). Zero lines are left out.
    """
    postings = [line for line in lines if line.amount != 0]
    for line in postings:
        if money(line.amount) != line.amount:
            raise UnbalancedPosting(f"{line.amount} on {line.account} is not whole øre")
    total = sum((line.amount for line in postings), Decimal(0))
    if total != 0:
        raise UnbalancedPosting(f"the lines of {voucher.type} {voucher.guid} sum to {total}, not 0")
    unknown = sorted({line.account for line in postings if not is_account(organization, line.account)})
    if unknown:
        raise DineroError(
            400, UNKNOWN_ACCOUNT, "Unknown account",
            {"AccountNumber": f"Account {', '.join(map(str, unknown))} is not in the organization's chart of accounts; "
                              "list them with GET accounts/entry."},
        )
    year_for_booking(organization, voucher.date)
    return _insert(organization, voucher, postings, reversal=False)


def reverse(organization: Organization, voucher_guid: str) -> list[Record]:
    """Post the opposite of every entry of a voucher not yet reversed, dated as the
    originals, so the voucher still shows but no longer counts."""
    rows = voucher_entries(organization, voucher_guid)
    originals = [row for row in rows if not row.data.Reversal]
    if not originals or len(rows) - len(originals) >= len(originals):
        return []
    first = originals[0].data
    voucher = Voucher(voucher_guid, first.VoucherType, first.Date, first.VoucherNumber, first.FileGuid)
    opposite = [
        Posting(row.data.AccountNumber, -row.data.Amount, row.data.Description, row.data.VatCode, row.data.ContactGuid)
        for row in originals
    ]
    return _insert(organization, voucher, opposite, reversal=True)


def _insert(organization: Organization, voucher: Voucher, postings: list[Posting], reversal: bool) -> list[Record]:
    table = organization.table(ENTRIES)
    new_guid = organization.world.new_guid
    rows = []
    for line in postings:
        data = EntryData(
            AccountNumber=line.account,
            Date=voucher.date,
            VoucherNumber=voucher.number,
            VoucherGuid=voucher.guid,
            FileGuid=voucher.file_guid,
            VoucherType=voucher.type,
            Description=line.description,
            VatCode=line.vat_code,
            Amount=line.amount,
            ContactGuid=line.contact_guid,
            Reversal=reversal,
        )
        rows.append(table.insert(new_guid(), data, parent=voucher.guid))
        if line.contact_guid is not None and line.account in (DEBTORS, CREDITORS):
            _mark_party(organization, line.contact_guid, debtor=line.account == DEBTORS)
    return rows


def _mark_party(organization: Organization, contact_guid: str, debtor: bool) -> None:
    """A contact becomes a debtor (creditor) once something is booked on it as one.

    The contact's row is stored anew so its cached read model and UpdatedAt show it.
    """
    table = organization.table(PARTIES)
    row = table.get(contact_guid)
    current = row.data if row is not None else PartyData()
    flag = "IsDebitor" if debtor else "IsCreditor"
    if getattr(current, flag):
        return
    changed = current.model_copy(update={flag: True})
    if row is None:
        table.insert(contact_guid, changed)
    else:
        table.update(row, changed)
    from ..resources.contacts import CONTACTS  # the contact's own table, to refresh its read model

    contacts = organization.table(CONTACTS)
    contact = contacts.get(contact_guid)
    if contact is not None:
        contacts.update(contact, contact.data)


def party(organization: Organization, contact_guid: str) -> PartyData:
    row = organization.table(PARTIES).get(contact_guid)
    return row.data if row is not None else PartyData()  # type: ignore[no-any-return]


_SETTLERS: list[Callable[[Organization], None]] = []


def on_settle(settler: Callable[[Organization], None]) -> Callable[[Organization], None]:
    """Register work that must be done before the books are read: Dinero books
    some vouchers in the background (ledger items), and the fake does that work
    when the clock says it is due, the next time anyone looks."""
    _SETTLERS.append(settler)
    return settler


def settle(organization: Organization) -> None:
    """Finish the background bookings that are due, so reads see their entries."""
    for settler in _SETTLERS:
        settler(organization)


def voucher_entries(organization: Organization, voucher_guid: str) -> list[Record]:
    """The entries of one voucher, oldest first."""
    return [row for row in organization.table(ENTRIES) if row.parent == voucher_guid]


def entries(organization: Organization) -> Iterator[Record]:
    """Every entry, in the order they were added (due background bookings first)."""
    settle(organization)
    return iter(organization.table(ENTRIES))


def balance(organization: Organization, account: int, start: date | None = None, end: date | None = None) -> Decimal:
    """The sum of an account's entries dated within [start, end]."""
    return sum(
        (
            row.data.Amount
            for row in organization.table(ENTRIES)
            if row.data.AccountNumber == account
            and (start is None or row.data.Date >= start)
            and (end is None or row.data.Date <= end)
        ),
        Decimal(0),
    )
