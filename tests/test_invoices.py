"""Invoices: drafts, booking, the rules of change, PDFs and the invoice list (reference §4.5, §6.1)."""

from __future__ import annotations

import io

import httpx
import pypdf

from .sales_calls import INVOICES, book, booked_invoice, create_invoice, customer, get, line, move_clock
from .support import ORG, dinero_error


def draft_path(api: httpx.Client, contact: str | None = None, **fields) -> str:
    return f"{INVOICES}/{create_invoice(api, contact, **fields)['Guid']}"


# -- drafts ---------------------------------------------------------------------


def test_a_new_invoice_is_a_draft_in_the_organizations_defaults(api: httpx.Client) -> None:
    invoice = get(api, draft_path(api, customer(api)))
    assert (invoice["Status"], invoice["PaymentStatus"]) == ("Draft", "Draft")
    assert (invoice["Description"], invoice["Language"], invoice["Currency"]) == ("Faktura", "da-DK", "DKK")
    assert (invoice["Date"], invoice["PaymentConditionType"], invoice["PaymentConditionNumberOfDays"]) == (
        "2026-03-02", "Netto", 8,
    )


def test_an_english_invoice_is_called_invoice(api: httpx.Client) -> None:
    assert get(api, draft_path(api, customer(api), Language="en-GB"))["Description"] == "Invoice"


def test_a_draft_takes_the_contacts_name_address_and_payment_terms(api: httpx.Client) -> None:
    contact = customer(
        api, Name="Jensen VVS", Street="Havnegade 3", ZipCode="5000", City="Odense C",
        PaymentConditionType="CurrentMonthOut", PaymentConditionNumberOfDays=15,
    )
    invoice = get(api, draft_path(api, contact))
    assert (invoice["ContactName"], invoice["Address"]) == ("Jensen VVS", "Havnegade 3\n5000 Odense C")
    # Løbende måned + 15: the end of March, then 15 days.
    assert (invoice["PaymentConditionType"], invoice["PaymentDate"]) == ("CurrentMonthOut", "2026-04-15")


def test_netto_cash_is_due_on_the_invoice_date_without_days(api: httpx.Client) -> None:
    invoice = get(api, draft_path(api, customer(api), PaymentConditionType="NettoCash", Date="2026-02-20"))
    assert (invoice["PaymentDate"], invoice["PaymentConditionNumberOfDays"]) == ("2026-02-20", 0)


def test_a_draft_may_wait_for_its_contact(api: httpx.Client) -> None:
    invoice = get(api, draft_path(api))
    assert (invoice["ContactGuid"], invoice["ContactName"]) == (None, None)


def test_an_invoice_without_lines_is_refused_with_code_45(api: httpx.Client) -> None:
    body = dinero_error(api.post(INVOICES, json={"ProductLines": []}), 400, 45)
    assert body["message"] == "Invoices must have at least one invoice line"


def test_lines_that_do_not_add_up_are_named_in_the_validation_errors(api: httpx.Client) -> None:
    bad = [line(Unit="bananas"), line(account=4242), line(Discount=120), {"Quantity": 1, "Unit": "parts"}]
    errors = dinero_error(api.post(INVOICES, json={"ProductLines": bad}), 400, 42)["validationErrors"]
    assert set(errors) == {
        "ProductLines[0].Unit", "ProductLines[1].AccountNumber", "ProductLines[2].Discount",
        "ProductLines[3].Description", "ProductLines[3].AccountNumber",
    }


def test_an_unknown_contact_currency_or_language_is_a_validation_error(api: httpx.Client) -> None:
    body = {"ContactGuid": "0b0f4d36-0000-4000-8000-000000000000", "Currency": "XYZ", "Language": "fr-FR",
            "ProductLines": [line()]}
    errors = dinero_error(api.post(INVOICES, json=body), 400, 42)["validationErrors"]
    assert set(errors) == {"ContactGuid", "Currency", "Language"}


def test_a_client_may_choose_the_guid_but_not_one_in_use(api: httpx.Client) -> None:
    chosen = "5c0a3c1e-2b7f-4c55-9d1a-8a3f6e2b9c10"
    assert create_invoice(api, None, Guid=chosen)["Guid"] == chosen
    dinero_error(api.post(INVOICES, json={"Guid": chosen, "ProductLines": [line()]}), 400, 42)


def test_an_update_replaces_the_draft_and_needs_the_current_timestamp(api: httpx.Client) -> None:
    created = create_invoice(api, customer(api))
    put = f"/v1.2/{ORG}/invoices/{created['Guid']}"
    replaced = api.put(put, json={"Timestamp": created["TimeStamp"], "ProductLines": [line(10)]})
    assert replaced.status_code == 200, replaced.text
    assert get(api, f"{INVOICES}/{created['Guid']}")["TotalExclVat"] == 10.0
    dinero_error(api.put(put, json={"Timestamp": created["TimeStamp"], "ProductLines": [line(20)]}), 400, 58)


def test_an_update_without_timestamp_is_a_validation_error(api: httpx.Client) -> None:
    guid = create_invoice(api)["Guid"]
    errors = dinero_error(api.put(f"/v1.2/{ORG}/invoices/{guid}", json={"ProductLines": [line()]}), 400, 42)
    assert "Timestamp" in errors["validationErrors"]


def test_a_deleted_draft_keeps_deleted_at_and_shows_in_deleted_only(api: httpx.Client) -> None:
    path = draft_path(api)
    assert api.request("DELETE", path).status_code == 200
    assert get(api, path)["DeletedAt"] == "2026-03-02T09:30:00"
    assert api.get(INVOICES).json()["Collection"] == []
    assert len(api.get(INVOICES, params={"deletedOnly": "true"}).json()["Collection"]) == 1
    dinero_error(api.put(f"/v1.2/{ORG}/invoices/{path.rsplit('/', 1)[1]}",
                         json={"Timestamp": get(api, path)["TimeStamp"], "ProductLines": [line()]}), 400, 65)


def test_an_unknown_invoice_is_not_found(api: httpx.Client) -> None:
    dinero_error(api.get(f"{INVOICES}/6f1c2d3e-0000-4000-8000-000000000001"), 404, 40)


# -- booking ----------------------------------------------------------------------


def test_booking_numbers_invoices_in_sequence(api: httpx.Client) -> None:
    contact = customer(api)
    numbers = [get(api, f"{INVOICES}/{booked_invoice(api, contact)}")["Number"] for _ in range(3)]
    assert numbers == [1, 2, 3]


def test_booking_may_choose_a_free_number_but_not_a_taken_one(api: httpx.Client) -> None:
    contact = customer(api)
    assert book(api, draft_path(api, contact), Number=100)["Number"] == 100
    path = draft_path(api, contact)
    taken = api.post(f"{path}/book", json={"Timestamp": get(api, path)["TimeStamp"], "Number": 100})
    assert "Number" in dinero_error(taken, 400, 42)["validationErrors"]


def test_booking_needs_a_contact(api: httpx.Client) -> None:
    path = draft_path(api)
    response = api.post(f"{path}/book", json={"Timestamp": get(api, path)["TimeStamp"]})
    assert "ContactGuid" in dinero_error(response, 400, 42)["validationErrors"]


def test_booking_with_a_stale_timestamp_is_refused_with_code_58(api: httpx.Client) -> None:
    created = create_invoice(api, customer(api))
    api.put(f"/v1.2/{ORG}/invoices/{created['Guid']}",
            json={"Timestamp": created["TimeStamp"], "ContactGuid": customer(api), "ProductLines": [line()]})
    response = api.post(f"{INVOICES}/{created['Guid']}/book", json={"Timestamp": created["TimeStamp"]})
    dinero_error(response, 400, 58)


def test_a_draft_shows_the_number_booking_would_give_it_and_lists_show_int64_max(api: httpx.Client) -> None:
    contact = customer(api)
    booked_invoice(api, contact)
    path = draft_path(api, contact)
    assert get(api, path)["Number"] == 2
    numbers = [row["Number"] for row in api.get(INVOICES, params={"fields": "Number"}).json()["Collection"]]
    assert 2**63 - 1 in numbers


def test_a_booked_invoice_cannot_be_changed_or_deleted(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    stamp = get(api, f"{INVOICES}/{guid}")["TimeStamp"]
    put = api.put(f"/v1.2/{ORG}/invoices/{guid}", json={"Timestamp": stamp, "ProductLines": [line()]})
    assert "credit note" in dinero_error(put, 400, 42)["validationErrors"]["Status"]
    dinero_error(api.request("DELETE", f"{INVOICES}/{guid}"), 400, 42)


def test_booking_a_booked_invoice_again_is_refused(api: httpx.Client) -> None:
    path = f"{INVOICES}/{booked_invoice(api)}"
    dinero_error(api.post(f"{path}/book", json={"Timestamp": get(api, path)["TimeStamp"]}), 400, 42)


def test_a_booked_invoice_turns_overdue_the_day_after_its_payment_date(api: httpx.Client, clock) -> None:
    path = f"{INVOICES}/{booked_invoice(api)}"
    move_clock(api, clock, days=8)  # 2026-03-10, the payment date
    assert get(api, path)["PaymentStatus"] == "Booked"
    move_clock(api, clock, days=1)
    assert get(api, path)["PaymentStatus"] == "Overdue"
    move_clock(api, clock, days=-1)
    assert api.get(INVOICES, params={"fields": "Status"}).json()["Collection"] == [{"Status": "Booked"}]


# -- PDF --------------------------------------------------------------------------


def test_a_booked_invoice_is_a_pdf_with_its_number_contact_and_total(api: httpx.Client) -> None:
    guid = booked_invoice(api, customer(api, Name="Bager Olsen"))
    response = api.get(f"{INVOICES}/{guid}", headers={"Accept": "application/octet-stream"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "Faktura 1" in text and "Bager Olsen" in text and "1,250.00" in text


def test_a_draft_has_no_pdf(api: httpx.Client) -> None:
    dinero_error(api.get(draft_path(api), headers={"Accept": "application/octet-stream"}), 400, 59)


# -- the list -----------------------------------------------------------------------


def test_the_list_filters_on_payment_status(api: httpx.Client) -> None:
    booked = booked_invoice(api)
    draft = create_invoice(api)["Guid"]
    only = api.get(INVOICES, params={"statusFilter": "booked,paid", "fields": "Guid"}).json()["Collection"]
    assert only == [{"Guid": booked}]
    drafts = api.get(INVOICES, params={"statusFilter": "Draft", "fields": "Guid"}).json()["Collection"]
    assert drafts == [{"Guid": draft}]
    dinero_error(api.get(INVOICES, params={"statusFilter": "Lost"}), 400, 42)


def test_start_and_end_date_go_together_and_leave_drafts_alone(api: httpx.Client) -> None:
    contact = customer(api)
    march = booked_invoice(api, contact, Date="2026-03-01")
    booked_invoice(api, contact, Date="2026-01-15")
    draft = create_invoice(api, contact, Date="2025-12-24")["Guid"]
    period = {"startDate": "2026-02-01", "endDate": "2026-03-31", "fields": "Guid"}
    assert {row["Guid"] for row in api.get(INVOICES, params=period).json()["Collection"]} == {march, draft}
    dinero_error(api.get(INVOICES, params={"startDate": "2026-02-01"}), 400, 42)


def test_the_list_sorts_by_voucher_number_descending_unless_told_otherwise(api: httpx.Client) -> None:
    first, second = customer(api, Name="Anker"), customer(api, Name="Birk")
    booked_invoice(api, second)
    booked_invoice(api, first)
    default = api.get(INVOICES, params={"fields": "Number"}).json()["Collection"]
    assert default == [{"Number": 2}, {"Number": 1}]
    by_contact = api.get(INVOICES, params={"fields": "ContactName", "sort": "Contact", "sortOrder": "ascending"})
    assert by_contact.json()["Collection"] == [{"ContactName": "Anker"}, {"ContactName": "Birk"}]
    dinero_error(api.get(INVOICES, params={"sort": "Amount"}), 400, 42)


def test_the_list_filters_on_external_reference_and_searches_free_text(api: httpx.Client) -> None:
    contact = customer(api, Name="Kastrup Is")
    wanted = create_invoice(api, contact, ExternalReference="ORDER-7")["Guid"]
    create_invoice(api, customer(api, Name="Other"), ExternalReference="ORDER-8")
    filtered = api.get(INVOICES, params={"queryFilter": "ExternalReference eq 'ORDER-7'", "fields": "Guid"})
    assert filtered.json()["Collection"] == [{"Guid": wanted}]
    searched = api.get(INVOICES, params={"freeTextSearch": "kastrup", "fields": "Guid"})
    assert searched.json()["Collection"] == [{"Guid": wanted}]
    dinero_error(api.get(INVOICES, params={"queryFilter": "Number eq '1'"}), 400, 46)


def test_changes_since_finds_an_invoice_booked_after_the_moment(api: httpx.Client, clock) -> None:
    guid = create_invoice(api, customer(api))["Guid"]
    clock.advance(60)
    book(api, f"{INVOICES}/{guid}")
    changed = api.get(INVOICES, params={"changesSince": "2026-03-02T09:31:00Z", "fields": "Guid"}).json()
    assert changed["Collection"] == [{"Guid": guid}]


def test_a_contact_becomes_a_debtor_when_an_invoice_is_booked_on_it(api: httpx.Client) -> None:
    contact = customer(api)
    assert api.get(f"/v1/{ORG}/contacts/{contact}").json()["IsDebitor"] is False
    created = create_invoice(api, contact)
    book(api, f"{INVOICES}/{created['Guid']}")
    read = api.get(f"/v1/{ORG}/contacts/{contact}").json()
    assert (read["IsDebitor"], read["IsCreditor"]) == (True, False)


def test_booking_an_invoice_dated_in_no_accounting_year_is_refused_and_changes_nothing(api: httpx.Client) -> None:
    created = create_invoice(api, customer(api), Date="2023-05-01")
    path = f"{INVOICES}/{created['Guid']}"
    response = api.post(f"{path}/book", json={"Timestamp": created["TimeStamp"]})
    dinero_error(response, 400, 47)
    assert get(api, path)["Status"] == "Draft"
    later = create_invoice(api, customer(api))
    assert book(api, f"{INVOICES}/{later['Guid']}")["Number"] == 1


def test_booking_an_invoice_in_the_year_after_the_last_opens_that_year(api: httpx.Client) -> None:
    created = create_invoice(api, customer(api), Date="2027-01-04")
    book(api, f"{INVOICES}/{created['Guid']}")
    years = api.get(f"/v1/{ORG}/accountingyears").json()
    assert [year["Name"] for year in years] == ["2025", "2026", "2027"]
