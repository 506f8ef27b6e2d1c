"""Payments of credit purchases, and refunds of standalone purchase credit notes.

A payment is a voucher of its own, posted through the one booking path: the
money leaves the deposit account and Kreditorer is settled for the supplier
(a refund runs the other way). It changes the purchase (so its Timestamp) and
its status: Paid when nothing remains, Overpaid when more was paid.

In another currency, ``Amount`` is the DKK that left the bank and
``AmountInForeignCurrency`` what it settled; Kreditorer is settled at the
purchase's own rate and the difference goes to Valutakursdifferencer (2400),
as Dinero's guide says.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ..errors import NOT_BOOKED, DineroError, not_found, validation_error
from ..formats import money
from ..store import Record, Table
from .chart import CREDITORS, DEPOSIT_ACCOUNTS, PAYMENT_FEES, deposit_account
from .dates import today
from .documents import PaymentData, PaymentValues
from .ledger import Posting, Voucher, post, reverse
from .purchase_credit_notes import PURCHASE_CREDIT_NOTES, is_standalone, refund_outstanding
from .purchase_lines import to_dkk
from .purchases import (
    PAYMENT_VOUCHER_TYPE,
    PURCHASE_VOUCHERS,
    outstanding,
    require_booked_credit,
)
from .versions import check_timestamp

if TYPE_CHECKING:
    from ..world import Organization

EXCHANGE_DIFFERENCES = 2400
"""Valutakursdifferencer, import: where a payment's exchange-rate difference is booked."""
ID_NAME = "id"


@dataclass(frozen=True)
class Payable:
    """A purchase or standalone credit note that payments settle."""

    row: Record
    refund: bool
    """A credit note: the supplier pays the organization back."""

    @property
    def currency(self) -> str:
        data = self.row.data
        return data.Currency if self.refund else data.CurrencyKey  # type: ignore[no-any-return]

    @property
    def contact(self) -> str | None:
        return self.row.data.ContactGuid  # type: ignore[no-any-return]

    @property
    def number(self) -> int | None:
        data = self.row.data
        return data.CreditNoteNumber if self.refund else data.VoucherNumber  # type: ignore[no-any-return]

    def outstanding(self, organization: Organization) -> Decimal:
        data = self.row.data
        return refund_outstanding(organization, data) if self.refund else outstanding(organization, data)


def payable(organization: Organization, key: str, live: bool = True) -> Payable:
    """The credit purchase or standalone purchase credit note ``key`` names: 404/40 when
    neither, 400/65 when deleted, 400/59 when a draft, 400/42 for a cash purchase (paid
    when booked) or a credit note settled through its purchase."""
    purchase = organization.table(PURCHASE_VOUCHERS).get(key)
    if purchase is not None:
        if live and purchase.deleted:
            organization.table(PURCHASE_VOUCHERS).require_live(key, ID_NAME)
        if not purchase.data.credit:
            raise validation_error({ID_NAME: "A cash purchase was paid when it was booked; only credit purchases "
                                             "take payments."})
        require_booked_credit(purchase, "paid")
        return Payable(purchase, refund=False)
    table = organization.table(PURCHASE_CREDIT_NOTES)
    note = table.get(key)
    if note is None:
        raise not_found(ID_NAME, key)
    if live and note.deleted:
        table.require_live(key, ID_NAME)
    if not is_standalone(organization, note.data):
        raise validation_error({ID_NAME: "The credit note is for a credit purchase and is settled through it; "
                                         "pay the purchase instead."})
    if not note.data.booked:
        raise DineroError(400, NOT_BOOKED, "The purchase credit note is not booked",
                          {"Status": "Only a booked purchase credit note takes payments; book it first."})
    return Payable(note, refund=True)


def _table(organization: Organization, target: Payable) -> Table:
    return organization.table(PURCHASE_CREDIT_NOTES if target.refund else PURCHASE_VOUCHERS)


def add_payment(
    organization: Organization, key: str, timestamp: str | None, values: PaymentValues
) -> tuple[Record, PaymentData]:
    """Pay (or be refunded) with the purchase's current Timestamp (58)."""
    target = payable(organization, key)
    check_timestamp(target.row, timestamp)
    problems: dict[str, str] = {}
    if values.amount == 0:
        problems["Amount"] = "A payment's Amount cannot be 0."
    if deposit_account(organization, values.deposit_account) is None:
        numbers = ", ".join(row.key for row in organization.table(DEPOSIT_ACCOUNTS).records())
        problems["DepositAccountNumber"] = f"{values.deposit_account} is not a deposit account; use {numbers}."
    if target.currency != "DKK" and values.amount_in_foreign_currency is None:
        problems["AmountInForeignCurrency"] = (
            f"The purchase is in {target.currency}; give the amount in {target.currency} too."
        )
    if problems:
        raise validation_error(problems)
    foreign = money(values.amount_in_foreign_currency) if target.currency != "DKK" and \
        values.amount_in_foreign_currency is not None else None
    payment = PaymentData(
        Guid=organization.world.new_guid(),
        VoucherGuid=organization.world.new_guid(),
        DepositAccountNumber=values.deposit_account,
        Amount=money(values.amount),
        AmountInForeignCurrency=foreign,
        Description=values.description,
        PaymentDate=values.payment_date or today(organization),
        ExternalReference=values.external_reference,
        RemainderIsFee=values.remainder_is_fee,
    )
    remaining = target.outstanding(organization) - (foreign if foreign is not None else payment.Amount)
    if values.remainder_is_fee and remaining > 0:
        payment = payment.model_copy(update={"WrittenOff": remaining})
    voucher = Voucher(payment.VoucherGuid or "", PAYMENT_VOUCHER_TYPE, payment.PaymentDate, target.number)
    post(organization, voucher, _postings(target, payment))
    data = target.row.data
    changed = data.model_copy(update={"Payments": [*data.Payments, payment]})
    row = _table(organization, target).update(target.row, changed)
    return row, payment


def _postings(target: Payable, payment: PaymentData) -> list[Posting]:
    """A payment settles Kreditorer (debit) from the deposit account (credit); a refund
    the other way. A remainder written off (``RemainderIsFee``) settles Kreditorer from
    Gebyrer, lowering the cost. In a foreign currency, Kreditorer is settled at the
    purchase's rate and the difference to what the bank moved goes to 2400."""
    sign = Decimal(-1) if target.refund else Decimal(1)
    settled = to_dkk(payment.AmountInForeignCurrency, target.currency) \
        if payment.AmountInForeignCurrency is not None else payment.Amount
    text, contact = payment.Description, target.contact
    postings = [
        Posting(CREDITORS, sign * settled, text, None, contact),
        Posting(payment.DepositAccountNumber, -sign * payment.Amount, text),
    ]
    if settled != payment.Amount:
        postings.append(Posting(EXCHANGE_DIFFERENCES, sign * (payment.Amount - settled), text))
    if payment.WrittenOff:
        fee = to_dkk(payment.WrittenOff, target.currency)
        postings += [Posting(CREDITORS, sign * fee, text, None, contact), Posting(PAYMENT_FEES, -sign * fee, text)]
    return postings


def payments(organization: Organization, key: str) -> tuple[Payable, list[PaymentData]]:
    """The payments of a purchase or credit note, deleted or not."""
    target = payable(organization, key, live=False)
    return target, list(target.row.data.Payments)


def delete_payment(organization: Organization, key: str, payment_guid: str, timestamp: str | None) -> Record:
    """Take a payment back (its entries are reversed) with the purchase's current Timestamp."""
    target = payable(organization, key)
    check_timestamp(target.row, timestamp)
    data = target.row.data
    payment = next((payment for payment in data.Payments if payment.Guid == payment_guid), None)
    if payment is None:
        raise not_found("paymentId", payment_guid)
    if payment.VoucherGuid is not None:
        reverse(organization, payment.VoucherGuid)
    kept = [other for other in data.Payments if other.Guid != payment_guid]
    return _table(organization, target).update(target.row, data.model_copy(update={"Payments": kept}))
