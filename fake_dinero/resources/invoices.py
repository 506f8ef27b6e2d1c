"""Invoices (reference §4.5, §6.1): drafts, booking, reading as JSON or PDF.

Payments, mail-outs and reminders on an invoice have their own modules.
"""

from __future__ import annotations

from typing import Any

from ..call import Call
from ..domain import sales
from ..domain.documents import (
    SALES,
)
from ..domain.versions import timestamp_of
from ..listing import collection_of
from ..routing import Routes
from . import voucher_flow as flow
from .document_models import (
    BookModel,
    CreatedResponseModel,
    InvoiceCreateFetchModel,
    InvoiceCreateModel,
    InvoiceFetchReadModel,
    InvoiceReadModel,
    InvoiceUpdateModel,
    SalesVoucherReadListModel,
    TimestampObject,
    UpdatedResponseModel,
)
from .sales import sales_list_rules, sales_page

routes = Routes(tag="Invoices")

LIST_INVOICES = sales_list_rules("Guid,ContactName,Date,Description")


@routes.get("/v1/{organizationId}/invoices", response=collection_of(SalesVoucherReadListModel), query=LIST_INVOICES)
def list_invoices(call: Call) -> dict[str, Any]:
    """``Status`` in the list is the payment status; drafts show Number as Int64.MaxValue."""
    return sales_page(call, LIST_INVOICES, ("Invoice",))


@routes.post("/v1/{organizationId}/invoices", body=InvoiceCreateModel, response=CreatedResponseModel)
def create_invoice(call: Call) -> CreatedResponseModel:
    """A draft; ContactGuid may wait until booking."""
    return flow.create_draft(call, call.organization.table(SALES), "Invoice", InvoiceCreateModel)


@routes.post("/v1/{organizationId}/invoices/fetch", body=InvoiceCreateFetchModel, response=InvoiceFetchReadModel)
def fetch_invoice(call: Call) -> Any:
    """Totals, lines and payment date of an invoice body, without saving it."""
    return flow.fetch_preview(call, "Invoice", InvoiceCreateFetchModel, InvoiceFetchReadModel)


@routes.get("/v1/{organizationId}/invoices/{guid}", response=InvoiceReadModel, pdf=True)
def get_invoice(call: Call) -> Any:
    """JSON, or with ``Accept: application/octet-stream`` the PDF of a booked invoice."""
    return flow.read_json_or_pdf(call, call.organization.table(SALES), "Invoice", InvoiceReadModel)


@routes.put("/v1.2/{organizationId}/invoices/{guid}", body=InvoiceUpdateModel, response=UpdatedResponseModel)
def update_invoice(call: Call) -> UpdatedResponseModel:
    """Replaces a draft; the body's Timestamp must be the current one (else 400/58)."""
    return flow.update_draft(call, call.organization.table(SALES), "Invoice", InvoiceUpdateModel)


@routes.delete("/v1/{organizationId}/invoices/{guid}", body=TimestampObject, body_optional=True)
def delete_invoice(call: Call) -> None:
    """Drafts only; a booked invoice is credited with a credit note instead."""
    flow.delete_draft(call, call.organization.table(SALES), "Invoice")


@routes.post("/v1/{organizationId}/invoices/{guid}/book", body=BookModel, response=InvoiceReadModel)
def book_invoice(call: Call) -> Any:
    return flow.book(call, call.organization.table(SALES), "Invoice", InvoiceReadModel)


@routes.post(
    "/v1/{organizationId}/invoices/{guid}/generate-creditnote", body=TimestampObject, body_optional=True,
    response=CreatedResponseModel,
)
def generate_credit_note(call: Call) -> CreatedResponseModel:
    """A credit-note draft for the whole of a booked invoice, ``CreditNoteFor`` set."""
    row = sales.credit_invoice(call.organization, call.guid("guid"), call.optional_timestamp())
    return CreatedResponseModel(Guid=row.key, TimeStamp=timestamp_of(row))
