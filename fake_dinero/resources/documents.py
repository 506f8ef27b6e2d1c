"""What invoices, credit notes and trade offers share (reference §5.6, §6.1-6.3).

A document is stored as ``DocumentData``: the client's fields after
binding (lines resolved against products and the chart), plus its state
(draft or booked, number, payments, mail-outs). Every read model is
rendered from ``document_facts``, so the numbers agree wherever they show.

Invoices and credit notes live in one table (``SALES``) because Dinero lists
them together (``/sales``), share their number series and their rules;
trade offers have their own table and never book.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from .. import seed_data
from ..call import Call
from ..errors import NO_DOCUMENT_LINES, NOT_BOOKED, TIMESTAMP_OUTDATED, DineroError, validation_error
from ..formats import money_json, render_version
from ..models import bind, parse_json_body
from ..pricing import PricedLine, Totals, in_dkk, payment_date, price_line, totals
from ..store import Collection, Record, Table
from ..world import Organization
from .contacts import CONTACTS, DEFAULT_PAYMENT_DAYS, PAYMENT_CONDITIONS
from .document_models import InvoiceLinesCreateModel, SalesVoucherReadListModel, TimestampObject
from .products import PRODUCTS, UNITS

Kind = Literal["Invoice", "CreditNote", "TradeOffer"]

DRAFT_LIST_NUMBER = 2**63 - 1
"""How lists show a draft's Number: Int64.MaxValue (JAVA fixture)."""

LANGUAGES = {"da-dk": "da-DK", "en-gb": "en-GB"}
LINE_TYPES = {"product": "Product", "text": "Text"}
CONDITIONS = {**PAYMENT_CONDITIONS, "paid": "Paid"}
_UNITS = {unit.lower(): unit for unit in UNITS}
_NAMES = {
    ("Invoice", "da-DK"): "Faktura",
    ("Invoice", "en-GB"): "Invoice",
    ("CreditNote", "da-DK"): "Kreditnota",
    ("CreditNote", "en-GB"): "Credit note",
    ("TradeOffer", "da-DK"): "Tilbud",
    ("TradeOffer", "en-GB"): "Offer",
}
_WHAT = {"Invoice": "invoice", "CreditNote": "credit note", "TradeOffer": "trade offer"}


class PaymentData(BaseModel):
    Guid: str
    DepositAccountNumber: int
    Amount: float
    """In DKK, as the client sent it."""
    AmountInForeignCurrency: float | None = None
    Description: str
    PaymentDate: date
    ExternalReference: str | None = None
    RemainderIsFee: bool = False
    WrittenOff: float = 0.0
    """The remainder ``RemainderIsFee`` settled, in the document's currency."""


class HistoryData(BaseModel):
    Status: str
    UpdatedAt: datetime
    TradeOfferEmailSentAt: datetime | None = None
    TotalInclVat: float | None = None
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
    ExchangeRate: float = 100.0
    Language: str = "da-DK"
    ExternalReference: str | None = None
    Description: str | None = None
    Comment: str | None = None
    Date: date
    ProductLines: list[InvoiceLinesCreateModel]
    PaymentConditionType: str | None = None
    PaymentConditionNumberOfDays: int | None = None
    ReminderFee: float | None = None
    ReminderInterestRate: float | None = None
    IsMobilePayInvoiceEnabled: bool = False
    IsPensoPayEnabled: bool = False
    CreditNoteFor: str | None = None
    Status: str = "Draft"
    Number: int | None = None
    Payments: list[PaymentData] = Field(default_factory=list)
    ReminderExpenses: float = 0.0
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


# -- binding -----------------------------------------------------------------


def today(organization: Organization) -> date:
    """The date of the fake's clock in UTC (Dinero uses Danish dates; UTC keeps
    the fake free of a time-zone database)."""
    return organization.clock.now().astimezone(timezone.utc).date()


def parse_date(text: str, name: str) -> date:
    """Dinero's dates are ``YYYY-MM-DD``; a datetime's date part is accepted."""
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise validation_error({name: f"'{text}' is not a date. Use YYYY-MM-DD, e.g. 2026-03-02."}) from None


def bind_document(call: Call, kind: Kind, model: Any, base: DocumentData | None = None) -> DocumentData:
    """The document a create, update or fetch body describes (400 when it does not add up).

    ``base`` is the draft being updated: its state (number, history) is kept.
    """
    organization = call.organization
    problems: dict[str, str] = {}
    currency = (model.Currency or "DKK").upper()
    rates = {key: value for key, value in seed_data.load("exchange_rates").items() if not key.startswith("_")}
    if currency not in rates:
        problems["Currency"] = f"'{model.Currency}' is not a currency Dinero knows. Use e.g. DKK, EUR, USD, SEK."
    language = LANGUAGES.get((model.Language or "da-DK").lower())
    if language is None:
        problems["Language"] = f"'{model.Language}' is not a language. Use da-DK or en-GB."
    contact = _contact(organization, model.ContactGuid, problems)
    if not model.ProductLines:
        what = _WHAT[kind]
        raise DineroError(
            400, NO_DOCUMENT_LINES, f"{what.capitalize()}s must have at least one {what} line",
            {"ProductLines": f"Add at least one line to the {what}."},
        )
    lines = [
        _bind_line(organization, line, f"ProductLines[{index}]", problems)
        for index, line in enumerate(model.ProductLines)
    ]
    terms = _payment_terms(model, contact, problems) if kind == "Invoice" else {}
    issued = parse_date(model.Date, "Date") if model.Date else today(organization)
    credit_note_for = getattr(model, "CreditNoteFor", None)
    if credit_note_for is not None:
        _credited_invoice(organization, str(credit_note_for), problems)
    if problems:
        raise validation_error(problems)
    language = language or "da-DK"
    fields = dict(
        Kind=kind,
        ContactGuid=str(model.ContactGuid) if model.ContactGuid else None,
        ContactName=contact.Name if contact else None,
        Address=model.Address if model.Address is not None else _address(contact),
        ShowLinesInclVat=bool(model.ShowLinesInclVat),
        InvoiceTemplateId=str(model.InvoiceTemplateId) if model.InvoiceTemplateId else None,
        Currency=currency,
        ExchangeRate=rates[currency],
        Language=language,
        ExternalReference=model.ExternalReference,
        Description=model.Description or _NAMES[(kind, language)],
        Comment=model.Comment,
        Date=issued,
        ProductLines=lines,
        CreditNoteFor=str(credit_note_for) if credit_note_for else None,
        **terms,
    )
    if base is None:
        return DocumentData(**fields)
    return base.model_copy(update=fields)


def _contact(organization: Organization, guid: Any, problems: dict[str, str]) -> Any:
    if guid is None:
        return None
    row = organization.table(CONTACTS).get(str(guid))
    if row is None or row.deleted:
        # Dinero's answer for an unknown contact in a body is unknown; a
        # validation error naming the property is chosen.
        state = "is deleted" if row is not None else "does not exist"
        problems["ContactGuid"] = f"The contact '{guid}' {state}."
        return None
    return row.data


def _address(contact: Any) -> str | None:
    """Dinero fills the address from the contact: street, then zip and city."""
    if contact is None:
        return None
    city = " ".join(part for part in (contact.ZipCode, contact.City) if part)
    return "\n".join(part for part in (contact.Street, city) if part) or None


def _bind_line(
    organization: Organization, line: InvoiceLinesCreateModel, where: str, problems: dict[str, str]
) -> InvoiceLinesCreateModel:
    """A line with its type settled and, for a product line, the product's values
    filled in where the client left them out (0 or null)."""
    line_type = LINE_TYPES.get((line.LineType or "Product").lower())
    if line_type is None:
        problems[f"{where}.LineType"] = f"'{line.LineType}' is not a line type. Use Product or Text."
        return line
    if line_type == "Text":
        if not line.Description:
            problems[f"{where}.Description"] = "A text line needs a Description."
        return InvoiceLinesCreateModel(
            Description=line.Description, Comments=line.Comments, LineType="Text", AccountNumber=line.AccountNumber
        )
    values = line.model_dump()
    if line.ProductGuid is not None:
        product = organization.table(PRODUCTS).get(str(line.ProductGuid))
        if product is None or product.deleted:
            problems[f"{where}.ProductGuid"] = f"The product '{line.ProductGuid}' does not exist or is deleted."
            return line
        data = product.data
        values["Description"] = line.Description or data.Name
        values["Unit"] = line.Unit or data.Unit
        values["AccountNumber"] = line.AccountNumber or data.AccountNumber
        values["BaseAmountValue"] = line.BaseAmountValue or data.BaseAmountValue
        values["Quantity"] = line.Quantity or data.Quantity or 1.0
    if not values["Description"]:
        problems[f"{where}.Description"] = "A product line needs a Description or a ProductGuid."
    unit = _UNITS.get((values["Unit"] or "").lower())
    if unit is None:
        problems[f"{where}.Unit"] = f"'{values['Unit'] or ''}' is not a unit. Use one of: {', '.join(UNITS)}."
    if values["AccountNumber"] not in organization.accounts:
        problems[f"{where}.AccountNumber"] = (
            f"Account {values['AccountNumber']} is not in the organization's chart of accounts."
        )
    if not 0 <= values["Discount"] <= 100:
        problems[f"{where}.Discount"] = "Discount is a percentage between 0 and 100."
    values.update(Unit=unit, LineType="Product")
    return InvoiceLinesCreateModel(**values)


def _payment_terms(model: Any, contact: Any, problems: dict[str, str]) -> dict[str, Any]:
    """Invoice terms: the body's, else the contact's, else Netto 8 days.
    NettoCash and Paid have no number of days."""
    kind, days = model.PaymentConditionType, model.PaymentConditionNumberOfDays
    if kind is None and days is None and contact is not None:
        kind, days = contact.PaymentConditionType, contact.PaymentConditionNumberOfDays
    condition = CONDITIONS.get((kind or "Netto").lower())
    if condition is None:
        problems["PaymentConditionType"] = (
            f"'{kind}' is not a payment condition. Use Netto, NettoCash, CurrentMonthOut or Paid."
        )
        condition = "Netto"
    if condition in ("NettoCash", "Paid"):
        days = None
    elif days is None:
        days = DEFAULT_PAYMENT_DAYS
    elif days < 0:
        problems["PaymentConditionNumberOfDays"] = "The number of days cannot be negative."
    return dict(
        PaymentConditionType=condition,
        PaymentConditionNumberOfDays=days,
        ReminderFee=model.ReminderFee,
        ReminderInterestRate=model.ReminderInterestRate,
        IsMobilePayInvoiceEnabled=bool(model.IsMobilePayInvoiceEnabled),
        IsPensoPayEnabled=bool(model.IsPensoPayEnabled),
    )


def _credited_invoice(organization: Organization, guid: str, problems: dict[str, str]) -> None:
    row = organization.table(SALES).get(guid)
    if row is None or row.data.Kind != "Invoice" or row.deleted:
        problems["CreditNoteFor"] = f"'{guid}' is not an invoice of this organization."
    elif not row.data.booked:
        problems["CreditNoteFor"] = "Only a booked invoice can be credited."


# -- amounts and state ----------------------------------------------------------


Priced = list[tuple[InvoiceLinesCreateModel, "PricedLine | None"]]


def priced_lines(organization: Organization, data: DocumentData) -> Priced:
    """Each line with its amounts; text lines have none."""
    out: Priced = []
    for line in data.ProductLines:
        if line.LineType == "Text":
            out.append((line, None))
            continue
        vat_code = organization.accounts.get(line.AccountNumber, {}).get("VatCode")
        rate = Decimal(str(organization.vat_rate(vat_code)))
        priced = price_line(
            Decimal(str(line.BaseAmountValue)), Decimal(str(line.Quantity)), Decimal(str(line.Discount)), rate,
            data.ShowLinesInclVat,
        )
        out.append((line, priced))
    return out


def document_totals(organization: Organization, data: DocumentData) -> Totals:
    return totals((p for _, p in priced_lines(organization, data) if p is not None), data.ShowLinesInclVat)


def paid_amount(data: DocumentData) -> Decimal:
    """What payments (and written-off remainders) settled, in the document's currency."""
    total = Decimal(0)
    for payment in data.Payments:
        amount = payment.AmountInForeignCurrency if data.Currency != "DKK" else payment.Amount
        total += Decimal(str(amount or 0)) + Decimal(str(payment.WrittenOff))
    return total


def amount_owed(organization: Organization, data: DocumentData) -> Decimal:
    """The total incl. VAT and reminder expenses."""
    return document_totals(organization, data).incl_vat + Decimal(str(data.ReminderExpenses))


def overdue_from(data: DocumentData) -> datetime | None:
    """The moment an unpaid booked invoice turns Overdue: the day after its PaymentDate."""
    due = data.due
    if not data.booked or due is None:
        return None
    return datetime.combine(due + timedelta(days=1), time(), timezone.utc)


def payment_status(organization: Organization, data: DocumentData) -> str:
    """Draft, Booked, Paid, OverPaid or Overdue (reference §6.1)."""
    if not data.booked:
        return "Draft"
    remaining = amount_owed(organization, data) - paid_amount(data)
    if data.Payments and remaining == 0:
        return "Paid"
    if data.Payments and remaining < 0:
        return "OverPaid"
    turn = overdue_from(data)
    if turn is not None and organization.clock.now() >= turn:
        return "Overdue"
    return "Booked"


def next_number(table: Table, kinds: tuple[str, ...]) -> int:
    """The next number of a series: one more than the highest used.

    Invoices and credit notes share one series (Dinero numbers credit notes
    among the invoices); trade offers have their own.
    """
    used = [row.data.Number for row in table if row.data.Kind in kinds and row.data.Number is not None]
    return max(used, default=0) + 1


# -- the rules of change ---------------------------------------------------------


def timestamp_of(row: Record) -> str:
    return render_version(row.version)


def check_timestamp(row: Record, supplied: str | None) -> None:
    """400 with code 58 when ``supplied`` is not the document's current TimeStamp.
    ``None`` (an optional Timestamp left out) passes."""
    if supplied is None:
        return
    current = timestamp_of(row)
    if supplied.strip().upper() != current:
        raise DineroError(
            400, TIMESTAMP_OUTDATED, "Timestamp outdated",
            {"Timestamp": f"'{supplied}' is not the current TimeStamp ('{current}'); get the document and retry."},
        )


def optional_timestamp(call: Call) -> str | None:
    """The Timestamp of a TimestampObject body, which may be missing altogether."""
    document = parse_json_body(call.request.body)
    if document is None:
        return None
    return bind(TimestampObject, document).Timestamp


def require_draft(row: Record, action: str) -> None:
    """Booked documents never change. Dinero's answer is unknown (reference §9);
    400 with code 42 is chosen, as the reference suggests."""
    if row.data.booked:
        what = _WHAT[row.data.Kind]
        hint = " Create a credit note instead." if row.data.Kind == "Invoice" else ""
        raise validation_error({"Status": f"The {what} is booked and cannot be {action}.{hint}"})


def require_booked(row: Record, action: str) -> None:
    if not row.data.booked:
        what = _WHAT[row.data.Kind]
        raise DineroError(
            400, NOT_BOOKED, f"The {what} is not booked",
            {"Status": f"Only a booked {what} can be {action}; book it first."},
        )


def require_kind(table: Table, key: str, kind: Kind, live: bool = False) -> Record:
    """The row ``key`` if it is a document of ``kind`` (404 otherwise)."""
    name = {"Invoice": "InvoiceGuid", "CreditNote": "CreditNoteGuid", "TradeOffer": "TradeOfferGuid"}[kind]
    row = table.require_live(key, name) if live else table.require(key, name)
    if row.data.Kind != kind:
        table.require("", name)  # the same 404 a missing one gets
    return row


def new_key(call: Call, table: Table, chosen: Any) -> str:
    """A client-chosen Guid is kept; one in use is refused (400/42, Dinero's answer unknown)."""
    key = str(chosen) if chosen else call.world.new_guid()
    if table.get(key) is not None:
        raise validation_error({"Guid": f"A document with Guid '{key}' already exists."})
    return key


# -- rendering ------------------------------------------------------------------


def document_facts(organization: Organization, row_key: str, data: DocumentData, row: Record | None) -> dict[str, Any]:
    """Every property any read or fetch model shows, computed once."""
    rows = priced_lines(organization, data)
    sums = totals((p for _, p in rows if p is not None), data.ShowLinesInclVat)
    due = data.due
    rate = Decimal(str(data.ExchangeRate))
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


def _line_facts(organization: Organization, line: InvoiceLinesCreateModel, priced: PricedLine | None) -> dict[str, Any]:
    account = organization.accounts.get(line.AccountNumber, {})
    zero = Decimal(0)
    return dict(
        AccountName=account.get("Name") if priced else None,
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


SALES = Collection(
    "sales",
    SalesVoucherReadListModel,
    _render_list_row,
    data_model=DocumentData,
    turns_at=lambda row: overdue_from(row.data),
)
"""Invoices and credit notes (``Type`` tells them apart)."""
