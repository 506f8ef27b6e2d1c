"""A contact's state of account, as a fold over the books.

Every voucher that moved what the contact owes (its debtor entries: an
invoice, a credit note, a payment, a reminder's fees, a manual voucher or
ledger item on its debtor account) is one line, in DKK, dated as its
entries. A voucher whose entries were all reversed (a deleted payment or
reminder) no longer shows. Cached per state of the organization, like the
reports, so the books are read once however often the statement is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from ..store import Record
from .chart import CREDITORS, DEBTORS
from .documents import SALES, DocumentData
from .ledger import entries
from .memo import cached

if TYPE_CHECKING:
    from ..world import Organization

RANKS = {"Invoice": 0, "CreditNote": 0, "Payment": 1, "Reminder": 2}
"""Documents before payments before fees on the same day; other vouchers last."""


@dataclass(frozen=True)
class StatementLine:
    voucher_guid: str
    day: date
    amount: Decimal
    """DKK; positive raises what the contact owes."""
    type: str
    description: str | None
    number: int | None
    document: Record | None
    """The sales document the voucher books or pays, when it is one's."""
    seq: int

    @property
    def rank(self) -> int:
        return RANKS.get(self.type, 3)


@dataclass(frozen=True)
class _Origin:
    document: Record
    type: str
    description: str | None


def contact_lines(organization: Organization, contact_key: str) -> tuple[StatementLine, ...]:
    """The contact's vouchers in the order a statement shows them."""
    return cached(organization, ("statement", contact_key), lambda: _fold(organization, contact_key))


def _fold(organization: Organization, contact_key: str) -> tuple[StatementLine, ...]:
    sums: dict[str, Decimal] = {}
    first: dict[str, Record] = {}
    reversed_any: set[str] = set()
    for row in entries(organization):
        data = row.data
        if data.AccountNumber != DEBTORS or data.ContactGuid != contact_key:
            continue
        sums[data.VoucherGuid] = sums.get(data.VoucherGuid, Decimal(0)) + data.Amount
        first.setdefault(data.VoucherGuid, row)
        if data.Reversal:
            reversed_any.add(data.VoucherGuid)
    origins = dict(_origins(organization, contact_key))
    lines = []
    for guid, amount in sums.items():
        if guid in reversed_any and amount == 0:
            continue
        entry = first[guid].data
        origin = origins.get(guid)
        document = origin.document if origin else None
        lines.append(StatementLine(
            voucher_guid=guid,
            day=entry.Date,
            amount=amount,
            type=origin.type if origin else entry.VoucherType,
            description=origin.description if origin else entry.Description,
            number=entry.VoucherNumber,
            document=document,
            seq=document.seq if document is not None else first[guid].seq,
        ))
    lines.sort(key=lambda line: (line.day, line.rank, line.number or 0, line.seq))
    return tuple(lines)


def _origins(organization: Organization, contact_key: str) -> Iterator[tuple[str, _Origin]]:
    """Which sales document each of the contact's vouchers belongs to."""
    from ..resources.reminders import REMINDERS  # the reminders' table, declared with their routes

    documents = {
        row.key: row for row in organization.table(SALES) if row.data.ContactGuid == contact_key and row.data.booked
    }
    for key, row in documents.items():
        data: DocumentData = row.data
        yield key, _Origin(row, data.Kind, data.Description)
        for payment in data.Payments:
            if payment.VoucherGuid is not None:
                yield payment.VoucherGuid, _Origin(row, "Payment", payment.Description)
    for reminder in organization.table(REMINDERS):
        voucher = reminder.data.VoucherGuid
        if voucher is not None and reminder.parent in documents:
            yield voucher, _Origin(documents[reminder.parent], "Reminder", reminder.data.Title)


PURCHASE_VOUCHER_TYPES = ("Purchases", "PurchaseCreditNote")
"""The vouchers whose creditor entries are a contact's expenses (not its payments)."""


def expenses(organization: Organization, contact_key: str, start: date | None, end: date | None) -> Decimal:
    """What was bought from the contact in the period, in DKK incl. VAT: its credit
    purchases less its purchase credit notes, as their entries on Kreditorer show them
    (a deleted purchase's reversal takes it out again). Cached per state, like the lines."""
    return cached(organization, ("expenses", contact_key, start, end), lambda: -sum(
        (
            row.data.Amount
            for row in entries(organization)
            if row.data.AccountNumber == CREDITORS
            and row.data.ContactGuid == contact_key
            and row.data.VoucherType in PURCHASE_VOUCHER_TYPES
            and (start is None or row.data.Date >= start)
            and (end is None or row.data.Date <= end)
        ),
        Decimal(0),
    ))
