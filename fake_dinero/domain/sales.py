"""The money side of sales: booking invoices and credit notes, payments, reminder
fees, and the documents made from others (credit notes, invoices from offers).

Every function takes an organization and plain values, checks Dinero's rules,
posts through the one booking path (``ledger.post``) and stores the document's
new state, in that order, so a refusal leaves nothing half-written. Handlers,
seeding and the control plane all book through here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from ..errors import not_found, validation_error
from ..formats import money
from ..pricing import LATEST_PAYMENT_DATE, in_dkk, payment_date_fits, totals
from ..resources.contacts import CONTACTS, DEFAULT_PAYMENT_DAYS
from ..store import Record
from .chart import (
    DEBTORS,
    DEPOSIT_ACCOUNTS,
    FEES,
    INTEREST_INCOME,
    PAYMENT_FEES,
    SALES_VAT,
    account_vat_code,
    deposit_account,
)
from .dates import today
from .documents import (
    SALES,
    TRADE_OFFERS,
    DocumentData,
    HistoryData,
    Kind,
    PaymentData,
    PaymentValues,
    document_totals,
    new_key,
    outstanding,
    priced_lines,
    require_booked,
    require_kind,
)
from .ledger import Posting, Voucher, post, reverse
from .numbering import SALES_SERIES, TRADE_OFFER_SERIES, choose_number, next_number, use_number
from .versions import check_timestamp

if TYPE_CHECKING:
    from ..world import Organization

VOUCHER_TYPES = {"Invoice": "Invoice", "CreditNote": "CreditNote"}
"""Dinero's ``VoucherType`` of the entries a document books (its document shows
"Purchases" for a purchase; the sales names are chosen to match)."""
PAYMENT_VOUCHER = "Payment"
REMINDER_VOUCHER = "Reminder"


def _sign(kind: str) -> Decimal:
    """An invoice is owed to the organization (debit the debtor); a credit note is owed back."""
    return Decimal(1) if kind == "Invoice" else Decimal(-1)


# -- drafts and booking -----------------------------------------------------------


def create_document(organization: Organization, data: DocumentData, guid: str | None = None) -> Record:
    """Store a draft (``data`` as ``bind_document`` makes it), keeping a client's own Guid
    unless it is taken (42). Trade offers are never booked, so they are numbered now."""
    table = organization.table(TRADE_OFFERS if data.Kind == "TradeOffer" else SALES)
    key = new_key(organization, table, guid)
    if data.Kind == "TradeOffer":
        number = next_number(organization, TRADE_OFFER_SERIES)
        use_number(organization, TRADE_OFFER_SERIES, number)
        data = data.model_copy(update={"Number": number})
    return table.insert(key, data)



def document_postings(organization: Organization, data: DocumentData, number: int) -> list[Posting]:
    """What booking a sales document posts, in DKK: each line's amount excl. VAT on
    its account, the VAT on Salgsmoms, the total incl. VAT on Debitorer.

    Lines are converted one by one; the øre a conversion rounds away goes to the
    largest line, so the revenue is the document's total excl. VAT in DKK.
    """
    sign = _sign(data.Kind)
    rate = data.ExchangeRate
    priced = [(line, amounts) for line, amounts in priced_lines(organization, data) if amounts is not None]
    sums = totals((amounts for _, amounts in priced), data.ShowLinesInclVat)
    revenue = in_dkk(sums.excl_vat, rate)
    total = in_dkk(sums.incl_vat, rate)
    in_kroner = [in_dkk(amounts.total_excl_vat, rate) for _, amounts in priced]
    if in_kroner and sum(in_kroner) != revenue:
        largest = max(range(len(in_kroner)), key=lambda index: abs(in_kroner[index]))
        in_kroner[largest] += revenue - sum(in_kroner)
    contact = data.ContactGuid
    title = f"{data.Description or data.Kind} {number}"
    postings = [
        Posting(
            line.AccountNumber, -sign * amount, line.Description,
            account_vat_code(organization, line.AccountNumber), contact,
        )
        for (line, _), amount in zip(priced, in_kroner, strict=True)
    ]
    postings.append(Posting(SALES_VAT, -sign * (total - revenue), title, None, contact))
    postings.append(Posting(DEBTORS, sign * total, title, None, contact))
    return postings


def book_document(
    organization: Organization, kind: Kind, key: str, timestamp: str | None, number: int | None = None
) -> Record:
    """Book a draft invoice or credit note: the next number of the sales series (or
    ``number`` if free), entries on its date, Status Booked. Needs the current
    Timestamp (58) and a contact (42); booked already: 42; a date in no
    accounting year: 47."""
    table = organization.table(SALES)
    row = require_kind(table, key, kind, live=True)
    check_timestamp(row, timestamp)
    data: DocumentData = row.data
    if data.booked:
        raise validation_error({"Status": "The document is already booked."})
    if data.ContactGuid is None:
        raise validation_error({"ContactGuid": "A document needs a contact before it can be booked."})
    chosen = choose_number(organization, SALES_SERIES, number, _sales_number_taken)
    voucher = Voucher(row.key, VOUCHER_TYPES[kind], data.Date, chosen)
    post(organization, voucher, document_postings(organization, data, chosen))
    use_number(organization, SALES_SERIES, chosen)
    if data.CreditNoteFor is not None:
        _credit(organization, data)
    return table.update(row, data.model_copy(update={"Status": "Booked", "Number": chosen}))


def _credit(organization: Organization, credit_note: DocumentData) -> None:
    """A booked credit note for an invoice takes its total off what the invoice is owed
    (converted through DKK when the currencies differ); the invoice gets a new TimeStamp."""
    table = organization.table(SALES)
    invoice = table.get(credit_note.CreditNoteFor or "")
    if invoice is None:
        return
    total = document_totals(organization, credit_note).incl_vat
    if credit_note.Currency != invoice.data.Currency:
        total = money(in_dkk(total, credit_note.ExchangeRate) * 100 / invoice.data.ExchangeRate)
    table.update(invoice, invoice.data.model_copy(update={"Credited": invoice.data.Credited + total}))


def _sales_number_taken(organization: Organization, number: int) -> bool:
    return any(row.data.Number == number for row in organization.table(SALES))


# -- payments ---------------------------------------------------------------------


def add_payment(
    organization: Organization, kind: Kind, key: str, timestamp: str | None, values: PaymentValues
) -> tuple[Record, PaymentData]:
    """A payment of a booked document (59 on a draft), with the document's current
    Timestamp (58). It is a voucher of its own: the money on the deposit account,
    off Debitorer; with ``remainder_is_fee`` what is left is written off as a fee."""
    table = organization.table(SALES)
    row = require_kind(table, key, kind, live=True)
    check_timestamp(row, timestamp)
    require_booked(row, "paid")
    data: DocumentData = row.data
    problems: dict[str, str] = {}
    if values.amount == 0:
        problems["Amount"] = "A payment's Amount cannot be 0."
    if deposit_account(organization, values.deposit_account) is None:
        numbers = ", ".join(row.key for row in organization.table(DEPOSIT_ACCOUNTS).records())
        problems["DepositAccountNumber"] = f"{values.deposit_account} is not a deposit account; use {numbers}."
    if data.Currency != "DKK" and values.amount_in_foreign_currency is None:
        problems["AmountInForeignCurrency"] = f"The document is in {data.Currency}; give the amount in {data.Currency}."
    if problems:
        raise validation_error(problems)
    foreign = values.amount_in_foreign_currency if data.Currency != "DKK" else None
    payment = PaymentData(
        Guid=organization.world.new_guid(),
        VoucherGuid=organization.world.new_guid(),
        DepositAccountNumber=values.deposit_account,
        Amount=values.amount,
        AmountInForeignCurrency=foreign,
        Description=values.description,
        PaymentDate=values.payment_date or today(organization),
        ExternalReference=values.external_reference,
        RemainderIsFee=values.remainder_is_fee,
    )
    settles = foreign if foreign is not None else values.amount
    remaining = outstanding(organization, data) - settles
    if values.remainder_is_fee and remaining > 0:
        payment = payment.model_copy(update={"WrittenOff": remaining})
    post(organization, _payment_voucher(data, payment), payment_postings(data, payment))
    row = table.update(row, data.model_copy(update={"Payments": [*data.Payments, payment]}))
    return row, payment


def payment_postings(data: DocumentData, payment: PaymentData) -> list[Posting]:
    """The money on the deposit account, off Debitorer; a written-off remainder on
    Porto og gebyrer. A credit note's refund runs the other way."""
    sign = _sign(data.Kind)
    contact = data.ContactGuid
    postings = [
        Posting(payment.DepositAccountNumber, sign * payment.Amount, payment.Description, None, contact),
        Posting(DEBTORS, -sign * payment.Amount, payment.Description, None, contact),
    ]
    if payment.WrittenOff:
        fee = in_dkk(payment.WrittenOff, data.ExchangeRate)
        postings += [
            Posting(PAYMENT_FEES, sign * fee, payment.Description, None, contact),
            Posting(DEBTORS, -sign * fee, payment.Description, None, contact),
        ]
    return postings


def _payment_voucher(data: DocumentData, payment: PaymentData) -> Voucher:
    assert payment.VoucherGuid is not None
    return Voucher(payment.VoucherGuid, PAYMENT_VOUCHER, payment.PaymentDate, data.Number)


def delete_payment(
    organization: Organization, kind: Kind, key: str, payment_guid: str, timestamp: str | None
) -> Record:
    """Take a payment back: its voucher's entries are reversed, the payment leaves the document."""
    table = organization.table(SALES)
    row = require_kind(table, key, kind, live=True)
    check_timestamp(row, timestamp)
    data: DocumentData = row.data
    payment = next((payment for payment in data.Payments if payment.Guid == payment_guid), None)
    if payment is None:
        raise not_found("PaymentGuid", payment_guid)
    if payment.ByLedgerItem:
        # Its entries belong to a ledger item, which may hold other lines too. Dinero's
        # answer is unknown; 400/42 is chosen, pointing to the way to undo it.
        raise validation_error(
            {"PaymentGuid": "The payment was booked by a ledger item; book an opposite ledger item to undo it."}
        )
    if payment.VoucherGuid is not None:
        reverse(organization, payment.VoucherGuid)
    payments = [kept for kept in data.Payments if kept.Guid != payment_guid]
    return table.update(row, data.model_copy(update={"Payments": payments}))


def record_ledger_payment(
    organization: Organization, document_key: str, debtor_amount: Decimal, deposit_account: int | None,
    description: str | None, paid_on: date, voucher_guid: str,
) -> None:
    """A ledger line that pays a sales document (``IsPaymentForVoucherId``) posted
    ``debtor_amount`` on its debtor entry; the document records the payment (nothing is
    posted again), so its payment status follows the books. Other vouchers (purchases,
    manual vouchers) have no payments to record."""
    table = organization.table(SALES)
    row = table.get(document_key)
    if row is None or row.deleted or not row.data.booked:
        return
    data: DocumentData = row.data
    amount = -_sign(data.Kind) * debtor_amount
    payment = PaymentData(
        Guid=organization.world.new_guid(),
        VoucherGuid=voucher_guid,
        DepositAccountNumber=deposit_account or 0,
        Amount=amount,
        AmountInForeignCurrency=money(amount * 100 / data.ExchangeRate) if data.Currency != "DKK" else None,
        Description=description or "Betaling",
        PaymentDate=paid_on,
        ByLedgerItem=True,
    )
    table.update(row, data.model_copy(update={"Payments": [*data.Payments, payment]}))


# -- reminders ------------------------------------------------------------------------


def book_reminder_expenses(
    organization: Organization, invoice: Record, on: date, fees: Decimal, interest: Decimal
) -> tuple[Record, str]:
    """A booked reminder's fees and compensation (on Rykkergebyrer) and interest (on
    Renteindtægter), owed on Debitorer, in the invoice's currency converted to DKK.
    Returns the invoice with its new ReminderExpenses and the voucher's guid."""
    data: DocumentData = invoice.data
    guid = organization.world.new_guid()
    fees_dkk, interest_dkk = in_dkk(fees, data.ExchangeRate), in_dkk(interest, data.ExchangeRate)
    title = f"Rykker {data.Description or ''} {data.Number}".replace("  ", " ")
    contact = data.ContactGuid
    post(organization, Voucher(guid, REMINDER_VOUCHER, on, data.Number), [
        Posting(FEES, -fees_dkk, title, None, contact),
        Posting(INTEREST_INCOME, -interest_dkk, title, None, contact),
        Posting(DEBTORS, fees_dkk + interest_dkk, title, None, contact),
    ])
    return _add_expenses(organization, invoice, fees + interest), guid


def reverse_reminder_expenses(
    organization: Organization, invoice: Record, voucher_guid: str | None, expenses: Decimal
) -> Record:
    """Undo a booked reminder: its voucher reversed, its expenses off the invoice."""
    if voucher_guid is not None:
        reverse(organization, voucher_guid)
    return _add_expenses(organization, invoice, -expenses)


def _add_expenses(organization: Organization, invoice: Record, change: Decimal) -> Record:
    expenses = money(invoice.data.ReminderExpenses + change)
    return organization.table(SALES).update(invoice, invoice.data.model_copy(update={"ReminderExpenses": expenses}))


# -- documents made from documents -------------------------------------------------------

INVOICE_NAMES = {"da-DK": "Faktura", "en-GB": "Invoice"}
OFFER_NAMES = ("Tilbud", "Offer")
"""The Descriptions an offer gets by default; the invoice made from one gets its own default instead."""


def credit_invoice(organization: Organization, invoice_key: str, timestamp: str | None) -> Record:
    """A credit-note draft for the whole of a booked invoice (59 on a draft), ``CreditNoteFor`` set."""
    table = organization.table(SALES)
    invoice = require_kind(table, invoice_key, "Invoice", live=True)
    check_timestamp(invoice, timestamp)
    require_booked(invoice, "credited")
    source: DocumentData = invoice.data
    draft = source.model_copy(
        update={
            "Kind": "CreditNote",
            "CreditNoteFor": invoice.key,
            "Description": "Kreditnota" if source.Language == "da-DK" else "Credit note",
            "Date": today(organization),
            "Status": "Draft",
            "Number": None,
            "Payments": [],
            "ReminderExpenses": Decimal(0),
            "MailOutStatus": "NotSent",
            "LatestMailOutType": "None",
            "PaymentConditionType": None,
            "PaymentConditionNumberOfDays": None,
        }
    )
    return table.insert(organization.world.new_guid(), draft)


def invoice_trade_offer(organization: Organization, offer_key: str, timestamp: str | None) -> Record:
    """A draft invoice with the offer's contact, lines and texts, dated today, on the
    contact's payment terms; the offer turns Invoiced and gets a new TimeStamp.
    May be repeated: each call makes another invoice (Dinero does not say it refuses)."""
    offers = organization.table(TRADE_OFFERS)
    offer = require_kind(offers, offer_key, "TradeOffer", live=True)
    check_timestamp(offer, timestamp)
    source: DocumentData = offer.data
    condition, days = _payment_terms(organization, source.ContactGuid)
    issued = today(organization)
    if not payment_date_fits(issued, condition, days):
        raise validation_error(
            {
                "PaymentConditionNumberOfDays": (
                    f"The contact's PaymentConditionNumberOfDays, {days}, puts the payment date of an "
                    f"invoice dated {issued.isoformat()} after {LATEST_PAYMENT_DATE.isoformat()}, the last a "
                    "payment date can be; give the contact fewer days."
                )
            }
        )
    description = source.Description
    if not description or description in OFFER_NAMES:
        description = INVOICE_NAMES[source.Language]
    invoice = source.model_copy(
        update={
            "Kind": "Invoice",
            "Description": description,
            "Date": issued,
            "Status": "Draft",
            "Number": None,
            "PaymentConditionType": condition,
            "PaymentConditionNumberOfDays": days,
            "MailOutStatus": "NotSent",
            "LatestMailOutType": "None",
            "GeneratedVouchers": [],
            "History": [],
        }
    )
    key = organization.world.new_guid()
    created = organization.table(SALES).insert(key, invoice)
    entry = HistoryData(
        Status="Invoiced",
        UpdatedAt=organization.clock.now(),
        TotalInclVat=document_totals(organization, source).incl_vat,
        Currency=source.Currency,
    )
    offers.update(
        offer,
        source.model_copy(
            update={
                "Status": "Invoiced",
                "GeneratedVouchers": [*source.GeneratedVouchers, key],
                "History": [*source.History, entry],
            }
        ),
    )
    return created


def _payment_terms(organization: Organization, contact_guid: str | None) -> tuple[str, int | None]:
    """The contact's terms, else Netto 8 days (as an invoice created without terms gets).

    A contact deleted since the offer was made is refused, as creating an invoice
    for it is (Dinero's answer is unknown).
    """
    row = organization.table(CONTACTS).get(contact_guid or "")
    if row is None:
        return "Netto", DEFAULT_PAYMENT_DAYS
    if row.deleted:
        raise validation_error(
            {"ContactGuid": f"The contact '{contact_guid}' is deleted; restore it or update the offer's contact."}
        )
    condition, days = row.data.PaymentConditionType or "Netto", row.data.PaymentConditionNumberOfDays
    if condition == "NettoCash":
        return condition, None
    return condition, DEFAULT_PAYMENT_DAYS if days is None else days
