"""The life of a sales document, written once for invoices, credit notes and trade offers.

create (a draft) -> update (draft only, current Timestamp) -> book (number,
contact required) -> read as JSON or PDF -> delete (drafts only). Each
resource module declares its routes and calls these with its own models.
"""

from __future__ import annotations

from typing import Any

from ..call import Call
from ..domain import sales
from ..domain.documents import (
    DocumentData,
    Kind,
    document_facts,
    render_as,
    require_booked,
    require_draft,
    require_kind,
)
from ..domain.numbering import SALES_SERIES, TRADE_OFFER_SERIES, next_number
from ..domain.versions import check_timestamp, timestamp_of
from ..formats import content_disposition
from ..http import ApiResponse
from ..pdf import PdfDocument, render_pdf
from ..store import Record, Table
from ..world import Organization
from .document_binding import bind_document
from .document_models import BookModel, CreatedResponseModel, UpdatedResponseModel

SERIES = {"Invoice": SALES_SERIES, "CreditNote": SALES_SERIES, "TradeOffer": TRADE_OFFER_SERIES}


def create_draft(call: Call, table: Table, kind: Kind, model: type) -> CreatedResponseModel:
    body = call.body(model)
    data = bind_document(call.organization, kind, body)
    row = sales.create_document(call.organization, data, str(body.Guid) if body.Guid else None)
    return CreatedResponseModel(Guid=row.key, TimeStamp=timestamp_of(row))


def update_draft(call: Call, table: Table, kind: Kind, model: type) -> UpdatedResponseModel:
    row = require_kind(table, call.guid("guid"), kind, live=True)
    body = call.body(model)
    check_timestamp(row, body.Timestamp)
    require_draft(row, "changed")
    row = table.update(row, bind_document(call.organization, kind, body, base=row.data))
    return UpdatedResponseModel(Guid=row.key, TimeStamp=timestamp_of(row))


def fetch_preview(call: Call, kind: Kind, model: type, answer: type) -> Any:
    """What create would make, with totals and payment date, saving nothing."""
    body = call.body(model)
    data = bind_document(call.organization, kind, body)
    facts = document_facts(call.organization, str(body.Guid or ""), data, None)
    facts["Number"] = 0
    return render_as(answer, facts)


def delete_draft(call: Call, table: Table, kind: Kind) -> None:
    """A soft delete that keeps DeletedAt; a booked document is refused (credit it instead)."""
    row = require_kind(table, call.guid("guid"), kind, live=True)
    check_timestamp(row, call.optional_timestamp())
    require_draft(row, "deleted")
    table.delete(row)


def book(call: Call, table: Table, kind: Kind, answer: type) -> Any:
    """Assign the next number of the series (or the ``Number`` asked for, if free) and post the entries."""
    body = call.body(BookModel)
    row = sales.book_document(call.organization, kind, call.guid("guid"), body.Timestamp, body.Number)
    return read(call, table, row, answer)


def read(call: Call, table: Table, row: Record, answer: type) -> Any:
    """The read model; a draft shows the number booking would give it now
    (a JAVA fixture shows a draft with a real-looking number)."""
    facts = document_facts(call.organization, row.key, row.data, row)
    if row.data.Number is None:
        facts["Number"] = next_number(call.organization, SERIES[row.data.Kind])
    return render_as(answer, facts)


def read_json_or_pdf(call: Call, table: Table, kind: Kind, answer: type) -> Any:
    """``Accept: application/octet-stream`` asks for the PDF, which only a booked
    document (or any trade offer) has."""
    row = require_kind(table, call.guid("guid"), kind)
    accept = (call.request.header("accept") or "").lower()
    if "application/octet-stream" in accept or "application/pdf" in accept:
        media = "application/pdf" if "application/pdf" in accept else "application/octet-stream"
        return pdf_answer(call, row, media)
    return read(call, table, row, answer)


def pdf_answer(call: Call, row: Record, media: str = "application/pdf") -> ApiResponse:
    if row.data.Kind != "TradeOffer":
        require_booked(row, "printed")
    data: DocumentData = row.data
    name = f"{data.Description or data.Kind} {data.Number}"
    body = render_pdf(document_pdf(call, row))
    headers = {"content-type": media, "content-disposition": content_disposition(f"{name}.pdf")}
    return ApiResponse(200, body, headers)


def document_pdf(call: Call, row: Record) -> PdfDocument:
    """A document's page: who sends it to whom, its lines and its totals."""
    organization = call.organization
    data: DocumentData = row.data
    facts = document_facts(organization, row.key, data, row)
    english = data.Language == "en-GB"
    issuer = issuer_lines(organization)
    recipient = tuple(part for part in (data.ContactName, *(data.Address or "").splitlines()) if part)
    facts_shown = [("Date" if english else "Dato", facts["Date"])]
    if facts.get("PaymentDate") and data.Kind == "Invoice":
        facts_shown.append(("Payment date" if english else "Betalingsdato", facts["PaymentDate"]))
    facts_shown.append(("Currency" if english else "Valuta", data.Currency))
    columns = (
        ("Description", "Quantity", "Unit", "Price", "Amount") if english
        else ("Beskrivelse", "Antal", "Enhed", "Pris", "Beløb")
    )
    rows = tuple(
        (line["Description"] or "", "", "", "", "") if line["LineType"] == "Text"
        else (
            line["Description"] or "", f"{line['Quantity']:g}", line["Unit"] or "",
            _amount(line["BaseAmountValueInclVat" if data.ShowLinesInclVat else "BaseAmountValue"]),
            _amount(line["TotalAmountInclVat" if data.ShowLinesInclVat else "TotalAmount"]),
        )
        for line in facts["ProductLines"]
    )
    totals = tuple((entry["Label"], _amount(entry["TotalAmount"])) for entry in facts["TotalLines"])
    return PdfDocument(
        title=f"{data.Description} {data.Number}",
        issuer=issuer,
        recipient=recipient,
        facts=tuple(facts_shown),
        columns=columns,
        rows=rows,
        totals=totals,
        note=data.Comment,
        created=row.updated_at,
    )


def issuer_lines(organization: Organization) -> tuple[str, ...]:
    """The sender block of every PDF: name, street, zip and city, CVR."""
    profile = organization.profile
    return tuple(
        part for part in (
            profile.get("Name"), profile.get("Street"),
            " ".join(p for p in (profile.get("ZipCode"), profile.get("City")) if p),
            f"CVR {profile['VatNumber']}" if profile.get("VatNumber") else None,
        ) if part
    )


def _amount(value: float) -> str:
    return f"{value:,.2f}"
