"""E-invoices, e-credit notes (Danish OIOUBL via NemHandel) and SMS with a link to an invoice.

Like e-mails, nothing leaves the fake: each send is recorded in the outbox
and marks the document. Dinero's refusals: not booked 400/59, contact
without EAN 400/56, invalid EAN 400/57, no att. person 400/62.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, StringConstraints

from ..call import Call
from ..domain.documents import (
    SALES,
    Kind,
    require_booked,
    require_kind,
)
from ..domain.versions import check_timestamp
from ..formats import shown
from ..models import Bool, DineroModel
from ..routing import Routes
from .mailouts import check_ean, contact_of, mark_sent, record, require_att_person

routes = Routes(tag="Mail-outs")

PAYMENT_MEANS = {"domestic": "Domestic", "international": "International", "fik": "FIK"}


def _payment_mean(value: object) -> object:
    """Enums bind case-insensitively in .NET; an unknown name fails with a hint."""
    if isinstance(value, str):
        if value.lower() not in PAYMENT_MEANS:
            raise ValueError(f"'{shown(value)}' is not a payment mean. Use Domestic, International or FIK.")
        return PAYMENT_MEANS[value.lower()]
    return value
Required = Annotated[str, StringConstraints(min_length=1)]


class EInvoiceSendModel(DineroModel):
    OrderReference: str | None = None
    AttPerson: str | None = None
    Timestamp: str | None = None
    PaymentMeanEnum: Annotated[Literal["Domestic", "International", "FIK"], BeforeValidator(_payment_mean)] = (
        "Domestic"
    )
    """Required in Dinero's document; left out it binds the enum's first value, Domestic."""


class SmsSendModel(DineroModel):
    ReceiverPhoneNumber: Required
    ReceiverName: Required
    Timestamp: Required
    IsReminder: Bool
    Message: str | None = None


def _send_electronic(call: Call, kind: Kind) -> None:
    table = call.organization.table(SALES)
    row = require_kind(table, call.guid("guid"), kind, live=True)
    body = call.body(EInvoiceSendModel)
    check_timestamp(row, body.Timestamp)
    require_booked(row, "sent as an e-invoice")
    contact = contact_of(call.organization, row.data.ContactGuid)
    ean = check_ean(getattr(contact, "EanNumber", None))
    att_person = require_att_person(body.AttPerson or getattr(contact, "AttPerson", None))
    record(
        call, row.key, Channel="EInvoice", Type="Einvoice", Receiver=ean,
        Subject=f"{row.data.Description} {row.data.Number}",
        VoucherGuid=row.key, VoucherType=kind, ContactGuid=row.data.ContactGuid,
        Details={"EanNumber": ean, "AttPerson": att_person, "OrderReference": body.OrderReference,
                 "PaymentMean": body.PaymentMeanEnum},
    )
    mark_sent(table, row, "Einvoice")


@routes.post("/v3/{organizationId}/invoices/{guid}/e-invoice", body=EInvoiceSendModel, tag="Invoices")
def send_e_invoice(call: Call) -> None:
    """To the contact's EAN number, with the body's or the contact's att. person."""
    _send_electronic(call, "Invoice")


@routes.post(
    "/v3/{organizationId}/sales/creditnotes/{guid}/e-creditNote", body=EInvoiceSendModel, tag="Credit notes"
)
def send_e_credit_note(call: Call) -> None:
    _send_electronic(call, "CreditNote")


@routes.post("/v1/{organizationId}/sms/{voucherGuid}/send-sms", body=SmsSendModel, tag="Invoices")
def send_sms(call: Call) -> None:
    """An SMS with a link to a booked invoice. A Message without ``[link-to-pdf]``
    gets the link appended, as Dinero's document says."""
    table = call.organization.table(SALES)
    row = require_kind(table, call.guid("voucherGuid"), "Invoice", live=True)
    body = call.body(SmsSendModel)
    check_timestamp(row, body.Timestamp)
    require_booked(row, "sent by SMS")
    message = body.Message or f"{row.data.Description} {row.data.Number} fra {call.organization.profile.get('Name')}"
    if "[link-to-pdf]" not in message:
        message = f"{message} [link-to-pdf]"
    mailout_type = "Reminder" if body.IsReminder else "Mailout"
    record(
        call, row.key, Channel="Sms", Type=mailout_type, Receiver=body.ReceiverPhoneNumber, Message=message,
        VoucherGuid=row.key, VoucherType="Invoice", ContactGuid=row.data.ContactGuid,
        Details={"ReceiverName": body.ReceiverName},
    )
    mark_sent(table, row, mailout_type)
