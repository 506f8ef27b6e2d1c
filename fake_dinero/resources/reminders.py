"""Reminders (rykkere) on overdue invoices (reference §4.6, §5.9, §6.1 step 8).

A reminder is a draft until booked; booking adds its fee, interest and compensation to the invoice's
``ReminderExpenses`` (so the invoice owes more and gets a new TimeStamp). At most three per invoice, ten
days apart, one draft at a time. A draft's amounts follow the invoice; a booked reminder keeps those it
was booked with, as the letter that went out does. Amounts are in the invoice's currency.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, StringConstraints

from .. import errors
from ..call import Call
from ..domain import documents, sales
from ..domain.dates import parse_date, today
from ..domain.documents import (
    SALES,
    DocumentData,
)
from ..domain.versions import check_timestamp, timestamp_of
from ..errors import DineroError, validation_error
from ..formats import content_disposition, money, shown
from ..http import ApiResponse
from ..listing import changed_keys
from ..models import Bool, DineroModel, Money
from ..pdf import PdfDocument, render_pdf
from ..routing import QueryParam, Routes
from ..store import Collection, Record
from ..world import Organization
from . import mailouts
from . import voucher_flow as flow
from .sales import DEFAULT_INTEREST_RATE, DEFAULT_REMINDER_FEE

routes = Routes(tag="Reminders")

BASE = "/v1/{organizationId}/invoices/{voucherGuid}/reminders"
ID = ("id",)  # the path parameter that is an int32 in Dinero's document
MAX_REMINDERS = 3
DAYS_APART = 10
COMPENSATION_FEE = Decimal(310)
"""The Danish B2B compensation (rentelovens § 9 b, stk. 3): 310 kr, once per invoice."""
_TITLES = {"da-DK": "Rykker ", "en-GB": "Reminder "}
NOTICES = {
    "da-DK": "Betales beløbet ikke inden 10 dage, overgives sagen til inkasso.",
    "en-GB": "If the amount is not paid within 10 days, the claim will be handed over to debt collection.",
}
"""DebtCollectionNoticeText: Dinero's wording is unknown; Danish law wants ten days' notice before inkasso."""
FLAGS = ("WithDebtCollectionWarning", "WithFee", "WithInterestFee", "WithCompensationFee")
PAYMENT_MEANS = {mean.lower(): mean for mean in ("Domestic", "International", "FIK")}  # Newtonsoft ignores case
Text = Annotated[str, StringConstraints(min_length=1)]
PaymentMean = Annotated[Literal["Domestic", "International", "FIK"],
                        BeforeValidator(lambda value: PAYMENT_MEANS.get(str(value).lower(), value))]


class ReminderBookModel(DineroModel):
    Timestamp: Text


class ReminderDeleteModel(ReminderBookModel):
    pass


class ReminderCreateModel(DineroModel):
    Timestamp: Text
    Date: Text
    Title: str | None = None
    Description: str | None = None
    WithDebtCollectionWarning: Bool = False
    """Value-type bools in .NET: left out, they bind false."""
    WithFee: Bool = False
    WithInterestFee: Bool = False
    WithCompensationFee: Bool = False


class ReminderFetchModel(DineroModel):
    Date: Text
    WithDebtCollectionWarning: Bool = False
    WithFee: Bool = False
    WithInterestFee: Bool = False
    WithCompensationFee: Bool = False


class EanReminderModel(DineroModel):
    AttPerson: str | None = None
    Timestamp: str | None = None
    ReceiverEanNumber: str | None = None
    PaymentMeanEnum: PaymentMean = "Domestic"
    """Required in Dinero's document; left out, .NET binds the enum's first value."""


class _Amounts(DineroModel):
    Id: int | None = None
    IsDraft: bool
    IsDeleted: bool
    Number: int
    DebtCollectionNoticeText: str | None = None
    InvoiceTotalInclVatAmountText: str | None = None
    InvoiceTotalInclVatAmount: float
    FeeAmountText: str | None = None
    FeeAmount: float
    InterestAmountText: str | None = None
    InterestAmount: float | None = None
    CompensationFeeAvailable: bool
    CompensationFeeAmountText: str | None = None
    CompensationFeeAmount: float
    AccumulatedFeesAndInterestAmountText: str | None = None
    AccumulatedFeesAndInterestAmount: float
    PaidAmountText: str | None = None
    PaidAmount: float
    ReminderTotalInclVatAmountText: str | None = None
    ReminderTotalInclVatAmount: float


class ReminderViewModel(ReminderCreateModel, _Amounts):
    """The amounts, then what a create body holds (pydantic lists a later base's fields first)."""


class ReminderData(BaseModel):
    Id: int
    Number: int
    Date: date
    Title: str | None = None
    Description: str | None = None
    WithDebtCollectionWarning: bool = False
    WithFee: bool = False
    WithInterestFee: bool = False
    WithCompensationFee: bool = False
    IsDraft: bool = True
    Booked: dict[str, Money | bool | None] | None = None
    """The amounts as booked (ReminderViewModel's names); None while a draft."""
    VoucherGuid: str | None = None
    """The voucher that booked the fees and interest."""


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value or 0))


def _expenses(amounts: dict[str, Any]) -> Decimal:
    """What a reminder adds to the invoice when booked."""
    return sum((_decimal(amounts[key]) for key in ("FeeAmount", "InterestAmount", "CompensationFeeAmount")), Decimal())


def _amounts(organization: Organization, invoice_row: Record, data: ReminderData) -> dict[str, Any]:
    """Fee: the invoice's ReminderFee, else 100 kr. Interest: the outstanding amount (fees left out)
    x the invoice's ReminderInterestRate (else 0.7) % per started month (30 days) overdue at the
    reminder's Date, less the interest earlier reminders charged. Compensation: 310 kr once, companies only."""
    if data.Booked is not None:
        return data.Booked
    invoice: DocumentData = invoice_row.data
    total = documents.document_totals(organization, invoice).incl_vat
    paid = documents.amount_owed(organization, invoice) - documents.outstanding(organization, invoice)
    per_dkk = Decimal(100) / invoice.ExchangeRate
    before = [other.Booked for other in _live(organization, invoice_row.key, data.Number) if other.Booked is not None]
    fee = invoice.ReminderFee if invoice.ReminderFee is not None else _decimal(DEFAULT_REMINDER_FEE) * per_dkk
    fee = money(fee) if data.WithFee else Decimal(0)
    interest = None
    if data.WithInterestFee:
        rate = _decimal(DEFAULT_INTEREST_RATE if invoice.ReminderInterestRate is None else invoice.ReminderInterestRate)
        months = -(-max((data.Date - invoice.due).days if invoice.due else 0, 0) // 30)  # started 30-day periods
        owed = max(total - paid, Decimal(0)) * rate / 100 * months
        charged = sum((_decimal(amounts["InterestAmount"]) for amounts in before), Decimal(0))
        interest = max(money(owed) - charged, Decimal(0))
    contact = mailouts.contact_of(organization, invoice.ContactGuid)
    available = contact is not None and not contact.IsPerson
    charge = data.WithCompensationFee and available and not any(amounts["CompensationFeeAmount"] for amounts in before)
    compensation = money(COMPENSATION_FEE * per_dkk) if charge else Decimal(0)
    accumulated = sum((_expenses(amounts) for amounts in before), Decimal(0)) + fee + (interest or 0) + compensation
    return dict(
        InvoiceTotalInclVatAmount=money(total), FeeAmount=money(fee),
        InterestAmount=money(interest) if interest is not None else None, CompensationFeeAvailable=available,
        CompensationFeeAmount=money(compensation), AccumulatedFeesAndInterestAmount=money(accumulated),
        PaidAmount=money(-paid), ReminderTotalInclVatAmount=money(total + accumulated - paid),
    )


def _text(amount: float, invoice: DocumentData, currency: bool = True) -> str:
    """1125 as Danes write it ("1.125,00 DKK") or, for en-GB, "DKK 1,125.00"."""
    english, number = invoice.Language == "en-GB", f"{money(amount):,.2f}"
    number = number if english else number.translate(str.maketrans(",.", ".,"))
    return number if not currency else f"{invoice.Currency} {number}" if english else f"{number} {invoice.Currency}"


def _view(organization: Organization, invoice_row: Record, data: ReminderData, timestamp: str, row_id: int | None,
          deleted: bool = False) -> ReminderViewModel:
    invoice, amounts = invoice_row.data, _amounts(organization, invoice_row, data)
    texts = {f"{name}Text": _text(value, invoice) for name, value in amounts.items()
             if name.endswith("Amount") and value is not None}
    return ReminderViewModel(
        Id=row_id, IsDraft=data.IsDraft, IsDeleted=deleted, Number=data.Number,
        DebtCollectionNoticeText=NOTICES[invoice.Language] if data.WithDebtCollectionWarning else None,
        Timestamp=timestamp, Date=data.Date.isoformat(), Title=data.Title, Description=data.Description,
        **amounts, **texts, **{flag: getattr(data, flag) for flag in FLAGS},
    )


def _live(organization: Organization, invoice_key: str, before: int = MAX_REMINDERS + 1) -> list[ReminderData]:
    """The invoice's reminders that are not deleted, by Number (those numbered below ``before``)."""
    rows = organization.table(REMINDERS).records(parent=invoice_key)
    return sorted((row.data for row in rows if not row.deleted and row.data.Number < before), key=lambda d: d.Number)


def _render(organization: Organization, row: Record) -> ReminderViewModel:
    """Rendered on every read (never from the table's cache): a draft follows its invoice."""
    invoice = organization.table(SALES).require(row.parent or "", "InvoiceGuid")
    return _view(organization, invoice, row.data, timestamp_of(row), row.data.Id, row.deleted)


REMINDERS = Collection("reminders", ReminderViewModel, _render, data_model=ReminderData)
"""Rows keyed by str(Id), an int unique in the organization, with the invoice's Guid as parent."""


def _invoice(call: Call, live: bool = False) -> Record:
    return documents.require_kind(call.organization.table(SALES), call.guid("voucherGuid"), "Invoice", live=live)


def _target(call: Call, live: bool = False) -> tuple[Record, Record]:
    """The invoice and its reminder ``{id}`` (an int32, else 400/42); another invoice's is 404."""
    guid, raw = call.guid("voucherGuid"), call.params["id"]
    if not re.fullmatch(r"\s*[+-]?[0-9]{1,10}\s*", raw) or not -(2**31) <= int(raw) < 2**31:
        raise validation_error({"id": f"The value '{shown(raw)}' is not valid: a reminder's Id is a whole number."})
    invoice, key = _invoice(call, live), str(int(raw))
    row = call.organization.table(REMINDERS).get(key)
    if row is None or row.parent != guid:
        raise errors.not_found("id", key)
    if live and row.deleted:
        raise errors.item_deleted("id", key)
    return invoice, row


def _require_overdue(organization: Organization, invoice: Record) -> None:
    documents.require_booked(invoice, "reminded")
    if documents.payment_status(organization, invoice.data) != "Overdue":
        raise DineroError(400, errors.NOT_OVERDUE, "The invoice is not overdue", {
            "PaymentDate": f"The invoice is due {invoice.data.due}; it can be reminded once it is overdue."})


def _check_date(invoice: DocumentData, previous: ReminderData | None, when: date) -> None:
    """After the PaymentDate, and ten days or more after the previous reminder's Date."""
    if invoice.due is not None and when <= invoice.due:
        raise validation_error({"Date": f"A reminder must be dated after the PaymentDate ({invoice.due})."})
    earliest = previous.Date + timedelta(days=DAYS_APART) if previous else when
    if when < earliest:
        raise validation_error({"Date": f"Reminders are {DAYS_APART} days apart: date this one {earliest} or later."})


def _plan(organization: Organization, invoice: Record, when: date | None) -> tuple[int, list[ReminderData]]:
    """The Number a new reminder gets and the reminders before it, refusing what Dinero refuses."""
    _require_overdue(organization, invoice)
    live = _live(organization, invoice.key)
    if len(live) >= MAX_REMINDERS:
        raise DineroError(400, errors.LIMIT_EXCEEDED, "Limit exceeded",
                          {"Number": f"An invoice can have at most {MAX_REMINDERS} reminders."})
    if live and live[-1].IsDraft:  # Dinero's answer is unknown; one draft at a time keeps Numbers in order
        raise validation_error({"IsDraft": f"Reminder {live[-1].Number} is a draft; book or delete it first."})
    if when is not None:
        _check_date(invoice.data, live[-1] if live else None, when)
    return len(live) + 1, live


def _new(invoice: Record, number: int, body: Any, row_id: int = 0) -> ReminderData:
    return ReminderData(
        Id=row_id, Number=number, Date=parse_date(body.Date, "Date"),
        Title=getattr(body, "Title", None) or _TITLES[invoice.data.Language] + str(number),
        Description=getattr(body, "Description", None), **{flag: getattr(body, flag) for flag in FLAGS},
    )


@routes.get(BASE, response=list[ReminderViewModel], query=(QueryParam("changesSince"),))
def list_reminders(call: Call) -> list[ReminderViewModel]:
    """The reminders not deleted, by Number; with ``changesSince`` those changed since, deleted ones
    too (IsDeleted true), so a client can sync."""
    invoice = _invoice(call)
    table = call.organization.table(REMINDERS)
    keys = changed_keys(call, table)
    rows = table.records(parent=invoice.key, keys=keys)
    return [_render(call.organization, row) for row in rows if keys is not None or not row.deleted]


@routes.post(BASE, body=ReminderCreateModel, response=ReminderViewModel)
def add_reminder(call: Call) -> ReminderViewModel:
    """A draft on a booked (59), overdue (74) invoice; Timestamp is the invoice's (58). At most 3 (43);
    dated after the PaymentDate and 10 days after the previous one (42); one draft at a time (42)."""
    invoice = _invoice(call, live=True)
    body = call.body(ReminderCreateModel)
    check_timestamp(invoice, body.Timestamp)
    number, _ = _plan(call.organization, invoice, parse_date(body.Date, "Date"))
    table = call.organization.table(REMINDERS)
    data = _new(invoice, number, body, len(table) + 1)
    return _render(call.organization, table.insert(str(data.Id), data, parent=invoice.key))


@routes.get(BASE + "/next", response=ReminderViewModel)
def get_next_reminder(call: Call) -> ReminderViewModel:
    """The next reminder proposed, not saved: dated today (or 10 days after the previous one), with fee,
    a debt-collection warning on number 3, the invoice's Timestamp (so it can be posted back as it is)."""
    invoice = _invoice(call)
    number, live = _plan(call.organization, invoice, None)
    when = max([today(call.organization), *(data.Date + timedelta(days=DAYS_APART) for data in live[-1:])])
    proposal = ReminderData(Id=0, Number=number, Date=when, Title=_TITLES[invoice.data.Language] + str(number),
                            WithFee=True, WithDebtCollectionWarning=number == MAX_REMINDERS)
    return _view(call.organization, invoice, proposal, timestamp_of(invoice), None)


@routes.post(BASE + "/fetch", body=ReminderFetchModel, response=ReminderViewModel)
def fetch_reminder(call: Call) -> ReminderViewModel:
    """What create would make of this Date and flags (with create's refusals), not saved."""
    invoice = _invoice(call)
    body = call.body(ReminderFetchModel)
    number, _ = _plan(call.organization, invoice, parse_date(body.Date, "Date"))
    return _view(call.organization, invoice, _new(invoice, number, body), timestamp_of(invoice), None)


def _template(call: Call, invoice: Record) -> mailouts.MailoutTemplateReadModel:
    """For the latest booked reminder (none: 400/42): the invoice's template named "Rykker 1 for faktura 7"."""
    booked = [data for data in _live(call.organization, invoice.key) if not data.IsDraft]
    if not booked:
        raise validation_error({"voucherGuid": "The invoice has no booked reminder to send; book one first."})
    kind = f"{booked[-1].Title} for {'invoice' if invoice.data.Language == 'en-GB' else 'faktura'}"
    return mailouts.voucher_template(call, invoice.data, kind)


@routes.get(BASE + "/email/template", response=mailouts.MailoutTemplateReadModel)
def get_reminder_email_template(call: Call) -> mailouts.MailoutTemplateReadModel:
    """For the latest booked reminder, the one ``/email`` sends (none: 400/42)."""
    return _template(call, _invoice(call))


@routes.post(BASE + "/email", body=mailouts.ApiMailoutModel, response=mailouts.EmailSentModel)
def send_reminder_email(call: Call) -> mailouts.EmailSentModel:
    """Sends the latest booked reminder (none: 400/42); Timestamp, if given, is the invoice's.
    No Receiver and a contact without e-mail: 400/64."""
    invoice = _invoice(call, live=True)
    mail = call.body(mailouts.ApiMailoutModel)
    check_timestamp(invoice, mail.Timestamp)
    template = _template(call, invoice)
    sent = mailouts.send_email(call, mail, parent=invoice.key, contact_guid=invoice.data.ContactGuid,
                               mailout_type="Reminder", template=template, voucher_type="Invoice",
                               missing_receiver_code=errors.CONTACT_WITHOUT_EMAIL, attachment=f"{template.Subject}.pdf")
    mailouts.mark_sent(call.organization.table(SALES), invoice, "Reminder")
    return sent


@routes.get(BASE + "/{id}", response=ReminderViewModel, pdf=True, integer_params=ID)
def get_reminder(call: Call) -> Any:
    """JSON, or with ``Accept: application/octet-stream`` the letter as a PDF. Dinero's rule for drafts
    is unknown; the fake prints any reminder, deleted ones too (a draft's PDF is a preview)."""
    invoice, row = _target(call)
    accept = (call.request.header("accept") or "").lower()
    media = next((media for media in ("application/pdf", "application/octet-stream") if media in accept), None)
    return _pdf(call, invoice, row, media) if media else _render(call.organization, row)


def _pdf(call: Call, invoice: Record, row: Record, media: str) -> ApiResponse:
    data, doc = row.data, invoice.data
    amounts = _amounts(call.organization, invoice, data)
    en = doc.Language == "en-GB"
    earlier = _decimal(amounts["AccumulatedFeesAndInterestAmount"]) - _expenses(amounts)
    lines = [
        (f"{'Invoice' if en else 'Faktura'} {doc.Number}", amounts["InvoiceTotalInclVatAmount"]),
        ("Earlier fees and interest" if en else "Tidligere gebyrer og renter", float(earlier) if earlier else None),
        ("Reminder fee" if en else "Rykkergebyr", amounts["FeeAmount"] if data.WithFee else None),
        ("Interest" if en else "Renter", amounts["InterestAmount"]),
        ("Compensation fee" if en else "Kompensationsbeløb", amounts["CompensationFeeAmount"] or None),
        ("Paid" if en else "Betalt", amounts["PaidAmount"] or None),
    ]
    letter = flow.document_pdf(call, invoice)
    note = "\n\n".join(filter(None, (data.Description, data.WithDebtCollectionWarning and NOTICES[doc.Language])))
    title = f"{data.Title} {'for invoice' if en else 'for faktura'} {doc.Number}"
    body = render_pdf(PdfDocument(
        title=title, issuer=letter.issuer, recipient=letter.recipient,
        facts=(("Date" if en else "Dato", data.Date.isoformat()), ("Payment date" if en else "Betalingsdato",
               str(doc.due)), ("Currency" if en else "Valuta", doc.Currency)),
        columns=("Description", "Amount") if en else ("Beskrivelse", "Beløb"),
        rows=tuple((label, _text(amount, doc, False)) for label, amount in lines if amount is not None),
        totals=(("Total due" if en else "At betale i alt", _text(amounts["ReminderTotalInclVatAmount"], doc, False)),),
        note=note or None, created=row.updated_at,
    ))
    return ApiResponse(200, body, {"content-type": media, "content-disposition": content_disposition(f"{title}.pdf")})


@routes.put(BASE + "/{id}", body=ReminderCreateModel, response=ReminderViewModel, integer_params=ID)
def update_reminder(call: Call) -> ReminderViewModel:
    """Drafts only (a booked one: 400/42); Timestamp is the reminder's (58). The Number stays."""
    invoice, row = _target(call, live=True)
    body = call.body(ReminderCreateModel)
    check_timestamp(row, body.Timestamp)
    if not row.data.IsDraft:
        raise validation_error({"IsDraft": "A booked reminder cannot be changed; delete it and make a new one."})
    earlier = _live(call.organization, invoice.key, row.data.Number)
    changed = _new(invoice, row.data.Number, body, row.data.Id)
    _check_date(invoice.data, earlier[-1] if earlier else None, changed.Date)
    return _render(call.organization, call.organization.table(REMINDERS).update(row, changed))


@routes.post(BASE + "/{id}/book", body=ReminderBookModel, response=ReminderViewModel, integer_params=ID)
def book_reminder(call: Call) -> ReminderViewModel:
    """Fixes the amounts and adds fee, interest and compensation to the invoice (a new invoice TimeStamp).
    Timestamp is the reminder's (58); booked already: 400/42; the invoice paid meanwhile: 400/74."""
    invoice, row = _target(call, live=True)
    check_timestamp(row, call.body(ReminderBookModel).Timestamp)
    if not row.data.IsDraft:
        raise validation_error({"IsDraft": "The reminder is already booked."})
    _require_overdue(call.organization, invoice)
    amounts = _amounts(call.organization, invoice, row.data)
    fees = _decimal(amounts["FeeAmount"]) + _decimal(amounts["CompensationFeeAmount"])
    _, voucher = sales.book_reminder_expenses(
        call.organization, invoice, row.data.Date, fees, _decimal(amounts["InterestAmount"])
    )
    booked = row.data.model_copy(update={"IsDraft": False, "Booked": amounts, "VoucherGuid": voucher})
    row = call.organization.table(REMINDERS).update(row, booked)
    return _render(call.organization, row)


@routes.delete(BASE + "/{id}", body=ReminderDeleteModel, integer_params=ID)
def delete_reminder(call: Call) -> None:
    """Only the latest reminder (so Numbers stay 1, 2, 3; else 400/42). A draft is deleted; a booked
    one is reversed, its expenses taken off the invoice, and marked deleted."""
    invoice, row = _target(call, live=True)
    check_timestamp(row, call.body(ReminderDeleteModel).Timestamp)
    latest = _live(call.organization, invoice.key)[-1]
    if latest.Id != row.data.Id:
        raise validation_error({"id": f"Only the latest reminder (number {latest.Number}) can be deleted."})
    if row.data.Booked is not None:
        sales.reverse_reminder_expenses(call.organization, invoice, row.data.VoucherGuid, _expenses(row.data.Booked))
    call.organization.table(REMINDERS).delete(row)


@routes.post(BASE + "/{id}/e-reminder", body=EanReminderModel, integer_params=ID)
def send_e_reminder(call: Call) -> None:
    """A booked reminder (59) as OIOUBL to the body's or the contact's EAN (none 56, invalid 57), with
    the body's or contact's att. person (62). Timestamp, if given, is the reminder's."""
    invoice, row = _target(call, live=True)
    body = call.body(EanReminderModel)
    check_timestamp(row, body.Timestamp)
    if row.data.IsDraft:
        raise DineroError(400, errors.NOT_BOOKED, "The reminder is not booked", {"IsDraft": "Book it first."})
    contact = mailouts.contact_of(call.organization, invoice.data.ContactGuid)
    where = "ReceiverEanNumber" if body.ReceiverEanNumber else "EanNumber"
    ean = mailouts.check_ean(body.ReceiverEanNumber or getattr(contact, "EanNumber", None), where)
    att_person = mailouts.require_att_person(body.AttPerson or getattr(contact, "AttPerson", None))
    details = {"EanNumber": ean, "AttPerson": att_person, "PaymentMean": body.PaymentMeanEnum, "Reminder": row.data.Id}
    mailouts.record(call, invoice.key, Channel="EInvoice", Type="ElectronicInvoiceReminder", Receiver=ean,
                    Subject=f"{row.data.Title}: {invoice.data.Description} {invoice.data.Number}", Details=details,
                    VoucherGuid=invoice.key, VoucherType="Invoice", ContactGuid=invoice.data.ContactGuid)
    mailouts.mark_sent(call.organization.table(SALES), invoice, "ElectronicInvoiceReminder")
