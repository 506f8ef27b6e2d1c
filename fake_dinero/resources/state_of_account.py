"""A contact's state of account (reference §4.3 rows 24-26): what the contact owes, entry by entry.

Built from the contact's booked sales documents (drafts never show): each
invoice, credit note and payment is an entry in DKK, oldest first, with the
running balance. Choices where Dinero's behaviour is unknown are marked [UNK].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal

from pydantic import Field

from ..call import Call
from ..domain.documents import DocumentData, payment_status
from ..domain.statements import StatementLine, contact_lines, expenses
from ..errors import CONTACT_WITHOUT_EMAIL, validation_error
from ..formats import OutOfRange, content_disposition, money_json, parse_lenient_datetime, shown
from ..http import ApiResponse
from ..models import Bool, DineroDateTime, DineroModel, Guid
from ..pdf import PdfDocument, render_pdf
from ..routing import QueryParam, Routes
from ..store import Record
from ..world import Organization
from .contacts import CONTACTS
from .document_binding import contact_address
from .mailouts import ApiMailoutModel, MailoutTemplateReadModel, send_email
from .voucher_flow import issuer_lines

routes = Routes(tag="Contacts")

PATH = "/v1/{organizationId}/state-of-account/{guid}"
QUERY = (
    QueryParam("from", format="date-time"),
    QueryParam("to", format="date-time"),
    QueryParam("hideClosed", "boolean", False),
)
TITLE = "Kontoudtog"
DATE_TIME = {"format": "date-time"}


class ContactStateOfAccountEntry(DineroModel):
    RelatedVoucherGuid: Guid
    RelatedVoucherNumber: str | None = None
    Date: DineroDateTime
    DecayDate: DineroDateTime | None = None
    Description: str | None = None
    Type: str | None = None
    Amount: float
    Balance: float
    Status: str | None = None
    RelatedVoucherCategory: str | None = None
    RelatedVoucherClass: str | None = None
    Currency: str | None = None


class ContactStateOfAccount(DineroModel):
    ContactGuid: Guid
    Income: float
    Expenses: float
    Entries: list[ContactStateOfAccountEntry] | None = None


class ContactStateOfAccountMailoutModel(DineroModel):
    """The .NET bools are value types: left out, they bind to false."""

    Sender: str | None = None
    CCToSender: Bool = False
    Receiver: str | None = None
    Subject: str | None = None
    Message: str | None = None
    From: str | None = Field(None, json_schema_extra=DATE_TIME)
    To: str | None = Field(None, json_schema_extra=DATE_TIME)
    HideClosed: Bool = False


def _day(text: str | None, name: str) -> date | None:
    """The date part as the client wrote it; the time of day is ignored, entries are dated by day [UNK]."""
    if text is None:
        return None
    try:
        parse_lenient_datetime(text)
    except OutOfRange as exc:
        raise validation_error({name: f"'{shown(text)}': {exc}"}) from None
    except ValueError:
        reason = f"'{shown(text)}' is not a date-time. Use YYYY-MM-DD or YYYY-MM-DDTHH:mm:ss."
        raise validation_error({name: reason}) from None
    return date.fromisoformat(text.strip()[:10])


@dataclass(frozen=True)
class Statement:
    income: Decimal
    entries: list[ContactStateOfAccountEntry]


def statement(
    organization: Organization, contact_key: str, start: date | None, end: date | None, hide_closed: bool
) -> Statement:
    """The entries dated ``start`` to ``end`` (both included), from the contact's debtor entries.

    Balance is the contact's balance after the entry, so entries before ``start`` count
    towards it [UNK: Dinero may start from 0 or show an opening entry]. Closed means fully
    paid (payment status Paid); ``hide_closed`` drops such documents with their payments.
    Income is invoices minus credit notes dated in the period, in DKK incl. VAT, whether
    closed or not [UNK]; reminder fees are not counted in it.
    """
    lines = contact_lines(organization, contact_key)
    closed = {
        line.document.key for line in lines
        if line.document is not None and payment_status(organization, line.document.data) == "Paid"
    }
    income = balance = Decimal(0)
    entries: list[ContactStateOfAccountEntry] = []
    for line in lines:
        in_period = (start is None or line.day >= start) and (end is None or line.day <= end)
        if in_period and line.rank == 0:
            income += line.amount
        shut = line.document is not None and line.document.key in closed
        if hide_closed and shut:
            continue
        balance += line.amount
        if in_period:
            entries.append(_entry(line, balance, shut))
    return Statement(income, entries)


def _entry(line: StatementLine, balance: Decimal, closed: bool) -> ContactStateOfAccountEntry:
    """A sales voucher shows as its document (a payment's RelatedVoucherGuid is the invoice
    it pays, so a client can match the lines); any other voucher as itself."""
    document: DocumentData | None = line.document.data if line.document is not None else None
    due = document.due if document is not None and line.rank == 0 else None
    return ContactStateOfAccountEntry(
        RelatedVoucherGuid=line.document.key if line.document is not None else line.voucher_guid,
        RelatedVoucherNumber=str(line.number) if line.number is not None else None,
        Date=datetime.combine(line.day, time()),
        DecayDate=datetime.combine(due, time()) if due else None,
        Description=line.description,
        Type=line.type,
        Amount=money_json(line.amount),
        Balance=money_json(balance),
        Status="Closed" if closed else "Open",
        RelatedVoucherCategory="Sales" if document is not None else "Ledger",
        RelatedVoucherClass=document.Kind if document is not None else line.type,
        Currency=document.Currency if document is not None else "DKK",
    )


def _contact(call: Call) -> Record:
    return call.organization.table(CONTACTS).require(call.guid("guid"), "ContactGuid")


def _statement_of_query(call: Call, contact: Record) -> Statement:
    start, end = _day(call.query("from"), "from"), _day(call.query("to"), "to")
    return statement(call.organization, contact.key, start, end, call.query_bool("hideClosed", False))


@routes.get(PATH, response=ContactStateOfAccount, query=QUERY)
def get_state_of_account(call: Call) -> ContactStateOfAccount:
    """Income is what was invoiced to the contact, Expenses what was bought from it (its
    credit purchases less purchase credit notes), in the period; the entries are the
    sales side's. Unknown contact: 404/40."""
    contact = _contact(call)
    result = _statement_of_query(call, contact)
    spent = expenses(call.organization, contact.key, _day(call.query("from"), "from"), _day(call.query("to"), "to"))
    return ContactStateOfAccount(
        ContactGuid=contact.key, Income=money_json(result.income), Expenses=money_json(spent), Entries=result.entries
    )


@routes.get(PATH + "/pdf", query=QUERY)
def get_state_of_account_pdf(call: Call) -> ApiResponse:
    """The same entries as a PDF (``application/pdf``)."""
    contact = _contact(call)
    body = render_pdf(_pdf(call, contact, _statement_of_query(call, contact)))
    headers = {"content-type": "application/pdf", "content-disposition": content_disposition(f"{TITLE}.pdf")}
    return ApiResponse(200, body, headers)


def _pdf(call: Call, contact: Record, result: Statement) -> PdfDocument:
    """In Danish, whatever the contact's language [UNK]."""
    issuer = issuer_lines(call.organization)
    fields = contact.data
    recipient = tuple(part for part in (fields.Name, *(contact_address(fields) or "").splitlines()) if part)
    rows = tuple(
        (
            entry.Date.date().isoformat(), entry.Description or "", entry.RelatedVoucherNumber or "",
            entry.DecayDate.date().isoformat() if entry.DecayDate else "",
            _amount(entry.Amount), _amount(entry.Balance),
        )
        for entry in result.entries
    )
    balance = result.entries[-1].Balance if result.entries else 0.0
    return PdfDocument(
        title=TITLE,
        issuer=issuer,
        recipient=recipient,
        facts=(("Dato", call.organization.clock.now().astimezone(timezone.utc).date().isoformat()), ("Valuta", "DKK")),
        columns=("Dato", "Tekst", "Nummer", "Forfald", "Beløb", "Saldo"),
        rows=rows,
        totals=(("Saldo DKK", _amount(balance)),),
        created=call.organization.clock.now(),
    )


def _amount(value: float) -> str:
    return f"{value:,.2f}"


@routes.post(PATH + "/email", body=ContactStateOfAccountMailoutModel)
def email_state_of_account(call: Call) -> None:
    """Receiver defaults to the contact's e-mail (none anywhere: 400/64); the PDF is attached.

    Recorded in the outbox under the contact, as a "Mailout".
    """
    contact = _contact(call)
    body = call.body(ContactStateOfAccountMailoutModel)
    _day(body.From, "From")
    _day(body.To, "To")
    organization_name = call.organization.profile.get("Name")
    template = MailoutTemplateReadModel(
        Sender=call.organization.profile.get("Email"),
        Receiver=contact.data.Email,
        Subject=TITLE,
        Message=f"Kære {contact.data.Name}\n\nHermed kontoudtog fra {organization_name}.\n\n"
        f"Med venlig hilsen\n{organization_name}",
        AddVoucherAsPdfAttachment=True,
    )
    mail = ApiMailoutModel(
        Sender=body.Sender, CcToSender=body.CCToSender, Receiver=body.Receiver, Subject=body.Subject,
        Message=body.Message, AddVoucherAsPdfAttachment=True,
    )
    send_email(
        call, mail, parent=contact.key, contact_guid=contact.key, mailout_type="Mailout", template=template,
        missing_receiver_code=CONTACT_WITHOUT_EMAIL, attachment=f"{TITLE}.pdf", require_link=False,
    )
