"""The whole life of an invoice, as an integrator drives it, every answer held to
the shape Dinero's OpenAPI document gives for that operation (issue 4's acceptance)."""

from __future__ import annotations

import httpx

from fake_dinero.contracts.suite import all_fields, response_schema, shape_problems

from .sales_calls import INVOICES, customer, line, move_clock
from .support import ORG, dinero_error

ORG_PATH = "/v1/{organizationId}"
EVERY_FIELD = all_fields("SalesVoucherReadListModel")


def conforms(response: httpx.Response, method: str, path: str) -> dict | list | None:
    """Assert a 200 whose body fits Dinero's schema for ``method path``; return the body."""
    assert response.status_code == 200, response.text
    schema = response_schema(method, path)
    if schema is None:
        return None
    body = response.json()
    assert shape_problems(schema, body) == [], (method, path)
    return body


def test_an_invoice_lives_from_draft_to_credit_note(api: httpx.Client, clock, fake) -> None:
    contact = customer(api, Name="Hansen Tømrer ApS", Email="bogholderi@hansen.dk")
    invoices = ORG_PATH + "/invoices"
    invoice = invoices + "/{guid}"

    # A draft, then an update with the current Timestamp.
    created = conforms(
        api.post(INVOICES, json={"ContactGuid": contact, "ProductLines": [line(800)]}), "POST", invoices
    )
    guid, first_stamp = created["Guid"], created["TimeStamp"]
    path = f"{INVOICES}/{guid}"
    update = {"Timestamp": first_stamp, "ContactGuid": contact, "ProductLines": [line(1000), line(200, quantity=2)]}
    update_path = "/v1.2/{organizationId}/invoices/{guid}"
    updated = conforms(api.put(f"/v1.2/{ORG}/invoices/{guid}", json=update), "PUT", update_path)
    assert updated["TimeStamp"] != first_stamp

    # The first Timestamp is stale now.
    dinero_error(api.put(f"/v1.2/{ORG}/invoices/{guid}", json=update), 400, 58)

    # Booking gives number 1 and the booked read model: 1400 excl., 1750 incl. VAT.
    booked = conforms(
        api.post(f"{path}/book", json={"Timestamp": updated["TimeStamp"]}), "POST", invoice + "/book"
    )
    assert (booked["Number"], booked["Status"], booked["PaymentStatus"]) == (1, "Booked", "Booked")
    assert (booked["TotalExclVat"], booked["TotalVat"], booked["TotalInclVat"]) == (1400.0, 350.0, 1750.0)
    assert booked["PaymentDate"] == "2026-03-10"  # Netto 8 days from 2026-03-02

    # E-mail it to the contact.
    sent = conforms(api.post(f"{path}/email", json={}), "POST", invoice + "/email")
    assert sent == {"Recipients": [{"Email": "bogholderi@hansen.dk"}]}
    read = conforms(api.get(path), "GET", invoice)
    assert (read["MailOutStatus"], read["LatestMailOutType"]) == ("Sent", "Mailout")

    # A partial payment leaves it Booked, with the rest remaining.
    paid = conforms(
        api.post(f"{path}/payments", json={
            "Timestamp": read["TimeStamp"], "DepositAccountNumber": 55000, "Amount": 750,
            "Description": "Delbetaling", "RemainderIsFee": False,
        }),
        "POST", invoice + "/payments",
    )
    assert paid["TimeStamp"] != read["TimeStamp"]
    assert paid["RelatedVoucherGuid"] not in (guid, None)  # the payment's own voucher, not the invoice
    payments_path = "/v2/{organizationId}/invoices/{guid}/payments"
    payments = conforms(api.get(f"/v2/{ORG}/invoices/{guid}/payments"), "GET", payments_path)
    assert (payments["PaidAmount"], payments["RemainingAmount"]) == (750.0, 1000.0)

    # Past the payment date it is Overdue, in the invoice and in the list.
    move_clock(api, clock, days=10)
    assert conforms(api.get(path), "GET", invoice)["PaymentStatus"] == "Overdue"
    # (Lists are checked asking for every field: Dinero's schema requires them all.)
    listed = conforms(api.get(INVOICES, params={"fields": EVERY_FIELD}), "GET", invoices)
    assert [(row["Guid"], row["Status"]) for row in listed["Collection"]] == [(guid, "Overdue")]

    # A reminder, booked, adds its fee to what is owed.
    reminders = invoice.replace("{guid}", "{voucherGuid}") + "/reminders"
    stamp = api.get(path).json()["TimeStamp"]
    reminder = conforms(
        api.post(f"{path}/reminders", json={
            "Timestamp": stamp, "Date": "2026-03-12", "WithFee": True, "WithDebtCollectionWarning": False,
            "WithInterestFee": False, "WithCompensationFee": False,
        }),
        "POST", reminders,
    )
    booked_reminder = conforms(
        api.post(f"{path}/reminders/{reminder['Id']}/book", json={"Timestamp": reminder["Timestamp"]}),
        "POST", reminders + "/{id}/book",
    )
    assert booked_reminder["IsDraft"] is False
    owed = api.get(f"/v2/{ORG}/invoices/{guid}/payments").json()
    fee = owed["InvoiceTotalIncludingReminderExpenses"] - 1750.0
    assert fee == booked_reminder["FeeAmount"] > 0

    # Paying the rest, fee included, makes it Paid.
    stamp = api.get(path).json()["TimeStamp"]
    conforms(
        api.post(f"{path}/payments", json={
            "Timestamp": stamp, "DepositAccountNumber": 55000, "Amount": owed["RemainingAmount"],
            "Description": "Restbetaling", "RemainderIsFee": False,
        }),
        "POST", invoice + "/payments",
    )
    assert api.get(path).json()["PaymentStatus"] == "Paid"

    # And a credit note for it, drafted from the invoice and booked as number 2.
    generated = conforms(api.post(f"{path}/generate-creditnote"), "POST", invoice + "/generate-creditnote")
    note_path = f"/v1/{ORG}/sales/creditnotes/{generated['Guid']}"
    note = conforms(api.get(note_path), "GET", "/v1/{organizationId}/sales/creditnotes/{guid}")
    assert (note["CreditNoteFor"], note["TotalInclVat"], note["Status"]) == (guid, 1750.0, "Draft")
    booked_note = conforms(
        api.post(f"{note_path}/book", json={"Timestamp": note["TimeStamp"]}),
        "POST", "/v1/{organizationId}/sales/creditnotes/{guid}/book",
    )
    assert booked_note["Number"] == 2

    sales = conforms(api.get(f"/v1/{ORG}/sales", params={"fields": EVERY_FIELD}), "GET", ORG_PATH + "/sales")
    assert sorted((row["Number"], row["Type"]) for row in sales["Collection"]) == [(1, "Invoice"), (2, "CreditNote")]
    assert [mail["Type"] for mail in fake.control.outbox()] == ["Mailout"]
