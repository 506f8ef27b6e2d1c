"""What invoices, credit notes and trade offers share.

A document is stored as ``DocumentData``: the client's fields after
binding (lines resolved against products and the chart), plus its state
(draft or booked, number, payments, mail-outs). Every read model is
rendered from ``document_facts``, so the numbers agree wherever they show.

Invoices and credit notes live in one table (``SALES``) because Dinero lists
them together (``/sales``), share their number series and their rules;
trade offers have their own table and never book.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..errors import NOT_BOOKED, DineroError, not_found, validation_error
from ..formats import money_json
from ..models import Money
from ..pricing import PricedLine, Totals, in_dkk, payment_date, price_line, totals
from ..resources.document_models import SalesVoucherReadListModel, TradeOfferReadModel
from ..store import Collection, Record, Table
from ..world import Organization
from .chart import account_name, account_vat_rate
from .versions import timestamp_of

Kind = Literal["Invoice", "CreditNote", "TradeOffer"]

DRAFT_LIST_NUMBER = 2**63 - 1
"""How lists show a draft's Number: Int64.MaxValue (JAVA fixture)."""

DOCUMENT_NAMES = {
    ("Invoice", "da-DK"): "Faktura",
    ("Invoice", "en-GB"): "Invoice",
    ("CreditNote", "da-DK"): "Kreditnota",
    ("CreditNote", "en-GB"): "Credit note",
    ("TradeOffer", "da-DK"): "Tilbud",
    ("TradeOffer", "en-GB"): "Offer",
}
DOCUMENT_WORDS = {"Invoice": "invoice", "CreditNote": "credit note", "TradeOffer": "trade offer"}


class DocumentLine(BaseModel):
    """A stored document line: the client's line with its product's values filled in."""

    BaseAmountValue: Money = Decimal(0)
    ProductGuid: str | None = None
    Description: str | None = None
    Comments: str | None = None
    Quantity: Money = Decimal(0)
    AccountNumber: int = 0
    Unit: str | None = None
    Discount: Money = Decimal(0)
    LineType: str | None = None


class PaymentData(BaseModel):
    Guid: str
    VoucherGuid: str | None = None
    """The voucher booked for the payment (``RelatedVoucherGuid``), not the document it pays."""
    DepositAccountNumber: int
    Amount: Money
    """In DKK, as the client sent it."""
    AmountInForeignCurrency: Money | None = None
    Description: str
    PaymentDate: date
    ExternalReference: str | None = None
    RemainderIsFee: bool = False
    WrittenOff: Money = Decimal(0)
    """The remainder ``RemainderIsFee`` settled, in the document's currency."""
    ByLedgerItem: bool = False
    """Booked by a ledger line paying the document (``IsPaymentForVoucherId``)."""


@dataclass(frozen=True)
class PaymentValues:
    """A payment as a client describes it (of a sales document or a purchase); ``amount`` is DKK."""

    deposit_account: int
    amount: Decimal
    description: str
    amount_in_foreign_currency: Decimal | None = None
    payment_date: date | None = None
    external_reference: str | None = None
    remainder_is_fee: bool = False


def settled_by(payments: list[PaymentData], currency: str) -> Decimal:
    """What payments (and written-off remainders) settled, in the currency of what they pay."""
    total = Decimal(0)
    for payment in payments:
        amount = payment.AmountInForeignCurrency if currency != "DKK" else payment.Amount
        total += (amount or Decimal(0)) + payment.WrittenOff
    return total


class HistoryData(BaseModel):
    Status: str
    UpdatedAt: datetime
    TradeOfferEmailSentAt: datetime | None = None
    TotalInclVat: Money | None = None
    Currency: str | None = None


class DocumentData(BaseModel):
    """A stored sales document. Changed only through ``model_copy(update=...)``."""

    Kind: Kind
    ContactGuid: str | None = None
    ContactName: str | None = None
    Address: str | None = None
    ShowLinesInclVat: bool = False
    InvoiceTemplateId: str | None = None
    Currency: str = "DKK"
    ExchangeRate: Money = Decimal(100)
    Language: str = "da-DK"
    ExternalReference: str | None = None
    Description: str | None = None
    Comment: str | None = None
    Date: date
    ProductLines: list[DocumentLine]
    PaymentConditionType: str | None = None
    PaymentConditionNumberOfDays: int | None = None
    ReminderFee: Money | None = None
    ReminderInterestRate: Money | None = None
    IsMobilePayInvoiceEnabled: bool = False
    IsPensoPayEnabled: bool = False
    CreditNoteFor: str | None = None
    Status: str = "Draft"
    Number: int | None = None
    Payments: list[PaymentData] = Field(default_factory=list)
    ReminderExpenses: Money = Decimal(0)
    Credited: Money = Decimal(0)
    """What booked credit notes for this invoice (``CreditNoteFor``) took off it, in its currency."""
    """Fees and interest of booked reminders, owed on top of the invoice."""
    MailOutStatus: str = "NotSent"
    LatestMailOutType: str = "None"
    GeneratedVouchers: list[str] = Field(default_factory=list)
    History: list[HistoryData] = Field(default_factory=list)

    @property
    def booked(self) -> bool:
        return self.Status == "Booked"

    @property
    def due(self) -> date | None:
        if self.Kind != "Invoice":
            return None
        return payment_date(self.Date, self.PaymentConditionType or "Netto", self.PaymentConditionNumberOfDays)


# -- dates ---------------------------------------------------------------------


# -- amounts and state ----------------------------------------------------------


Priced = list[tuple[DocumentLine, "PricedLine | None"]]


def priced_lines(organization: Organization, data: DocumentData) -> Priced:
    """Each line with its amounts; text lines have none."""
    out: Priced = []
    for line in data.ProductLines:
        if line.LineType == "Text":
            out.append((line, None))
            continue
        rate = account_vat_rate(organization, line.AccountNumber)
        priced = price_line(
            line.BaseAmountValue, line.Quantity, line.Discount, rate,
            data.ShowLinesInclVat,
        )
        out.append((line, priced))
    return out


def document_totals(organization: Organization, data: DocumentData) -> Totals:
    return totals((p for _, p in priced_lines(organization, data) if p is not None), data.ShowLinesInclVat)


def paid_amount(data: DocumentData) -> Decimal:
    """What payments (and written-off remainders) settled, in the document's currency."""
    return settled_by(data.Payments, data.Currency)


def amount_owed(organization: Organization, data: DocumentData) -> Decimal:
    """The total incl. VAT and reminder expenses."""
    return document_totals(organization, data).incl_vat + data.ReminderExpenses


def overdue_from(data: DocumentData) -> datetime | None:
    """The moment an unpaid booked invoice turns Overdue: the day after its PaymentDate."""
    due = data.due
    if not data.booked or due is None:
        return None
    return datetime.combine(due + timedelta(days=1), time(), timezone.utc)


def outstanding(organization: Organization, data: DocumentData) -> Decimal:
    """What the customer still owes: the total with reminder expenses, less payments and
    written-off remainders, less credit notes for it. A credit note never makes an
    invoice overpaid: what was paid too much is refunded on the credit note."""
    left = amount_owed(organization, data) - paid_amount(data)
    return left - min(data.Credited, max(left, Decimal(0)))


def payment_status(organization: Organization, data: DocumentData) -> str:
    """Draft, Booked, Paid, OverPaid or Overdue as Dinero documents it. An invoice credited
    in full is settled: Paid. Dinero's status for it is unknown; Paid is chosen, since
    nothing is owed and it must not turn Overdue."""
    if not data.booked:
        return "Draft"
    settled = bool(data.Payments) or data.Credited != 0
    return settlement_status(outstanding(organization, data), settled, overdue_from(data), organization.clock.now())


def settlement_status(
    remaining: Decimal, settled: bool, overdue_at: datetime | None, now: datetime, overpaid: str = "OverPaid"
) -> str:
    """The status of something booked that is owed until paid (an invoice, a credit
    purchase): Paid when payments or credit notes settled it exactly, ``overpaid`` when
    they settled more, Overdue from ``overdue_at`` on while something is owed, else Booked."""
    if settled and remaining == 0:
        return "Paid"
    if settled and remaining < 0:
        return overpaid
    if overdue_at is not None and now >= overdue_at:
        return "Overdue"
    return "Booked"


# -- the rules of change ---------------------------------------------------------


def require_draft(row: Record, action: str) -> None:
    """Booked documents never change. Dinero's answer is unknown;
    400 with code 42 is chosen, as the reference suggests."""
    if row.data.booked:
        what = DOCUMENT_WORDS[row.data.Kind]
        hint = " Create a credit note instead." if row.data.Kind == "Invoice" else ""
        raise validation_error({"Status": f"The {what} is booked and cannot be {action}.{hint}"})


def require_booked(row: Record, action: str) -> None:
    if not row.data.booked:
        what = DOCUMENT_WORDS[row.data.Kind]
        raise DineroError(
            400, NOT_BOOKED, f"The {what} is not booked",
            {"Status": f"Only a booked {what} can be {action}; book it first."},
        )


def require_kind(table: Table, key: str, kind: Kind, live: bool = False) -> Record:
    """The row ``key`` if it is a document of ``kind`` (404 otherwise)."""
    name = {"Invoice": "InvoiceGuid", "CreditNote": "CreditNoteGuid", "TradeOffer": "TradeOfferGuid"}[kind]
    row = table.require_live(key, name) if live else table.require(key, name)
    if row.data.Kind != kind:
        raise not_found(name, key)  # the 404 a missing one gets, naming the id asked for
    return row


def new_key(organization: Organization, table: Table, chosen: Any) -> str:
    """A client-chosen Guid is kept; one in use is refused (400/42, Dinero's answer unknown)."""
    key = str(chosen) if chosen else organization.world.new_guid()
    if table.get(key) is not None:
        raise validation_error({"Guid": f"A document with Guid '{key}' already exists."})
    return key


# -- rendering ------------------------------------------------------------------


def document_facts(organization: Organization, row_key: str, data: DocumentData, row: Record | None) -> dict[str, Any]:
    """Every property any read or fetch model shows, computed once."""
    rows = priced_lines(organization, data)
    sums = totals((p for _, p in rows if p is not None), data.ShowLinesInclVat)
    due = data.due
    rate = data.ExchangeRate
    facts: dict[str, Any] = dict(
        Guid=row_key,
        TimeStamp=timestamp_of(row) if row else None,
        CreatedAt=row.created_at if row else None,
        UpdatedAt=row.updated_at if row else None,
        DeletedAt=row.deleted_at if row else None,
        Number=data.Number if data.Number is not None else DRAFT_LIST_NUMBER,
        ContactGuid=data.ContactGuid,
        ContactName=data.ContactName,
        ShowLinesInclVat=data.ShowLinesInclVat,
        TotalExclVat=money_json(sums.excl_vat),
        TotalVatableAmount=money_json(sums.vatable),
        TotalInclVat=money_json(sums.incl_vat),
        TotalNonVatableAmount=money_json(sums.non_vatable),
        TotalVat=money_json(sums.vat),
        TotalInclVatInDkk=money_json(in_dkk(sums.incl_vat, rate)),
        TotalExclVatInDkk=money_json(in_dkk(sums.excl_vat, rate)),
        TotalLines=_total_lines(data, sums, rows),
        InvoiceTemplateId=data.InvoiceTemplateId,
        Currency=data.Currency,
        Language=data.Language,
        ExternalReference=data.ExternalReference,
        Description=data.Description,
        Comment=data.Comment,
        Date=data.Date.isoformat(),
        ProductLines=[_line_facts(organization, line, priced) for line, priced in rows],
        Address=data.Address,
        PaymentDate=due.isoformat() if due else None,
        PaymentStatus=payment_status(organization, data) if data.Kind != "TradeOffer" else None,
        PaymentConditionNumberOfDays=data.PaymentConditionNumberOfDays or 0,
        PaymentConditionType=data.PaymentConditionType,
        FikCode=None,
        DepositAccountNumber=None,
        MailOutStatus=data.MailOutStatus,
        LatestMailOutType=data.LatestMailOutType,
        IsSentToDebtCollection=False,
        IsMobilePayInvoiceEnabled=data.IsMobilePayInvoiceEnabled,
        IsPensoPayEnabled=data.IsPensoPayEnabled,
        CanEnableMobilePayInvoice=False,
        CanEnablePensoPay=False,
        Status=data.Status,
        CreditNoteFor=data.CreditNoteFor,
        Type=data.Kind,
        HasGeneratedAnyVouchers=bool(data.GeneratedVouchers),
        GeneratedVouchers=list(data.GeneratedVouchers),
        History=[entry.model_dump() for entry in data.History],
    )
    return facts


def render_as(model: type[BaseModel], facts: dict[str, Any]) -> BaseModel:
    return model.model_validate({name: facts[name] for name in model.model_fields})


def _line_facts(organization: Organization, line: DocumentLine, priced: PricedLine | None) -> dict[str, Any]:
    zero = Decimal(0)
    return dict(
        AccountName=account_name(organization, line.AccountNumber) if priced else None,
        BaseAmountValue=money_json(priced.unit_excl_vat if priced else zero),
        BaseAmountValueInclVat=money_json(priced.unit_incl_vat if priced else zero),
        TotalAmount=money_json(priced.total_excl_vat if priced else zero),
        TotalAmountInclVat=money_json(priced.total_incl_vat if priced else zero),
        ProductGuid=line.ProductGuid,
        Description=line.Description,
        Comments=line.Comments,
        Quantity=line.Quantity,
        AccountNumber=line.AccountNumber,
        Unit=line.Unit,
        Discount=line.Discount,
        LineType=line.LineType,
    )


_LABELS = {
    "da-DK": {"SubTotal": "Subtotal", "SubTotalWithVat": "Momspligtigt beløb",
              "SubTotalWithoutVat": "Momsfrit beløb", "Vat": "Moms", "Total": "Total"},
    "en-GB": {"SubTotal": "Subtotal", "SubTotalWithVat": "Amount subject to VAT",
              "SubTotalWithoutVat": "Amount exempt from VAT", "Vat": "VAT", "Total": "Total"},
}


def _total_lines(data: DocumentData, sums: Totals, rows: list[tuple[Any, PricedLine | None]]) -> list[dict[str, Any]]:
    """Subtotal, the split into VAT-able and VAT-free amounts when a document has
    both, VAT, and the total with its currency (JAVA fixture: SubTotal at 0,
    Total at 2)."""
    labels = _LABELS[data.Language]
    entries: list[tuple[str, Decimal, str]] = [("SubTotal", sums.excl_vat, labels["SubTotal"])]
    if sums.vatable and sums.non_vatable:
        entries.append(("SubTotalWithVat", sums.vatable, labels["SubTotalWithVat"]))
        entries.append(("SubTotalWithoutVat", sums.non_vatable, labels["SubTotalWithoutVat"]))
    rates = sorted({p.rate for _, p in rows if p is not None and p.rate})
    vat_label = labels["Vat"] + (f" ({(rates[0] * 100).normalize():f}%)" if len(rates) == 1 else "")
    entries.append(("Vat", sums.vat, vat_label))
    entries.append(("Total", sums.incl_vat, f"{labels['Total']} {data.Currency}"))
    return [
        {"Type": kind, "TotalAmount": money_json(amount), "Position": position, "Label": label}
        for position, (kind, amount, label) in enumerate(entries)
    ]


def _render_list_row(organization: Organization, row: Record) -> SalesVoucherReadListModel:
    facts = document_facts(organization, row.key, row.data, row)
    facts["Status"] = facts["PaymentStatus"]
    if row.data.Kind == "CreditNote":
        facts["PaymentDate"] = None
    return render_as(SalesVoucherReadListModel, facts)  # type: ignore[return-value]


SORTED_LIST_DOCUMENTS = 1_000_000
"""The sales and trade-offer lists sort and search documents, so each list reads every
one: their tables keep them all rather than render most again on every list."""

SALES = Collection(
    "sales",
    SalesVoucherReadListModel,
    _render_list_row,
    data_model=DocumentData,
    turns_at=lambda row: overdue_from(row.data),
    documents_kept=SORTED_LIST_DOCUMENTS,
)
"""Invoices and credit notes (``Type`` tells them apart)."""


def _render_trade_offer(organization: Organization, row: Record) -> TradeOfferReadModel:
    return render_as(TradeOfferReadModel, document_facts(organization, row.key, row.data, row))  # type: ignore[return-value]


TRADE_OFFERS = Collection(
    "tradeoffers",
    TradeOfferReadModel,
    _render_trade_offer,
    data_model=DocumentData,
    documents_kept=SORTED_LIST_DOCUMENTS,
)
"""Trade offers: never booked, numbered when made."""
