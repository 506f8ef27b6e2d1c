"""Payments of credit purchases and refunds of standalone purchase credit notes.

Note the path: ``purchase-vouchers`` with a hyphen, where everything else of
purchases is under ``vouchers/purchase``; and a delete names the purchase's
Timestamp in the path, not in a body (Dinero's document).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from ..call import Call
from ..domain import purchase_payments
from ..domain.purchase_lines import exchange_rates
from ..domain.versions import timestamp_of
from ..formats import money_json
from ..models import Amount, Bool, DineroModel, Int
from ..routing import Routes
from .payments import CreatedPaymentResponse, DeletedPaymentResponse, PaymentReadModel, Text128, payment_values

routes = Routes(tag="PurchaseVoucherCreditPayments")

PATH = "/v1/{organizationId}/purchase-vouchers/{id}/payments"


class PurchaseVoucherCreditPaymentCreateModel(DineroModel):
    """The fields of a sales payment, in the order Dinero's document lists them here."""

    RemainderIsFee: Bool = False
    Timestamp: str
    DepositAccountNumber: Int
    AmountInForeignCurrency: Amount | None = None
    ExternalReference: Text128 | None = None
    PaymentDate: str | None = None
    Description: Annotated[str, StringConstraints(min_length=1)]
    Amount: Amount


@routes.get(PATH, response=list[PaymentReadModel])
def get_purchase_payments(call: Call) -> list[PaymentReadModel]:
    """A credit purchase's payments, or a standalone credit note's refunds."""
    target, payments = purchase_payments.payments(call.organization, call.guid("id"))
    rate = exchange_rates()[target.currency]
    return [
        PaymentReadModel(
            Guid=payment.Guid,  # type: ignore[arg-type]
            DepositAccountNumber=payment.DepositAccountNumber,
            Currency=target.currency,
            ExchangeRate=float(rate),
            # Dinero's values are unknown; the kind of voucher the payment is for is shown.
            PaymentClass="PurchaseCreditNote" if target.refund else "PurchaseVoucher",
            RelatedVoucherId=payment.VoucherGuid,  # type: ignore[arg-type]
            ExternalReference=payment.ExternalReference,
            PaymentDate=payment.PaymentDate.isoformat(),
            Description=payment.Description,
            Amount=money_json(payment.Amount),
        )
        for payment in payments
    ]


@routes.post(PATH, body=PurchaseVoucherCreditPaymentCreateModel, response=CreatedPaymentResponse)
def create_purchase_payment(call: Call) -> CreatedPaymentResponse:
    """With the purchase's current Timestamp; the answer's TimeStamp is its new one."""
    key = call.guid("id")
    body = call.body(PurchaseVoucherCreditPaymentCreateModel)
    row, payment = purchase_payments.add_payment(call.organization, key, body.Timestamp, payment_values(body))
    return CreatedPaymentResponse(
        Guid=payment.Guid, TimeStamp=timestamp_of(row), RelatedVoucherGuid=payment.VoucherGuid  # type: ignore[arg-type]
    )


@routes.delete(PATH + "/{paymentId}/{timestamp}", response=DeletedPaymentResponse)
def delete_purchase_payment(call: Call) -> DeletedPaymentResponse:
    """Its entries are reversed; the answer's TimeStamp is the purchase's new one."""
    row = purchase_payments.delete_payment(
        call.organization, call.guid("id"), call.guid("paymentId"), call.params["timestamp"]
    )
    return DeletedPaymentResponse(TimeStamp=timestamp_of(row))
