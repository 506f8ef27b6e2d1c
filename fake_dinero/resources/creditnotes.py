"""Sales credit notes (reference §4.7, §6.2): standalone or for a booked invoice.

They follow the invoice's life (draft, update, book, PDF) and share its
number series; ``generate-creditnote`` on an invoice makes one too.
"""

from __future__ import annotations

from typing import Any

from ..call import Call
from ..domain.documents import SALES, require_kind
from ..listing import collection_of
from ..routing import Routes
from . import voucher_flow as flow
from .document_models import (
    BookModel,
    CreatedResponseModel,
    InvoiceReadModel,
    SalesCreditNoteCreateFetchModel,
    SalesCreditNoteCreateModel,
    SalesCreditNoteFetchReadModel,
    SalesCreditNoteReadModel,
    SalesCreditNoteUpdateModel,
    SalesVoucherReadListModel,
    TimestampObject,
    UpdatedResponseModel,
)
from .sales import sales_list_rules, sales_page

routes = Routes(tag="Credit notes")

LIST_CREDIT_NOTES = sales_list_rules("Guid,ContactName,Date,Description,Type")
BASE = "/v1/{organizationId}/sales/creditnotes"


@routes.get(BASE, response=collection_of(SalesVoucherReadListModel), query=LIST_CREDIT_NOTES)
def list_credit_notes(call: Call) -> dict[str, Any]:
    """PaymentDate is null for credit notes."""
    return sales_page(call, LIST_CREDIT_NOTES, ("CreditNote",))


@routes.post(BASE, body=SalesCreditNoteCreateModel, response=CreatedResponseModel)
def create_credit_note(call: Call) -> CreatedResponseModel:
    """A draft; ``CreditNoteFor`` (optional) must name a booked invoice."""
    return flow.create_draft(call, call.organization.table(SALES), "CreditNote", SalesCreditNoteCreateModel)


@routes.post(f"{BASE}/fetch", body=SalesCreditNoteCreateFetchModel, response=SalesCreditNoteFetchReadModel)
def fetch_credit_note(call: Call) -> Any:
    return flow.fetch_preview(call, "CreditNote", SalesCreditNoteCreateFetchModel, SalesCreditNoteFetchReadModel)


@routes.get(BASE + "/{guid}", response=SalesCreditNoteReadModel)
def get_credit_note(call: Call) -> Any:
    """JSON, or with ``Accept: application/octet-stream`` the PDF of a booked credit note."""
    return flow.read_json_or_pdf(call, call.organization.table(SALES), "CreditNote", SalesCreditNoteReadModel)


@routes.get(BASE + "/{guid}/pdf")
def get_credit_note_pdf(call: Call) -> Any:
    """The PDF of a booked credit note (a draft has none: 400/59)."""
    row = require_kind(call.organization.table(SALES), call.guid("guid"), "CreditNote")
    return flow.pdf_answer(call, row)


@routes.put("/v1.2/{organizationId}/sales/creditnotes/{guid}", body=SalesCreditNoteUpdateModel,
            response=UpdatedResponseModel)
def update_credit_note(call: Call) -> UpdatedResponseModel:
    return flow.update_draft(call, call.organization.table(SALES), "CreditNote", SalesCreditNoteUpdateModel)


@routes.delete(BASE + "/{guid}", body=TimestampObject, body_optional=True)
def delete_credit_note(call: Call) -> None:
    flow.delete_draft(call, call.organization.table(SALES), "CreditNote")


@routes.post(BASE + "/{guid}/book", body=BookModel, response=InvoiceReadModel)
def book_credit_note(call: Call) -> Any:
    """Answers with InvoiceReadModel, as Dinero's document says (sic)."""
    return flow.book(call, call.organization.table(SALES), "CreditNote", InvoiceReadModel)
