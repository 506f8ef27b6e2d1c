"""A contact's state of account: entries, balance, filters, PDF and e-mail."""

from __future__ import annotations

import io

import httpx
import pypdf

from fake_dinero import FakeDinero
from fake_dinero.domain.chart import DEBTORS
from fake_dinero.domain.ledger import entries

from .support import ORG, dinero_error

LINE = {"Description": "X", "Quantity": 1, "Unit": "parts", "AccountNumber": 1000, "BaseAmountValue": 1000}


def contact(api: httpx.Client, name: str = "Kunde ApS", email: str | None = "kunde@example.dk") -> str:
    body = {"Name": name, "CountryKey": "DK", "Email": email}
    response = api.post(f"/v1/{ORG}/contacts", json=body)
    assert response.status_code == 200, response.text
    return response.json()["ContactGuid"]


def document(api: httpx.Client, guid: str, path: str = "invoices", book: bool = True, **fields: object) -> str:
    """A document of 1000 excl. VAT (1250 incl.), booked unless ``book`` is false."""
    created = api.post(f"/v1/{ORG}/{path}", json={"ContactGuid": guid, "ProductLines": [LINE], **fields})
    assert created.status_code == 200, created.text
    key = created.json()["Guid"]
    if book:
        booked = api.post(f"/v1/{ORG}/{path}/{key}/book", json={"Timestamp": created.json()["TimeStamp"]})
        assert booked.status_code == 200, booked.text
    return key


def pay(api: httpx.Client, invoice: str, amount: float = 1250) -> None:
    stamp = api.get(f"/v1/{ORG}/invoices/{invoice}").json()["TimeStamp"]
    body = {"Timestamp": stamp, "DepositAccountNumber": 55000, "Amount": amount, "Description": "Bank",
            "RemainderIsFee": False}
    response = api.post(f"/v1/{ORG}/invoices/{invoice}/payments", json=body)
    assert response.status_code == 200, response.text


def state(api: httpx.Client, guid: str, **params: str) -> dict:
    response = api.get(f"/v1/{ORG}/state-of-account/{guid}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_contact_without_booked_documents_has_an_empty_state_of_account(api: httpx.Client) -> None:
    guid = contact(api)
    assert state(api, guid) == {"ContactGuid": guid, "Income": 0.0, "Expenses": 0.0, "Entries": []}


def test_a_booked_invoice_is_an_entry_with_its_total_and_the_balance(api: httpx.Client) -> None:
    guid = contact(api)
    invoice = document(api, guid)
    result = state(api, guid)
    assert result["Income"] == 1250.0
    assert result["Entries"] == [
        {
            "RelatedVoucherGuid": invoice, "RelatedVoucherNumber": "1", "Date": "2026-03-02T00:00:00",
            "DecayDate": "2026-03-10T00:00:00", "Description": "Faktura", "Type": "Invoice", "Amount": 1250.0,
            "Balance": 1250.0, "Status": "Open", "RelatedVoucherCategory": "Sales", "RelatedVoucherClass": "Invoice",
            "Currency": "DKK",
        }
    ]


def test_a_draft_invoice_is_not_shown(api: httpx.Client) -> None:
    guid = contact(api)
    document(api, guid, book=False)
    assert state(api, guid)["Entries"] == []


def test_a_payment_lowers_the_balance(api: httpx.Client) -> None:
    guid = contact(api)
    invoice = document(api, guid)
    pay(api, invoice, 1000)
    entries = state(api, guid)["Entries"]
    assert [(e["Type"], e["Amount"], e["Balance"]) for e in entries] == [
        ("Invoice", 1250.0, 1250.0), ("Payment", -1000.0, 250.0)
    ]
    assert entries[1]["RelatedVoucherGuid"] == invoice


def test_a_credit_note_shows_as_a_negative_amount(api: httpx.Client) -> None:
    guid = contact(api)
    document(api, guid)
    document(api, guid, path="sales/creditnotes")
    result = state(api, guid)
    assert [(e["Type"], e["Amount"], e["Balance"]) for e in result["Entries"]] == [
        ("Invoice", 1250.0, 1250.0), ("CreditNote", -1250.0, 0.0)
    ]
    assert result["Income"] == 0.0


def test_hide_closed_hides_a_paid_invoice_and_its_payment(api: httpx.Client) -> None:
    guid = contact(api)
    paid = document(api, guid)
    pay(api, paid)
    open_ = document(api, guid)
    assert [e["Status"] for e in state(api, guid)["Entries"]] == ["Closed", "Open", "Closed"]
    entries = state(api, guid, hideClosed="true")["Entries"]
    assert [(e["RelatedVoucherGuid"], e["Balance"]) for e in entries] == [(open_, 1250.0)]


def test_from_and_to_narrow_the_entries_to_the_period(api: httpx.Client) -> None:
    guid = contact(api)
    document(api, guid, Date="2026-01-10")
    february = document(api, guid, Date="2026-02-10")
    document(api, guid, Date="2026-03-01")
    result = state(api, guid, **{"from": "2026-02-01T00:00:00", "to": "2026-02-28T00:00:00"})
    assert [e["RelatedVoucherGuid"] for e in result["Entries"]] == [february]
    assert result["Income"] == 1250.0


def test_the_balance_counts_entries_before_the_period(api: httpx.Client) -> None:
    guid = contact(api)
    document(api, guid, Date="2026-01-10")
    document(api, guid, Date="2026-02-10")
    entries = state(api, guid, **{"from": "2026-02-01"})["Entries"]
    assert [(e["Amount"], e["Balance"]) for e in entries] == [(1250.0, 2500.0)]


def test_a_from_that_is_not_a_date_is_refused(api: httpx.Client) -> None:
    guid = contact(api)
    response = api.get(f"/v1/{ORG}/state-of-account/{guid}", params={"from": "last week"})
    assert "from" in dinero_error(response, 400, 42)["validationErrors"]


def test_an_unknown_contact_is_not_found(api: httpx.Client) -> None:
    response = api.get(f"/v1/{ORG}/state-of-account/00000000-0000-0000-0000-000000000001")
    dinero_error(response, 404, 40)


def test_the_pdf_shows_the_contacts_name(api: httpx.Client) -> None:
    guid = contact(api, name="Pedersen Tømrer ApS")
    document(api, guid)
    response = api.get(f"/v1/{ORG}/state-of-account/{guid}/pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "Pedersen Tømrer ApS" in text


def test_email_to_a_contact_without_an_address_and_no_receiver_is_refused(api: httpx.Client) -> None:
    guid = contact(api, email=None)
    response = api.post(f"/v1/{ORG}/state-of-account/{guid}/email", json={"CCToSender": False, "HideClosed": False})
    dinero_error(response, 400, 64)


def test_email_goes_to_the_contacts_address(api: httpx.Client) -> None:
    guid = contact(api)
    response = api.post(f"/v1/{ORG}/state-of-account/{guid}/email", json={"CCToSender": False, "HideClosed": True})
    assert response.status_code == 200, response.text
    assert response.content == b""


def test_a_deleted_payment_no_longer_shows(api: httpx.Client) -> None:
    guid = contact(api)
    invoice = document(api, guid)
    pay(api, invoice, 1000)
    read = api.get(f"/v2/{ORG}/invoices/{invoice}/payments").json()
    stamp = api.get(f"/v1/{ORG}/invoices/{invoice}").json()["TimeStamp"]
    payment = read["Payments"][0]["Guid"]
    deleted = api.request("DELETE", f"/v1/{ORG}/invoices/{invoice}/payments/{payment}", json={"Timestamp": stamp})
    assert deleted.status_code == 200, deleted.text
    assert [(e["Type"], e["Balance"]) for e in state(api, guid)["Entries"]] == [("Invoice", 1250.0)]


def test_the_balance_is_what_the_books_say_the_contact_owes(api: httpx.Client, fake: FakeDinero) -> None:
    guid = contact(api)
    pay(api, document(api, guid), 400)
    document(api, guid, "sales/creditnotes")
    owed = sum(
        row.data.Amount for row in entries(fake.world.organizations[ORG])
        if row.data.AccountNumber == DEBTORS and row.data.ContactGuid == guid
    )
    assert state(api, guid)["Entries"][-1]["Balance"] == float(owed) == 1250 - 400 - 1250
