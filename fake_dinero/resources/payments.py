"""Payments on booked invoices and credit notes (reference §5.7, §6.1 step 7).

A payment changes the document (so its TimeStamp) and moves its payment
status: Paid when nothing remains, OverPaid when more than the total came in.
``Amount`` is in DKK; a document in another currency also needs
``AmountInForeignCurrency``, and the status is judged in that currency.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import StringConstraints

from ..call import Call
from ..domain import sales
from ..domain.dates import parse_date
from ..domain.documents import (
    SALES,
    Kind,
    PaymentValues,
    amount_owed,
    outstanding,
    paid_amount,
    require_kind,
)
from ..domain.versions import timestamp_of
from ..formats import money_json
from ..models import Amount, Bool, DineroModel, Guid, Int
from ..routing import Routes
from ..store import Record
from .document_models import RequiredTimestampObject, TimestampObject

routes = Routes(tag="Payments")

Text128 = Annotated[str, StringConstraints(max_length=128)]


class PaymentCreateModel(DineroModel):
    Timestamp: str
    DepositAccountNumber: Int
    RemainderIsFee: Bool = False
    AmountInForeignCurrency: Amount | None = None
    ExternalReference: Text128 | None = None
    PaymentDate: str | None = None
    Description: Annotated[str, StringConstraints(min_length=1)]
    Amount: Amount


class CreatedPaymentResponse(DineroModel):
    Guid: Guid
    TimeStamp: str | None = None
    RelatedVoucherGuid: Guid | None = None


class DeletedPaymentResponse(DineroModel):
    TimeStamp: str | None = None


class PaymentReadModel(DineroModel):
    Guid: Guid
    DepositAccountNumber: int | None = None
    Currency: str | None = None
    ExchangeRate: float
    PaymentClass: str | None = None
    RelatedVoucherId: Guid | None = None
    ExternalReference: str | None = None
    PaymentDate: str | None = None
    Description: str
    Amount: float


class InvoicePaymentsModel(DineroModel):
    Payments: list[PaymentReadModel] | None = None
    RemainingAmount: float
    PaidAmount: float
    InvoiceTotalIncludingReminderExpenses: float
    RemainderAsFeeAvailable: bool


def payment_values(body: Any) -> PaymentValues:
    """The payment a create body (a sales or a purchase payment's) describes."""
    return PaymentValues(
        deposit_account=body.DepositAccountNumber,
        amount=Decimal(str(body.Amount)),
        description=body.Description,
        amount_in_foreign_currency=(
            Decimal(str(body.AmountInForeignCurrency)) if body.AmountInForeignCurrency is not None else None
        ),
        payment_date=parse_date(body.PaymentDate, "PaymentDate") if body.PaymentDate else None,
        external_reference=body.ExternalReference,
        remainder_is_fee=body.RemainderIsFee,
    )


def _add_payment(call: Call, kind: Kind) -> CreatedPaymentResponse:
    body = call.body(PaymentCreateModel)
    values = payment_values(body)
    row, payment = sales.add_payment(call.organization, kind, call.guid("guid"), body.Timestamp, values)
    return CreatedPaymentResponse(
        Guid=payment.Guid, TimeStamp=timestamp_of(row), RelatedVoucherGuid=payment.VoucherGuid
    )


def _delete_payment(call: Call, kind: Kind, supplied: str | None) -> DeletedPaymentResponse:
    row = sales.delete_payment(call.organization, kind, call.guid("guid"), call.guid("paymentGuid"), supplied)
    return DeletedPaymentResponse(TimeStamp=timestamp_of(row))


def _payments(call: Call, kind: Kind) -> InvoicePaymentsModel:
    row: Record = require_kind(call.organization.table(SALES), call.guid("guid"), kind)
    data = row.data
    owed = amount_owed(call.organization, data)
    paid = paid_amount(data)
    left = outstanding(call.organization, data)
    return InvoicePaymentsModel(
        Payments=[
            PaymentReadModel(
                Guid=payment.Guid,
                DepositAccountNumber=payment.DepositAccountNumber,
                Currency=data.Currency,
                ExchangeRate=data.ExchangeRate,
                PaymentClass="Payment",  # Dinero's values are unknown
                RelatedVoucherId=payment.VoucherGuid or row.key,
                ExternalReference=payment.ExternalReference,
                PaymentDate=payment.PaymentDate.isoformat(),
                Description=payment.Description,
                Amount=payment.Amount,
            )
            for payment in data.Payments
        ],
        RemainingAmount=money_json(left),
        PaidAmount=money_json(paid),
        InvoiceTotalIncludingReminderExpenses=money_json(owed),
        # Unknown when Dinero offers it; the fake offers it while something remains.
        RemainderAsFeeAvailable=data.booked and left > 0,
    )


INVOICE = "/v1/{organizationId}/invoices/{guid}/payments"
CREDIT_NOTE = "/v1/{organizationId}/sales/creditnotes/{guid}/payments"


@routes.post(INVOICE, body=PaymentCreateModel, response=CreatedPaymentResponse)
def add_invoice_payment(call: Call) -> CreatedPaymentResponse:
    """Booked invoices only (400/59); the invoice's current Timestamp is required (400/58)."""
    return _add_payment(call, "Invoice")


@routes.delete(INVOICE + "/{paymentGuid}", body=RequiredTimestampObject, response=DeletedPaymentResponse)
def delete_invoice_payment(call: Call) -> DeletedPaymentResponse:
    """Needs the invoice's current Timestamp; answers the invoice's new one."""
    return _delete_payment(call, "Invoice", call.body(RequiredTimestampObject).Timestamp)


@routes.get("/v2/{organizationId}/invoices/{guid}/payments", response=InvoicePaymentsModel)
def list_invoice_payments(call: Call) -> InvoicePaymentsModel:
    """RemainingAmount is negative when the invoice is overpaid."""
    return _payments(call, "Invoice")


@routes.post(CREDIT_NOTE, body=PaymentCreateModel, response=CreatedPaymentResponse)
def add_credit_note_payment(call: Call) -> CreatedPaymentResponse:
    """A refund of a booked credit note."""
    return _add_payment(call, "CreditNote")


@routes.get(CREDIT_NOTE, response=InvoicePaymentsModel)
def list_credit_note_payments(call: Call) -> InvoicePaymentsModel:
    return _payments(call, "CreditNote")


@routes.delete(
    CREDIT_NOTE + "/{paymentGuid}", body=TimestampObject, body_optional=True, response=DeletedPaymentResponse
)
def delete_credit_note_payment(call: Call) -> DeletedPaymentResponse:
    """Dinero's document makes the Timestamp optional here; when given it must be current."""
    return _delete_payment(call, "CreditNote", call.optional_timestamp())
