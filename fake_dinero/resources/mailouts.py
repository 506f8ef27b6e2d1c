"""Mail-outs, e-invoices and SMS (reference §5.8, §6.1 step 6), and the outbox.

Nothing is ever sent. Each send is recorded as a row of the organization's
``OUTBOX`` (its id is the mail-out ``Id``), which the ``/mailouts`` lists
show and tests read through the control plane (``GET /_fake/outbox``).
A send marks the document: ``MailOutStatus`` Sent, ``LatestMailOutType``,
and so a new TimeStamp. Other modules (reminders, state of account) record
their mails with ``send_email``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from ..call import Call
from ..domain.attachments import attachments
from ..domain.documents import (
    DOCUMENT_NAMES,
    SALES,
    TRADE_OFFERS,
    DocumentData,
    HistoryData,
    Kind,
    document_totals,
    payment_status,
    require_booked,
    require_kind,
)
from ..domain.versions import check_timestamp
from ..errors import (
    INVALID_EAN,
    NO_ATT_PERSON,
    NO_EAN,
    NO_RECEIVER_EMAIL,
    NOT_OVERDUE,
    DineroError,
    validation_error,
)
from ..formats import shown
from ..listing import changed_keys
from ..models import Bool, DineroDateTime, DineroModel
from ..routing import QueryParam, Routes
from ..store import Collection, Record, Table
from ..world import Organization, World
from .contacts import CONTACTS

routes = Routes(tag="Mail-outs")

LINK = "[link-to-pdf]"


class ApiMailoutModel(DineroModel):
    Timestamp: str | None = None
    Sender: str | None = None
    CcToSender: Bool | None = None
    Receiver: str | None = None
    Subject: str | None = None
    Message: str | None = None
    AddVoucherAsPdfAttachment: Bool | None = None
    ShouldAddTrustPilotEmailAsBcc: Bool = False


class EmailRecipientModel(DineroModel):
    Email: str | None = None


class EmailSentModel(DineroModel):
    Recipients: list[EmailRecipientModel] | None = None


class MailoutTemplateReadModel(DineroModel):
    Sender: str | None = None
    Receiver: str | None = None
    Subject: str | None = None
    Message: str | None = None
    AddVoucherAsPdfAttachment: bool


class _SmsTemplate(DineroModel):
    SendAsSms: bool
    SmsReceiverPhoneNumber: str | None = None


class MailoutTemplateReadModelV2(MailoutTemplateReadModel, _SmsTemplate):
    pass


class VoucherMailoutReadModel(DineroModel):
    Id: int
    Date: DineroDateTime
    SeenAt: DineroDateTime | None = None
    Sender: str | None = None
    Receiver: str | None = None
    Subject: str | None = None
    Message: str | None = None
    DownloadCount: int
    PrintCount: int
    Type: str | None = None
    Status: str | None = None
    LatestEvent: str | None = None
    IsSmsMessage: bool
    CCToSender: bool


class MailoutData(BaseModel):
    """One recorded send: what Dinero would have delivered, and to whom."""

    Id: int
    Date: datetime
    Channel: str = "Email"
    """Email, EInvoice or Sms."""
    Type: str
    Sender: str | None = None
    Receiver: str | None = None
    Subject: str | None = None
    Message: str | None = None
    CCToSender: bool = False
    Bcc: str | None = None
    Attachment: str | None = None
    """The file name of the PDF attached, if one was."""
    BoundFiles: list[str] = Field(default_factory=list)
    """The names of the files bound to the document (``attachments``), sent with it."""
    VoucherGuid: str | None = None
    VoucherType: str | None = None
    ContactGuid: str | None = None
    Details: dict[str, Any] = Field(default_factory=dict)


def _render(organization: Organization, row: Record) -> VoucherMailoutReadModel:
    mail: MailoutData = row.data
    return VoucherMailoutReadModel(
        Id=mail.Id, Date=mail.Date, Sender=mail.Sender, Receiver=mail.Receiver, Subject=mail.Subject,
        Message=mail.Message, DownloadCount=0, PrintCount=0, Type=mail.Type, Status="Sent", LatestEvent="Sent",
        IsSmsMessage=mail.Channel == "Sms", CCToSender=mail.CCToSender,
    )


OUTBOX = Collection("outbox", VoucherMailoutReadModel, _render, data_model=MailoutData)


def record(call: Call, parent: str, **fields: Any) -> MailoutData:
    """Store one send in the organization's outbox."""
    table = call.organization.table(OUTBOX)
    mail = MailoutData(Id=len(table) + 1, Date=call.organization.clock.now(), **fields)
    table.insert(str(mail.Id), mail, parent=parent)
    return mail


def send_email(
    call: Call,
    mail: ApiMailoutModel,
    *,
    parent: str,
    contact_guid: str | None,
    mailout_type: str,
    template: MailoutTemplateReadModel,
    missing_receiver_code: int,
    voucher_type: str | None = None,
    attachment: str | None = None,
    require_link: bool = True,
    bound_files: list[str] | None = None,
) -> EmailSentModel:
    """Check an e-mail as Dinero would and record it; the template fills what the body leaves out.

    No receiver anywhere is 400 with ``missing_receiver_code`` (55 for a
    voucher, 64 for a contact-level mail: both unknown in the reference,
    named by issue 4). A Message must keep ``[link-to-pdf]``.
    """
    receiver = mail.Receiver or template.Receiver
    if not receiver:
        raise DineroError(
            400, missing_receiver_code, "The contact has no e-mail address",
            {"Receiver": "Give a Receiver, or add an e-mail address to the contact."},
        )
    recipients = [address.strip() for address in receiver.replace(";", ",").split(",") if address.strip()]
    bad = [address for address in recipients if "@" not in address or address.startswith("@")]
    if bad or not recipients:
        raise validation_error({"Receiver": f"'{shown(', '.join(bad) or receiver)}' is not an e-mail address."})
    if require_link and mail.Message is not None and LINK not in mail.Message:
        raise validation_error({"Message": f"The message must contain {LINK}, where the link to the PDF goes."})
    attach = mail.AddVoucherAsPdfAttachment if mail.AddVoucherAsPdfAttachment is not None else True
    record(
        call, parent,
        Type=mailout_type, Sender=mail.Sender or template.Sender, Receiver=", ".join(recipients),
        Subject=mail.Subject or template.Subject, Message=mail.Message or template.Message,
        CCToSender=bool(mail.CcToSender), Attachment=attachment if attach else None,
        Bcc="trustpilot" if mail.ShouldAddTrustPilotEmailAsBcc else None,
        VoucherGuid=parent if voucher_type else None, VoucherType=voucher_type, ContactGuid=contact_guid,
        BoundFiles=bound_files or [],
    )
    return EmailSentModel(Recipients=[EmailRecipientModel(Email=address) for address in recipients])


def check_ean(ean: str | None, where: str = "EanNumber") -> str:
    """An EAN (GLN) for an e-invoice: missing is 400/56, not 13 digits with a valid
    GS1 check digit is 400/57 (codes named by issue 4)."""
    if not ean or not ean.strip():
        raise DineroError(
            400, NO_EAN, "The contact has no EAN number",
            {where: "An e-invoice goes to an EAN number; add one to the contact."},
        )
    digits = ean.strip()
    well_formed = len(digits) == 13 and digits.isascii() and digits.isdigit()
    if not well_formed or _gs1_check_digit(digits[:12]) != int(digits[12]):
        raise DineroError(
            400, INVALID_EAN, "Invalid EAN number",
            {where: f"'{shown(ean)}' is not a valid EAN number: 13 digits, the last a GS1 check digit."},
        )
    return digits


def _gs1_check_digit(body: str) -> int:
    total = sum(int(digit) * (3 if position % 2 else 1) for position, digit in enumerate(body))
    return (10 - total % 10) % 10


def require_att_person(att_person: str | None) -> str:
    """Danish e-invoices (OIOUBL) name a person at the receiver: none is 400/62."""
    if not att_person or not att_person.strip():
        raise DineroError(
            400, NO_ATT_PERSON, "The contact has no att. person",
            {"AttPerson": "An e-invoice needs an att. person: give AttPerson or add one to the contact."},
        )
    return att_person.strip()


def contact_of(organization: Organization, guid: str | None) -> Any:
    """The contact's stored fields, or None."""
    row = organization.table(CONTACTS).get(guid) if guid else None
    return row.data if row is not None else None


def voucher_template(call: Call, data: DocumentData, kind_name: str | None = None) -> MailoutTemplateReadModel:
    """Dinero's defaults: the organization sends, the contact receives, subject "{Type} {Number}"."""
    organization = call.organization
    contact = contact_of(organization, data.ContactGuid)
    name = kind_name or DOCUMENT_NAMES[(data.Kind, data.Language)]
    english = data.Language == "en-GB"
    greeting = f"{'Dear' if english else 'Kære'} {data.ContactName or ''}".strip()
    body = (
        f"{greeting}\n\n{'Please find' if english else 'Hermed'} {name.lower()} {data.Number} "
        f"{'attached' if english else 'fra'}{'' if english else ' ' + str(organization.profile.get('Name'))}.\n\n"
        f"{LINK}\n\n{'Kind regards' if english else 'Med venlig hilsen'}\n{organization.profile.get('Name')}"
    )
    return MailoutTemplateReadModel(
        Sender=organization.profile.get("Email"),
        Receiver=getattr(contact, "Email", None),
        Subject=f"{name} {data.Number}",
        Message=body,
        AddVoucherAsPdfAttachment=True,
    )


def mark_sent(table: Table, row: Record, mailout_type: str, **changes: Any) -> Record:
    return table.update(
        row, row.data.model_copy(update={"MailOutStatus": "Sent", "LatestMailOutType": mailout_type, **changes})
    )


def voucher_mailouts(call: Call, key: str, include_sms: bool = True) -> list[VoucherMailoutReadModel]:
    """A document's sends, oldest first; ``changesSince`` and ``includeSms`` narrow them."""
    table = call.organization.table(OUTBOX)
    changed = changed_keys(call, table)
    include_sms = call.query_bool("includeSms", include_sms)
    return [
        _render(call.organization, row)
        for row in table.records(parent=key, keys=changed)
        if include_sms or row.data.Channel != "Sms"
    ]


def outbox(world: World, organization_id: int | None = None) -> list[dict[str, Any]]:
    """Every recorded send, per organization in send order: what tests assert on."""
    sent = []
    for organization in world.organizations.values():
        if organization_id is not None and organization.id != organization_id:
            continue
        table = organization.tables.get(OUTBOX.name)
        for row in table.records() if table is not None else ():
            sent.append({"OrganizationId": organization.id, **row.data.model_dump(mode="json")})
    return sent


# -- voucher e-mails ---------------------------------------------------------------


def email_voucher(call: Call, table: Table, kind: Kind, mailout_type: str = "Mailout") -> EmailSentModel:
    """E-mail a booked invoice or credit note, or any trade offer."""
    row = require_kind(table, call.guid("guid"), kind, live=True)
    mail = call.body(ApiMailoutModel)
    check_timestamp(row, mail.Timestamp)
    if kind != "TradeOffer":
        require_booked(row, "sent")
    data: DocumentData = row.data
    template = voucher_template(call, data)
    sent = send_email(
        call, mail, parent=row.key, contact_guid=data.ContactGuid, mailout_type=mailout_type, template=template,
        missing_receiver_code=NO_RECEIVER_EMAIL, voucher_type=kind, attachment=f"{template.Subject}.pdf",
        bound_files=[bound.data.FileName for bound in attachments(call.organization, row.key)],
    )
    changes: dict[str, Any] = {}
    if kind == "TradeOffer":
        total = float(document_totals(call.organization, data).incl_vat)
        entry = HistoryData(
            Status=data.Status, UpdatedAt=call.organization.clock.now(),
            TradeOfferEmailSentAt=call.organization.clock.now(), TotalInclVat=total, Currency=data.Currency,
        )
        changes["History"] = [*data.History, entry]
    mark_sent(table, row, "TradeOffer" if kind == "TradeOffer" else mailout_type, **changes)
    return sent


INVOICE = "/v1/{organizationId}/invoices/{guid}"
CREDIT_NOTE = "/v1/{organizationId}/sales/creditnotes/{guid}"
TRADE_OFFER = "/v1/{organizationId}/tradeoffers/{guid}"


def _document(call: Call, kind: Kind) -> DocumentData:
    table = call.organization.table(TRADE_OFFERS if kind == "TradeOffer" else SALES)
    return require_kind(table, call.guid("guid"), kind).data


@routes.post(INVOICE + "/email", body=ApiMailoutModel, response=EmailSentModel, tag="Invoices")
def email_invoice(call: Call) -> EmailSentModel:
    """Booked invoices only (400/59); Receiver defaults to the contact's e-mail (none anywhere: 400/55)."""
    return email_voucher(call, call.organization.table(SALES), "Invoice")


@routes.get("/v2/{organizationId}/invoices/{guid}/email/template", response=MailoutTemplateReadModelV2,
            tag="Invoices")
def get_invoice_email_template(call: Call) -> MailoutTemplateReadModelV2:
    data = _document(call, "Invoice")
    template = voucher_template(call, data)
    phone = getattr(contact_of(call.organization, data.ContactGuid), "Phone", None)
    return MailoutTemplateReadModelV2(**template.model_dump(), SendAsSms=False, SmsReceiverPhoneNumber=phone)


@routes.get(INVOICE + "/email/pre-reminder/template", response=MailoutTemplateReadModel, tag="Invoices")
def get_pre_reminder_template(call: Call) -> MailoutTemplateReadModel:
    data = _document(call, "Invoice")
    return _pre_reminder_template(call, data)


def _pre_reminder_template(call: Call, data: DocumentData) -> MailoutTemplateReadModel:
    template = voucher_template(call, data)
    english = data.Language == "en-GB"
    subject = f"{'Payment reminder' if english else 'Påmindelse'}: {template.Subject}"
    return template.model_copy(update={"Subject": subject})


@routes.post(INVOICE + "/email/pre-reminder", body=ApiMailoutModel, tag="Invoices")
def send_pre_reminder(call: Call) -> None:
    """A friendly mail about an overdue invoice; no reminder voucher, no fee.
    Not booked: 400/59; not overdue: 400/74."""
    table = call.organization.table(SALES)
    row = require_kind(table, call.guid("guid"), "Invoice", live=True)
    mail = call.body(ApiMailoutModel)
    check_timestamp(row, mail.Timestamp)
    require_booked(row, "reminded")
    if payment_status(call.organization, row.data) != "Overdue":
        raise DineroError(
            400, NOT_OVERDUE, "The invoice is not overdue",
            {"PaymentDate": f"The invoice is due {row.data.due}; a pre-reminder can be sent once it is overdue."},
        )
    send_email(
        call, mail, parent=row.key, contact_guid=row.data.ContactGuid, mailout_type="PreReminder",
        template=_pre_reminder_template(call, row.data), missing_receiver_code=NO_RECEIVER_EMAIL,
        voucher_type="Invoice",
    )
    mark_sent(table, row, "PreReminder")


@routes.get(INVOICE + "/mailouts", response=list[VoucherMailoutReadModel], tag="Invoices",
            query=(QueryParam("changesSince"), QueryParam("includeSms", "boolean", True)))
def list_invoice_mailouts(call: Call) -> list[VoucherMailoutReadModel]:
    require_kind(call.organization.table(SALES), call.guid("guid"), "Invoice")
    return voucher_mailouts(call, call.guid("guid"))


@routes.post(CREDIT_NOTE + "/email", body=ApiMailoutModel, response=EmailSentModel, tag="Credit notes")
def email_credit_note(call: Call) -> EmailSentModel:
    """Booked credit notes only (400/59)."""
    return email_voucher(call, call.organization.table(SALES), "CreditNote")


@routes.get(CREDIT_NOTE + "/email/template", response=MailoutTemplateReadModel, tag="Credit notes")
def get_credit_note_email_template(call: Call) -> MailoutTemplateReadModel:
    return voucher_template(call, _document(call, "CreditNote"))


@routes.get(CREDIT_NOTE + "/mailouts", response=list[VoucherMailoutReadModel], tag="Credit notes",
            query=(QueryParam("changesSince"),))
def list_credit_note_mailouts(call: Call) -> list[VoucherMailoutReadModel]:
    require_kind(call.organization.table(SALES), call.guid("guid"), "CreditNote")
    return voucher_mailouts(call, call.guid("guid"))


@routes.post(TRADE_OFFER + "/email", body=ApiMailoutModel, response=EmailSentModel, tag="Trade offers")
def email_trade_offer(call: Call) -> EmailSentModel:
    """Any trade offer may be sent; it records the send in the offer's History."""
    return email_voucher(call, call.organization.table(TRADE_OFFERS), "TradeOffer", "TradeOffer")


@routes.get(TRADE_OFFER + "/email/template", response=MailoutTemplateReadModel, tag="Trade offers")
def get_trade_offer_email_template(call: Call) -> MailoutTemplateReadModel:
    return voucher_template(call, _document(call, "TradeOffer"))


@routes.get(TRADE_OFFER + "/mailouts", response=list[VoucherMailoutReadModel], tag="Trade offers",
            query=(QueryParam("changesSince"), QueryParam("includeSms", "boolean", True)))
def list_trade_offer_mailouts(call: Call) -> list[VoucherMailoutReadModel]:
    require_kind(call.organization.table(TRADE_OFFERS), call.guid("guid"), "TradeOffer")
    return voucher_mailouts(call, call.guid("guid"))
