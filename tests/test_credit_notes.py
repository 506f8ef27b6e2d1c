"""Sales credit notes (reference §4.7, §6.2): standalone or for a booked invoice."""

from __future__ import annotations

import httpx

from fake_dinero import Clock

from .sales_calls import (
    CREDIT_NOTES,
    INVOICES,
    book,
    booked_invoice,
    create_invoice,
    customer,
    get,
    line,
    move_clock,
)
from .support import ORG, dinero_error


def create_credit_note(api: httpx.Client, **fields) -> dict:
    response = api.post(CREDIT_NOTES, json={"ProductLines": [line()], **fields})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_standalone_credit_note_is_a_draft_called_kreditnota(api: httpx.Client) -> None:
    note = get(api, f"{CREDIT_NOTES}/{create_credit_note(api, ContactGuid=customer(api))['Guid']}")
    assert (note["Status"], note["Description"], note["CreditNoteFor"], note["TotalInclVat"]) == (
        "Draft", "Kreditnota", None, 1250.0,
    )


def test_a_credit_note_may_only_credit_a_booked_invoice(api: httpx.Client) -> None:
    draft = create_invoice(api, customer(api))["Guid"]
    response = api.post(CREDIT_NOTES, json={"CreditNoteFor": draft, "ProductLines": [line()]})
    assert "CreditNoteFor" in dinero_error(response, 400, 42)["validationErrors"]


def test_generate_creditnote_drafts_a_full_credit_of_a_booked_invoice(api: httpx.Client) -> None:
    invoice = booked_invoice(api, None, line(400), line(100, quantity=2))
    generated = api.post(f"{INVOICES}/{invoice}/generate-creditnote")
    assert generated.status_code == 200, generated.text
    note = get(api, f"{CREDIT_NOTES}/{generated.json()['Guid']}")
    assert (note["CreditNoteFor"], note["Status"], note["TotalExclVat"], len(note["ProductLines"])) == (
        invoice, "Draft", 600.0, 2,
    )


def test_generate_creditnote_of_a_draft_is_refused_as_not_booked(api: httpx.Client) -> None:
    draft = create_invoice(api, customer(api))["Guid"]
    dinero_error(api.post(f"{INVOICES}/{draft}/generate-creditnote"), 400, 59)


def test_credit_notes_are_numbered_in_the_invoices_series(api: httpx.Client) -> None:
    booked_invoice(api)
    path = f"{CREDIT_NOTES}/{create_credit_note(api, ContactGuid=customer(api))['Guid']}"
    assert book(api, path)["Number"] == 2


def test_the_credit_note_list_has_no_payment_date_and_the_sales_list_tells_the_types_apart(
    api: httpx.Client,
) -> None:
    booked_invoice(api)
    note = create_credit_note(api, ContactGuid=customer(api))["Guid"]
    book(api, f"{CREDIT_NOTES}/{note}")
    notes = api.get(CREDIT_NOTES, params={"fields": "Guid,PaymentDate,Type"}).json()["Collection"]
    assert notes == [{"Guid": note, "PaymentDate": None, "Type": "CreditNote"}]
    sales = api.get(f"/v1/{ORG}/sales", params={"fields": "Type", "sort": "VoucherNumber", "sortOrder": "ascending"})
    assert sales.json()["Collection"] == [{"Type": "Invoice"}, {"Type": "CreditNote"}]


def test_a_credit_note_is_not_an_invoice(api: httpx.Client) -> None:
    note = create_credit_note(api)["Guid"]
    dinero_error(api.get(f"{INVOICES}/{note}"), 404, 40)


def test_a_document_of_the_wrong_kind_is_not_found_by_the_id_asked_for(api: httpx.Client) -> None:
    note = create_credit_note(api)["Guid"]
    body = dinero_error(api.get(f"{INVOICES}/{note}"), 404, 40)
    assert body["validationErrors"] == {"InvoiceGuid": f"No InvoiceGuid with id '{note}' was found."}


def test_a_booked_credit_note_has_a_pdf_and_a_draft_has_none(api: httpx.Client) -> None:
    path = f"{CREDIT_NOTES}/{create_credit_note(api, ContactGuid=customer(api))['Guid']}"
    dinero_error(api.get(f"{path}/pdf"), 400, 59)
    book(api, path)
    response = api.get(f"{path}/pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_a_booked_credit_note_cannot_be_updated(api: httpx.Client) -> None:
    guid = create_credit_note(api, ContactGuid=customer(api))["Guid"]
    booked = book(api, f"{CREDIT_NOTES}/{guid}")
    put = api.put(f"/v1.2/{ORG}/sales/creditnotes/{guid}", json={"Timestamp": booked["TimeStamp"],
                                                                 "ProductLines": [line()]})
    dinero_error(put, 400, 42)


def test_deleting_a_draft_credit_note_with_a_stale_timestamp_is_refused(api: httpx.Client) -> None:
    created = create_credit_note(api)
    api.put(f"/v1.2/{ORG}/sales/creditnotes/{created['Guid']}",
            json={"Timestamp": created["TimeStamp"], "ProductLines": [line(5)]})
    stale = api.request("DELETE", f"{CREDIT_NOTES}/{created['Guid']}", json={"Timestamp": created["TimeStamp"]})
    dinero_error(stale, 400, 58)


def test_an_invoice_credited_in_full_is_settled_and_never_turns_overdue(api: httpx.Client, clock: Clock) -> None:
    invoice = booked_invoice(api)
    created = api.post(f"{INVOICES}/{invoice}/generate-creditnote", json={})
    assert created.status_code == 200, created.text
    book(api, f"{CREDIT_NOTES}/{created.json()['Guid']}")
    move_clock(api, clock, days=60)
    read = get(api, f"{INVOICES}/{invoice}")
    assert read["PaymentStatus"] == "Paid"
    assert get(api, f"/v2/{ORG}/invoices/{invoice}/payments")["RemainingAmount"] == 0


def test_a_partial_credit_note_lowers_what_the_invoice_is_owed(api: httpx.Client) -> None:
    contact = customer(api)
    invoice = booked_invoice(api, contact)
    body = {"ContactGuid": contact, "CreditNoteFor": invoice, "ProductLines": [line(200)]}
    created = api.post(CREDIT_NOTES, json=body)
    assert created.status_code == 200, created.text
    book(api, f"{CREDIT_NOTES}/{created.json()['Guid']}")
    assert get(api, f"/v2/{ORG}/invoices/{invoice}/payments")["RemainingAmount"] == 1000.0
