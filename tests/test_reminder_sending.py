"""Sending reminders: by e-mail and as an electronic reminder to an EAN number (reference §4.6)."""

from __future__ import annotations

from typing import Any

import httpx

from fake_dinero import Clock

from .reminder_calls import (
    VALID_EAN,
    added,
    advance,
    book,
    booked_invoice,
    create_contact,
    invoice,
    mailouts,
    overdue_invoice,  # noqa: F401  (the `overdue` fixture)
    reminders,
)
from .support import dinero_error

# -- e-mail ---------------------------------------------------------------------------


def test_the_email_template_names_the_reminder_and_the_invoice(api: httpx.Client, overdue: str) -> None:
    book(api, overdue, added(api, overdue))
    template = api.get(f"{reminders(overdue)}/email/template").json()
    number = invoice(api, overdue)["Number"]
    assert template["Subject"] == f"Rykker 1 for faktura {number}"
    assert template["Receiver"] == "kontakt@hansen.dk"
    assert "[link-to-pdf]" in template["Message"]


def test_email_sends_the_latest_booked_reminder_into_the_outbox(api: httpx.Client, overdue: str) -> None:
    book(api, overdue, added(api, overdue))
    response = api.post(f"{reminders(overdue)}/email", json={})
    assert response.status_code == 200, response.text
    assert response.json() == {"Recipients": [{"Email": "kontakt@hansen.dk"}]}
    sent = [mail for mail in mailouts(api, overdue) if mail["Type"] == "Reminder"]
    assert [mail["Subject"] for mail in sent] == [f"Rykker 1 for faktura {invoice(api, overdue)['Number']}"]


def test_email_marks_the_invoice_as_sent_with_a_reminder(api: httpx.Client, overdue: str) -> None:
    book(api, overdue, added(api, overdue))
    api.post(f"{reminders(overdue)}/email", json={})
    assert invoice(api, overdue)["LatestMailOutType"] == "Reminder"


def test_email_without_a_booked_reminder_is_refused_with_42(api: httpx.Client, overdue: str) -> None:
    added(api, overdue)
    dinero_error(api.post(f"{reminders(overdue)}/email", json={}), 400, 42)


def test_email_to_a_contact_without_an_address_is_refused_with_64(api: httpx.Client, clock: Clock) -> None:
    guid = booked_invoice(api, create_contact(api, Email=None))
    advance(api, clock, 10)
    book(api, guid, added(api, guid))
    dinero_error(api.post(f"{reminders(guid)}/email", json={}), 400, 64)


# -- e-reminder -------------------------------------------------------------------------


def e_reminder_invoice(api: httpx.Client, clock: Clock, **contact: Any) -> tuple[str, dict[str, Any]]:
    guid = booked_invoice(api, create_contact(api, **contact))
    advance(api, clock, 10)
    return guid, book(api, guid, added(api, guid))


def send_e_reminder(api: httpx.Client, guid: str, reminder: dict[str, Any], **body: Any) -> httpx.Response:
    return api.post(f"{reminders(guid)}/{reminder['Id']}/e-reminder", json={"PaymentMeanEnum": "Domestic", **body})


def test_an_e_reminder_goes_to_the_contacts_ean_number(api: httpx.Client, clock: Clock) -> None:
    guid, reminder = e_reminder_invoice(api, clock, EanNumber=VALID_EAN, AttPerson="Jens Hansen")
    response = send_e_reminder(api, guid, reminder)
    assert (response.status_code, response.content) == (200, b"")
    sent = [mail for mail in mailouts(api, guid) if mail["Type"] == "ElectronicInvoiceReminder"]
    assert [mail["Receiver"] for mail in sent] == [VALID_EAN]
    assert invoice(api, guid)["LatestMailOutType"] == "ElectronicInvoiceReminder"


def test_an_e_reminder_to_a_contact_without_ean_is_refused_with_56(api: httpx.Client, clock: Clock) -> None:
    guid, reminder = e_reminder_invoice(api, clock, AttPerson="Jens Hansen")
    dinero_error(send_e_reminder(api, guid, reminder), 400, 56)


def test_an_e_reminder_to_an_invalid_ean_is_refused_with_57(api: httpx.Client, clock: Clock) -> None:
    guid, reminder = e_reminder_invoice(api, clock, EanNumber=VALID_EAN, AttPerson="Jens Hansen")
    dinero_error(send_e_reminder(api, guid, reminder, ReceiverEanNumber="5790000000006"), 400, 57)


def test_an_e_reminder_without_an_att_person_is_refused_with_62(api: httpx.Client, clock: Clock) -> None:
    guid, reminder = e_reminder_invoice(api, clock, EanNumber=VALID_EAN)
    dinero_error(send_e_reminder(api, guid, reminder), 400, 62)


def test_an_e_reminder_with_an_unknown_payment_mean_is_a_validation_error(api: httpx.Client, clock: Clock) -> None:
    guid, reminder = e_reminder_invoice(api, clock, EanNumber=VALID_EAN, AttPerson="Jens Hansen")
    dinero_error(send_e_reminder(api, guid, reminder, PaymentMeanEnum="Cash"), 400, 42)


def test_an_e_reminder_takes_the_payment_mean_in_any_casing(api: httpx.Client, clock: Clock) -> None:
    guid, reminder = e_reminder_invoice(api, clock, EanNumber=VALID_EAN, AttPerson="Jens Hansen")
    assert send_e_reminder(api, guid, reminder, PaymentMeanEnum="fik").status_code == 200


def test_an_e_reminder_of_a_draft_reminder_is_refused_with_59(api: httpx.Client, clock: Clock) -> None:
    guid = booked_invoice(api, create_contact(api, EanNumber=VALID_EAN, AttPerson="Jens Hansen"))
    advance(api, clock, 10)
    dinero_error(send_e_reminder(api, guid, added(api, guid)), 400, 59)
