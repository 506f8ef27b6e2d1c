"""Trade offers, one behaviour at a time (reference §4.8, §5.6, §6.3).

Body binding, list paging and ``fields`` are covered elsewhere; here the
offer's own life: create, fetch, update, delete, list order and filters, PDF,
and ``generate-invoice``.
"""

from __future__ import annotations

from typing import Any

import httpx

from fake_dinero import Clock

from .support import ORG, dinero_error

OFFERS = f"/v1/{ORG}/tradeoffers"
UPDATE = f"/v1.2/{ORG}/tradeoffers"
CONTACTS = f"/v1/{ORG}/contacts"
INVOICES = f"/v1/{ORG}/invoices"
UNKNOWN_GUID = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"
SALES_ACCOUNT_WITH_VAT = 1000  # "Salg af varer/ydelser m/moms", VAT code U25 (25 %)


def create_contact(api: httpx.Client, name: str = "Hansen ApS", **fields: Any) -> str:
    body = {"Name": name, "CountryKey": "DK", "Email": "kontakt@hansen.dk", **fields}
    response = api.post(CONTACTS, json=body)
    assert response.status_code == 200, response.text
    return response.json()["ContactGuid"]


def line(**overrides: Any) -> dict[str, Any]:
    """2 x 500 at 10 % discount on a 25 % VAT account: 900 excl., 225 VAT, 1125 incl."""
    return {
        "Description": "Konsulenttime",
        "Quantity": 2,
        "Unit": "hours",
        "AccountNumber": SALES_ACCOUNT_WITH_VAT,
        "BaseAmountValue": 500,
        "Discount": 10,
        **overrides,
    }


def offer_body(contact: str | None, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"ProductLines": [line()], **overrides}
    if contact is not None:
        body["ContactGuid"] = contact
    return body


def create_offer(api: httpx.Client, contact: str, **overrides: Any) -> dict[str, Any]:
    response = api.post(OFFERS, json=offer_body(contact, **overrides))
    assert response.status_code == 200, response.text
    return response.json()


def get_offer(api: httpx.Client, guid: str) -> dict[str, Any]:
    response = api.get(f"{OFFERS}/{guid}")
    assert response.status_code == 200, response.text
    return response.json()


def generate_invoice(api: httpx.Client, guid: str, **body: Any) -> httpx.Response:
    return api.post(f"{OFFERS}/{guid}/generate-invoice", json=body or None)


def listed(api: httpx.Client, **params: str) -> list[dict[str, Any]]:
    response = api.get(OFFERS, params={"fields": "Guid,ContactName", **params})
    assert response.status_code == 200, response.text
    return response.json()["Collection"]


# -- create and read ----------------------------------------------------------


def test_create_answers_the_new_guid_and_a_timestamp(api: httpx.Client) -> None:
    created = create_offer(api, create_contact(api))
    assert set(created) == {"Guid", "TimeStamp"}
    assert len(created["TimeStamp"]) == 16


def test_a_new_offer_is_a_numbered_draft_for_its_contact(api: httpx.Client) -> None:
    contact = create_contact(api, "Hansen ApS")
    offer = get_offer(api, create_offer(api, contact)["Guid"])
    assert offer["Status"] == "Draft"
    assert offer["Number"] == 1
    assert offer["ContactGuid"] == contact
    assert offer["ContactName"] == "Hansen ApS"
    assert offer["HasGeneratedAnyVouchers"] is False
    assert offer["GeneratedVouchers"] == []


def test_offers_are_numbered_in_their_own_series(api: httpx.Client) -> None:
    contact = create_contact(api)
    api.post(INVOICES, json=offer_body(contact))
    numbers = [get_offer(api, create_offer(api, contact)["Guid"])["Number"] for _ in range(2)]
    assert numbers == [1, 2]


def test_the_offer_totals_add_up_its_lines(api: httpx.Client) -> None:
    offer = get_offer(api, create_offer(api, create_contact(api))["Guid"])
    assert (offer["TotalExclVat"], offer["TotalVat"], offer["TotalInclVat"]) == (900.0, 225.0, 1125.0)
    assert offer["ProductLines"][0]["TotalAmount"] == 900.0


def test_an_offer_is_described_as_tilbud_by_default(api: httpx.Client) -> None:
    offer = get_offer(api, create_offer(api, create_contact(api))["Guid"])
    assert offer["Description"] == "Tilbud"


def test_a_missing_contact_guid_is_a_validation_error(api: httpx.Client) -> None:
    body = dinero_error(api.post(OFFERS, json=offer_body(None)), 400, 42)
    assert "ContactGuid" in body["validationErrors"]


def test_an_unknown_offer_is_not_found(api: httpx.Client) -> None:
    dinero_error(api.get(f"{OFFERS}/{UNKNOWN_GUID}"), 404, 40)


# -- fetch --------------------------------------------------------------------


def test_fetch_shows_the_totals_create_would_make(api: httpx.Client) -> None:
    contact = create_contact(api)
    preview = api.post(f"{OFFERS}/fetch", json=offer_body(contact))
    assert preview.status_code == 200, preview.text
    offer = get_offer(api, create_offer(api, contact)["Guid"])
    for name in ("TotalExclVat", "TotalVat", "TotalInclVat", "ContactName", "ProductLines", "TotalLines"):
        assert preview.json()[name] == offer[name], name


def test_fetch_saves_nothing(api: httpx.Client) -> None:
    api.post(f"{OFFERS}/fetch", json=offer_body(create_contact(api)))
    assert listed(api) == []


# -- update -------------------------------------------------------------------


def test_update_replaces_the_lines_and_keeps_the_number(api: httpx.Client) -> None:
    contact = create_contact(api)
    created = create_offer(api, contact)
    body = offer_body(contact, Timestamp=created["TimeStamp"], ProductLines=[line(Quantity=1, Discount=0)])
    response = api.put(f"{UPDATE}/{created['Guid']}", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["TimeStamp"] != created["TimeStamp"]
    offer = get_offer(api, created["Guid"])
    assert (offer["TotalInclVat"], offer["Number"]) == (625.0, 1)


def test_update_with_a_stale_timestamp_is_refused(api: httpx.Client) -> None:
    contact = create_contact(api)
    created = create_offer(api, contact)
    stale = created["TimeStamp"]
    api.put(f"{UPDATE}/{created['Guid']}", json=offer_body(contact, Timestamp=stale))
    dinero_error(api.put(f"{UPDATE}/{created['Guid']}", json=offer_body(contact, Timestamp=stale)), 400, 58)


def test_update_without_a_timestamp_is_a_validation_error(api: httpx.Client) -> None:
    contact = create_contact(api)
    created = create_offer(api, contact)
    dinero_error(api.put(f"{UPDATE}/{created['Guid']}", json=offer_body(contact)), 400, 42)


def test_update_without_a_contact_guid_is_a_validation_error(api: httpx.Client) -> None:
    created = create_offer(api, create_contact(api))
    response = api.put(f"{UPDATE}/{created['Guid']}", json=offer_body(None, Timestamp=created["TimeStamp"]))
    assert "ContactGuid" in dinero_error(response, 400, 42)["validationErrors"]


def test_an_invoiced_offer_cannot_be_updated(api: httpx.Client) -> None:
    contact = create_contact(api)
    guid = create_offer(api, contact)["Guid"]
    generate_invoice(api, guid)
    current = get_offer(api, guid)["TimeStamp"]
    body = dinero_error(api.put(f"{UPDATE}/{guid}", json=offer_body(contact, Timestamp=current)), 400, 42)
    assert "Invoiced" in body["validationErrors"]["Status"]


# -- delete -------------------------------------------------------------------


def test_a_deleted_offer_keeps_deleted_at_and_is_listed_as_deleted(api: httpx.Client) -> None:
    guid = create_offer(api, create_contact(api))["Guid"]
    assert api.request("DELETE", f"{OFFERS}/{guid}").status_code == 200
    assert get_offer(api, guid)["DeletedAt"] is not None
    assert listed(api) == []
    assert [item["Guid"] for item in listed(api, deletedOnly="true")] == [guid]


def test_delete_with_a_stale_timestamp_is_refused(api: httpx.Client) -> None:
    contact = create_contact(api)
    created = create_offer(api, contact)
    api.put(f"{UPDATE}/{created['Guid']}", json=offer_body(contact, Timestamp=created["TimeStamp"]))
    response = api.request("DELETE", f"{OFFERS}/{created['Guid']}", json={"Timestamp": created["TimeStamp"]})
    dinero_error(response, 400, 58)


def test_an_invoiced_offer_cannot_be_deleted(api: httpx.Client) -> None:
    guid = create_offer(api, create_contact(api))["Guid"]
    generate_invoice(api, guid)
    dinero_error(api.request("DELETE", f"{OFFERS}/{guid}"), 400, 42)


# -- generate-invoice -----------------------------------------------------------


def test_generate_invoice_makes_a_draft_invoice_of_the_offer(api: httpx.Client) -> None:
    contact = create_contact(api)
    guid = create_offer(api, contact, Comment="Tak for henvendelsen", ExternalReference="PO-17")["Guid"]
    response = generate_invoice(api, guid)
    assert response.status_code == 200, response.text
    invoice = api.get(f"{INVOICES}/{response.json()['Guid']}")
    assert invoice.status_code == 200, invoice.text
    body = invoice.json()
    assert (body["Status"], body["ContactGuid"], body["TotalInclVat"]) == ("Draft", contact, 1125.0)
    assert (body["Comment"], body["ExternalReference"], body["Description"]) == (
        "Tak for henvendelsen", "PO-17", "Faktura",
    )


def test_the_generated_invoice_is_dated_today_on_the_contacts_terms(api: httpx.Client, clock: Clock) -> None:
    contact = create_contact(api, PaymentConditionType="Netto", PaymentConditionNumberOfDays=14)
    guid = create_offer(api, contact, Date="2026-02-01")["Guid"]
    invoice = api.get(f"{INVOICES}/{generate_invoice(api, guid).json()['Guid']}").json()
    assert invoice["Date"] == clock.now().date().isoformat()
    assert (invoice["PaymentConditionType"], invoice["PaymentConditionNumberOfDays"]) == ("Netto", 14)
    assert invoice["PaymentDate"] == "2026-03-16"


def test_a_description_of_its_own_carries_over_to_the_invoice(api: httpx.Client) -> None:
    guid = create_offer(api, create_contact(api), Description="Nyt tag", Language="en-GB")["Guid"]
    invoice = api.get(f"{INVOICES}/{generate_invoice(api, guid).json()['Guid']}").json()
    assert (invoice["Description"], invoice["Language"]) == ("Nyt tag", "en-GB")


def test_generate_invoice_for_a_deleted_contact_is_refused(api: httpx.Client) -> None:
    contact = create_contact(api)
    guid = create_offer(api, contact)["Guid"]
    assert api.delete(f"{CONTACTS}/{contact}").status_code == 200
    assert "ContactGuid" in dinero_error(generate_invoice(api, guid), 400, 42)["validationErrors"]


def test_generate_invoice_marks_the_offer_invoiced(api: httpx.Client) -> None:
    created = create_offer(api, create_contact(api))
    invoice_guid = generate_invoice(api, created["Guid"]).json()["Guid"]
    offer = get_offer(api, created["Guid"])
    assert offer["Status"] == "Invoiced"
    assert offer["HasGeneratedAnyVouchers"] is True
    assert offer["GeneratedVouchers"] == [invoice_guid]
    assert offer["TimeStamp"] != created["TimeStamp"]


def test_generate_invoice_adds_a_history_entry(api: httpx.Client) -> None:
    guid = create_offer(api, create_contact(api))["Guid"]
    generate_invoice(api, guid)
    [entry] = get_offer(api, guid)["History"]
    assert (entry["Status"], entry["TotalInclVat"], entry["Currency"]) == ("Invoiced", 1125.0, "DKK")
    assert entry["UpdatedAt"]


def test_generate_invoice_may_be_repeated(api: httpx.Client) -> None:
    guid = create_offer(api, create_contact(api))["Guid"]
    first = generate_invoice(api, guid).json()["Guid"]
    second = generate_invoice(api, guid).json()["Guid"]
    assert first != second
    assert get_offer(api, guid)["GeneratedVouchers"] == [first, second]


def test_generate_invoice_with_a_stale_timestamp_is_refused(api: httpx.Client) -> None:
    contact = create_contact(api)
    created = create_offer(api, contact)
    api.put(f"{UPDATE}/{created['Guid']}", json=offer_body(contact, Timestamp=created["TimeStamp"]))
    dinero_error(generate_invoice(api, created["Guid"], Timestamp=created["TimeStamp"]), 400, 58)


# -- list ---------------------------------------------------------------------


def test_the_list_shows_the_newest_number_first(api: httpx.Client) -> None:
    contact = create_contact(api)
    guids = [create_offer(api, contact)["Guid"] for _ in range(3)]
    assert [item["Guid"] for item in listed(api)] == guids[::-1]


def test_the_list_shows_guid_contact_name_date_and_description_by_default(api: httpx.Client) -> None:
    create_offer(api, create_contact(api))
    [item] = api.get(OFFERS).json()["Collection"]
    assert set(item) == {"guid", "contactName", "date", "description"}


def test_the_list_sorts_by_contact_name_ascending_on_request(api: httpx.Client) -> None:
    create_offer(api, create_contact(api, "Zeta A/S"))
    create_offer(api, create_contact(api, "Alfa ApS"))
    names = [item["ContactName"] for item in listed(api, sort="ContactName", sortOrder="ascending")]
    assert names == ["Alfa ApS", "Zeta A/S"]


def test_the_list_filters_on_contact_name(api: httpx.Client) -> None:
    create_offer(api, create_contact(api, "Zeta A/S"))
    wanted = create_offer(api, create_contact(api, "Alfa ApS"))["Guid"]
    assert [item["Guid"] for item in listed(api, queryFilter="ContactName eq 'Alfa ApS'")] == [wanted]


def test_the_list_filters_on_generated_vouchers(api: httpx.Client) -> None:
    contact = create_contact(api)
    create_offer(api, contact)
    invoiced = create_offer(api, contact)["Guid"]
    generate_invoice(api, invoiced)
    assert [item["Guid"] for item in listed(api, queryFilter="HasGeneratedAnyVouchers eq 'true'")] == [invoiced]


# -- PDF ----------------------------------------------------------------------


def test_a_draft_offer_has_a_pdf(api: httpx.Client) -> None:
    guid = create_offer(api, create_contact(api))["Guid"]
    response = api.get(f"{OFFERS}/{guid}", headers={"Accept": "application/octet-stream"})
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"%PDF")
