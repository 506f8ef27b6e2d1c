"""Purchase credit notes: drafts by hand or from a booked purchase, booking, and what they take off."""

from __future__ import annotations

import httpx

from .books_calls import entries
from .purchase_calls import (
    CREDIT_NOTES,
    GOODS,
    PURCHASES,
    book,
    book_credit_note,
    cash,
    cost,
    credit,
    credit_note,
    credit_note_created,
    get,
    supplier,
    voucher_amounts,
)
from .support import dinero_error

CREDITORS = 63000
PURCHASE_VAT = 64060


def _generate(api: httpx.Client, voucher: dict, **fields: object) -> httpx.Response:
    body = {"Timestamp": {"Timestamp": get(api, voucher["Guid"])["Timestamp"]}, **fields}
    return api.post(f"{PURCHASES}/{voucher['Guid']}/generate-creditnote", json=body)


def test_a_new_credit_note_is_a_draft_answered_with_its_guid_and_timestamp(api: httpx.Client) -> None:
    response = credit_note_created(api, cost(250), ContactGuid=supplier(api))
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"Guid", "TimeStamp"}
    note = credit_note(api, response.json()["Guid"])
    assert (note["Status"], note["CreditNoteNumber"], note["Currency"]) == ("Draft", None, "DKK")


def test_a_client_may_choose_the_credit_notes_guid(api: httpx.Client) -> None:
    guid = "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert credit_note_created(api, Guid=guid).json()["Guid"] == guid
    dinero_error(credit_note_created(api, Guid=guid), 400, 42)


def test_lines_are_required(api: httpx.Client) -> None:
    assert "Lines" in dinero_error(api.post(CREDIT_NOTES, json={}), 400, 42)["validationErrors"]


def test_a_credit_note_for_a_purchase_takes_its_supplier_file_and_currency(api: httpx.Client) -> None:
    contact = supplier(api)
    purchase = book(api, credit(api, contact=contact, CurrencyKey="EUR", FileGuid="receipt0000000000000000000000001"))
    guid = credit_note_created(api, cost(100), CreditNoteFor=purchase["Guid"]).json()["Guid"]
    note = credit_note(api, guid)
    assert (note["ContactGuid"], note["FileGuid"], note["Currency"], note["CreditNoteFor"]) == (
        contact, "receipt0000000000000000000000001", "EUR", purchase["Guid"],
    )


def test_a_credit_note_for_an_unknown_purchase_is_404(api: httpx.Client) -> None:
    dinero_error(credit_note_created(api, CreditNoteFor="8c1f3cde-5a9e-4d2a-9b1e-2f6a1d3c4b5e"), 404, 40)


def test_generate_creditnote_makes_a_draft_crediting_all_of_a_booked_purchase(api: httpx.Client) -> None:
    purchase = book(api, credit(api, cost(1250), cost(500)))
    response = _generate(api, purchase, VoucherDate="2026-03-05")
    assert response.status_code == 200, response.text
    note = credit_note(api, response.json()["Guid"])
    assert [line["AmountInclVatValue"] for line in note["Lines"]] == [1250.0, 500.0]
    assert (note["CreditNoteFor"], note["Date"], note["Status"]) == (purchase["Guid"], "2026-03-05T00:00:00", "Draft")


def test_generate_creditnote_from_a_draft_purchase_is_refused_with_59(api: httpx.Client) -> None:
    dinero_error(_generate(api, credit(api)), 400, 59)


def test_generate_creditnote_with_a_stale_timestamp_is_refused_with_58(api: httpx.Client) -> None:
    purchase = book(api, credit(api))
    body = {"Timestamp": {"Timestamp": "0000000000000001"}}
    dinero_error(api.post(f"{PURCHASES}/{purchase['Guid']}/generate-creditnote", json=body), 400, 58)


def test_booking_a_credit_note_books_the_purchase_the_other_way(api: httpx.Client) -> None:
    contact = supplier(api)
    guid = credit_note_created(api, cost(250), ContactGuid=contact, Date="2026-03-03").json()["Guid"]
    response = book_credit_note(api, guid)
    assert response.status_code == 200, response.text
    assert (response.json()["Status"], response.json()["CreditNoteNumber"]) == ("Booked", 1)
    assert voucher_amounts(entries(api, "2026-03-01", "2026-03-31"), guid) == {
        GOODS: -200.0, PURCHASE_VAT: -50.0, CREDITORS: 250.0,
    }


def test_a_credit_note_without_supplier_cannot_be_booked(api: httpx.Client) -> None:
    guid = credit_note_created(api).json()["Guid"]
    assert "ContactGuid" in dinero_error(book_credit_note(api, guid), 400, 42)["validationErrors"]


def test_a_credit_note_takes_its_total_off_what_the_purchase_owes(api: httpx.Client) -> None:
    purchase = book(api, credit(api, cost(1250)))
    guid = credit_note_created(api, cost(1250), CreditNoteFor=purchase["Guid"]).json()["Guid"]
    assert book_credit_note(api, guid).status_code == 200
    assert get(api, purchase["Guid"])["Status"] == "Paid"


def test_a_credit_note_for_more_than_the_purchase_owes_is_refused(api: httpx.Client) -> None:
    purchase = book(api, credit(api, cost(100)))
    guid = credit_note_created(api, cost(150), CreditNoteFor=purchase["Guid"]).json()["Guid"]
    assert "Lines" in dinero_error(book_credit_note(api, guid), 400, 42)["validationErrors"]


def test_a_credit_note_for_a_draft_purchase_cannot_be_booked(api: httpx.Client) -> None:
    draft = credit(api)
    guid = credit_note_created(api, CreditNoteFor=draft["Guid"]).json()["Guid"]
    dinero_error(book_credit_note(api, guid), 400, 59)


def test_purchase_credit_notes_share_the_purchases_number_series(api: httpx.Client) -> None:
    book(api, cash(api))
    guid = credit_note_created(api, ContactGuid=supplier(api)).json()["Guid"]
    assert book_credit_note(api, guid).json()["CreditNoteNumber"] == 2


def _update(api: httpx.Client, guid: str, timestamp: str, **fields: object) -> httpx.Response:
    return api.put(f"{CREDIT_NOTES}/{guid}", json={"Timestamp": timestamp, "Lines": [cost(80)], **fields})


def test_a_draft_is_replaced_by_an_update_answering_its_new_timestamp(api: httpx.Client) -> None:
    created = credit_note_created(api).json()
    response = _update(api, created["Guid"], created["TimeStamp"])
    assert response.status_code == 200, response.text
    assert response.json()["TimeStamp"] != created["TimeStamp"]
    assert credit_note(api, created["Guid"])["Lines"][0]["AmountInclVatValue"] == 80.0


def test_an_update_with_a_stale_timestamp_is_refused_with_58(api: httpx.Client) -> None:
    created = credit_note_created(api).json()
    dinero_error(_update(api, created["Guid"], "0000000000000001"), 400, 58)


def test_a_booked_credit_note_cannot_be_updated(api: httpx.Client) -> None:
    guid = credit_note_created(api, ContactGuid=supplier(api)).json()["Guid"]
    book_credit_note(api, guid)
    dinero_error(_update(api, guid, credit_note(api, guid)["Timestamp"]), 400, 42)


def test_deleting_a_booked_credit_note_reverses_it_and_the_purchase_owes_again(api: httpx.Client) -> None:
    purchase = book(api, credit(api, cost(1250)))
    guid = credit_note_created(api, cost(1250), CreditNoteFor=purchase["Guid"]).json()["Guid"]
    book_credit_note(api, guid)
    response = api.request("DELETE", f"{CREDIT_NOTES}/{guid}", json={"Timestamp": credit_note(api, guid)["Timestamp"]})
    assert response.status_code == 200, response.text
    assert credit_note(api, guid)["Status"] == "Deleted"
    assert set(voucher_amounts(entries(api, "2026-03-01", "2026-03-31"), guid).values()) == {0.0}
    assert get(api, purchase["Guid"])["Status"] == "Booked"


def test_an_unknown_credit_note_is_404_40(api: httpx.Client) -> None:
    dinero_error(api.get(f"{CREDIT_NOTES}/8c1f3cde-5a9e-4d2a-9b1e-2f6a1d3c4b5e"), 404, 40)
