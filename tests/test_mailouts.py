"""Mail-outs, e-invoices and SMS, one behaviour at a time (reference §5.8, §6.1 step 6).

Nothing leaves the fake: every send is recorded in the outbox, which tests
read through ``fake.control.outbox()`` or ``GET /_fake/outbox``.
"""

from __future__ import annotations

from typing import Any

import httpx

from fake_dinero import Clock, FakeDinero

from .sales_calls import CREDIT_NOTES, INVOICES, book, booked_invoice, create_invoice, customer, get, line, move_clock
from .support import BASE_URL, ORG, FakeTransport, dinero_error

OFFERS = f"/v1/{ORG}/tradeoffers"
VALID_EAN = "5790000000005"
BAD_CHECK_DIGIT_EAN = "1234567890123"  # the check digit of 123456789012 is 8


def invoice_path(guid: str) -> str:
    return f"{INVOICES}/{guid}"


def email(api: httpx.Client, path: str, **body: Any) -> httpx.Response:
    return api.post(f"{path}/email", json=body)


def emailed(api: httpx.Client, path: str, **body: Any) -> dict[str, Any]:
    response = email(api, path, **body)
    assert response.status_code == 200, response.text
    return response.json()


def mailouts(api: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    response = api.get(f"{path}/mailouts", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def e_invoice(api: httpx.Client, guid: str, **body: Any) -> httpx.Response:
    return api.post(f"/v3/{ORG}/invoices/{guid}/e-invoice", json={"PaymentMeanEnum": "Domestic", **body})


def e_credit_note(api: httpx.Client, guid: str, **body: Any) -> httpx.Response:
    return api.post(f"/v3/{ORG}/sales/creditnotes/{guid}/e-creditNote", json={"PaymentMeanEnum": "Domestic", **body})


def send_sms(api: httpx.Client, guid: str, **body: Any) -> httpx.Response:
    fields = {
        "ReceiverPhoneNumber": "+4512345678", "ReceiverName": "Kunde",
        "Timestamp": get(api, invoice_path(guid))["TimeStamp"], "IsReminder": False, **body,
    }
    return api.post(f"/v1/{ORG}/sms/{guid}/send-sms", json=fields)


def pre_reminder(api: httpx.Client, guid: str, **body: Any) -> httpx.Response:
    return api.post(f"{invoice_path(guid)}/email/pre-reminder", json=body)


def organization_email(api: httpx.Client) -> str:
    [organization] = [org for org in get(api, "/v1.1/organizations") if org["Id"] == ORG]
    return organization["Email"]


def draft_credit_note(api: httpx.Client, contact: str | None = None) -> str:
    body = {"ContactGuid": contact or customer(api), "ProductLines": [line()]}
    response = api.post(CREDIT_NOTES, json=body)
    assert response.status_code == 200, response.text
    return response.json()["Guid"]


def booked_credit_note(api: httpx.Client, contact: str | None = None) -> str:
    guid = draft_credit_note(api, contact)
    book(api, f"{CREDIT_NOTES}/{guid}")
    return guid


def e_invoice_customer(api: httpx.Client, **fields: Any) -> str:
    fields.setdefault("EanNumber", VALID_EAN)
    fields.setdefault("AttPerson", "Anne Jensen")
    return customer(api, **fields)


def trade_offer(api: httpx.Client) -> str:
    response = api.post(OFFERS, json={"ContactGuid": customer(api), "ProductLines": [line()]})
    assert response.status_code == 200, response.text
    return response.json()["Guid"]


# -- e-mailing an invoice --------------------------------------------------------------


def test_a_draft_invoice_cannot_be_emailed(api: httpx.Client, fake: FakeDinero) -> None:
    guid = create_invoice(api, customer(api))["Guid"]
    dinero_error(email(api, invoice_path(guid)), 400, 59)
    assert fake.control.outbox() == []


def test_a_contact_without_email_and_no_receiver_is_refused_with_code_55(api: httpx.Client) -> None:
    contact = customer(api, Email=None)
    assert get(api, f"/v1/{ORG}/contacts/{contact}").get("Email") is None
    guid = booked_invoice(api, contact)
    dinero_error(email(api, invoice_path(guid)), 400, 55)


def test_the_receiver_defaults_to_the_contacts_email(api: httpx.Client) -> None:
    guid = booked_invoice(api, customer(api, Email="bogholderi@kunde.dk"))
    assert emailed(api, invoice_path(guid)) == {"Recipients": [{"Email": "bogholderi@kunde.dk"}]}


def test_a_given_receiver_is_used_and_answered_in_recipients(api: httpx.Client, fake: FakeDinero) -> None:
    guid = booked_invoice(api, customer(api, Email=None))
    sent = emailed(api, invoice_path(guid), Receiver="anders@firma.dk")
    assert sent == {"Recipients": [{"Email": "anders@firma.dk"}]}
    assert [mail["Receiver"] for mail in fake.control.outbox()] == ["anders@firma.dk"]


def test_a_comma_separated_receiver_gives_several_recipients(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    sent = emailed(api, invoice_path(guid), Receiver="a@firma.dk, b@firma.dk")
    assert sent == {"Recipients": [{"Email": "a@firma.dk"}, {"Email": "b@firma.dk"}]}


def test_a_receiver_that_is_not_an_email_address_is_a_validation_error(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    dinero_error(email(api, invoice_path(guid), Receiver="not-an-address"), 400, 42)


def test_a_message_without_the_pdf_link_is_a_validation_error(api: httpx.Client, fake: FakeDinero) -> None:
    guid = booked_invoice(api)
    body = dinero_error(email(api, invoice_path(guid), Message="Hej, her er fakturaen."), 400, 42)
    assert "Message" in body["validationErrors"]
    assert fake.control.outbox() == []


def test_a_message_with_the_pdf_link_is_sent_as_given(api: httpx.Client, fake: FakeDinero) -> None:
    guid = booked_invoice(api)
    emailed(api, invoice_path(guid), Message="Hej\n[link-to-pdf]")
    assert fake.control.outbox()[0]["Message"] == "Hej\n[link-to-pdf]"


def test_emailing_with_a_stale_timestamp_is_refused_with_code_58(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    stale = get(api, invoice_path(guid))["TimeStamp"]
    emailed(api, invoice_path(guid))
    dinero_error(email(api, invoice_path(guid), Timestamp=stale), 400, 58)


def test_a_sent_invoice_is_marked_sent_with_a_new_timestamp(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    before = get(api, invoice_path(guid))
    assert (before["MailOutStatus"], before["LatestMailOutType"]) == ("NotSent", "None")
    emailed(api, invoice_path(guid))
    after = get(api, invoice_path(guid))
    assert (after["MailOutStatus"], after["LatestMailOutType"]) == ("Sent", "Mailout")
    assert after["TimeStamp"] != before["TimeStamp"]


def test_the_outbox_records_receiver_subject_attachment_and_sender(api: httpx.Client, fake: FakeDinero) -> None:
    guid = booked_invoice(api, customer(api, Email="bogholderi@kunde.dk"))
    emailed(api, invoice_path(guid))
    [mail] = fake.control.outbox()
    assert mail["OrganizationId"] == ORG
    assert mail["Channel"] == "Email"
    assert mail["Receiver"] == "bogholderi@kunde.dk"
    assert mail["Subject"] == "Faktura 1"
    assert mail["Attachment"] == "Faktura 1.pdf"
    assert mail["Sender"] == organization_email(api)
    assert (mail["VoucherGuid"], mail["VoucherType"]) == (guid, "Invoice")


def test_the_outbox_is_readable_over_http_without_a_token(api: httpx.Client, fake: FakeDinero) -> None:
    guid = booked_invoice(api)
    emailed(api, invoice_path(guid))
    with httpx.Client(transport=FakeTransport(fake), base_url=BASE_URL) as anonymous:
        response = anonymous.get("/_fake/outbox")
    assert response.status_code == 200, response.text
    assert response.json() == fake.control.outbox()
    assert [(mail["Subject"], mail["VoucherGuid"]) for mail in response.json()] == [("Faktura 1", guid)]


def test_without_pdf_attachment_the_outbox_records_no_attachment(api: httpx.Client, fake: FakeDinero) -> None:
    guid = booked_invoice(api)
    emailed(api, invoice_path(guid), AddVoucherAsPdfAttachment=False)
    assert fake.control.outbox()[0]["Attachment"] is None


def test_an_english_invoice_is_sent_with_an_english_subject(api: httpx.Client, fake: FakeDinero) -> None:
    guid = booked_invoice(api, None, line(), Language="en-GB")
    emailed(api, invoice_path(guid))
    assert [(mail["Subject"], mail["Attachment"]) for mail in fake.control.outbox()] == [
        ("Invoice 1", "Invoice 1.pdf")
    ]


def test_cc_to_sender_is_recorded(api: httpx.Client, fake: FakeDinero) -> None:
    guid = booked_invoice(api)
    emailed(api, invoice_path(guid), CcToSender=True)
    assert fake.control.outbox()[0]["CCToSender"] is True
    assert mailouts(api, invoice_path(guid))[0]["CCToSender"] is True


def test_the_mailouts_of_an_invoice_list_each_send(api: httpx.Client, fake: FakeDinero) -> None:
    guid = booked_invoice(api)
    emailed(api, invoice_path(guid))
    [mailout] = mailouts(api, invoice_path(guid))
    assert mailout["Id"] == fake.control.outbox()[0]["Id"]
    assert (mailout["Type"], mailout["Status"], mailout["IsSmsMessage"]) == ("Mailout", "Sent", False)
    assert mailout["Subject"] == "Faktura 1"


def test_the_mailouts_of_an_invoice_leave_out_other_invoices(api: httpx.Client) -> None:
    first, second = booked_invoice(api), booked_invoice(api)
    emailed(api, invoice_path(first))
    assert mailouts(api, invoice_path(second)) == []


def test_the_email_template_gives_the_contacts_address_and_the_pdf_link(api: httpx.Client) -> None:
    guid = booked_invoice(api, customer(api, Email="bogholderi@kunde.dk"))
    template = get(api, f"/v2/{ORG}/invoices/{guid}/email/template")
    assert template["Receiver"] == "bogholderi@kunde.dk"
    assert "[link-to-pdf]" in template["Message"]
    assert template["Subject"] == "Faktura 1"
    assert template["Sender"] == organization_email(api)


# -- pre-reminders ---------------------------------------------------------------------------


def test_a_pre_reminder_on_an_invoice_that_is_not_overdue_is_refused_with_code_74(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    dinero_error(pre_reminder(api, guid), 400, 74)


def test_a_pre_reminder_on_an_overdue_invoice_is_recorded(api: httpx.Client, clock: Clock) -> None:
    guid = booked_invoice(api)
    move_clock(api, clock, days=10)
    response = pre_reminder(api, guid)
    assert response.status_code == 200, response.text
    assert [mailout["Type"] for mailout in mailouts(api, invoice_path(guid))] == ["PreReminder"]
    assert get(api, invoice_path(guid))["LatestMailOutType"] == "PreReminder"


def test_a_pre_reminder_is_recorded_in_the_outbox_with_its_subject(
    api: httpx.Client, clock: Clock, fake: FakeDinero
) -> None:
    guid = booked_invoice(api, customer(api, Email="bogholderi@kunde.dk"))
    move_clock(api, clock, days=10)
    assert pre_reminder(api, guid).status_code == 200
    [mail] = fake.control.outbox()
    assert (mail["Type"], mail["Receiver"]) == ("PreReminder", "bogholderi@kunde.dk")
    assert mail["Subject"] == "Påmindelse: Faktura 1"


def test_a_pre_reminder_on_a_paid_invoice_is_refused_with_code_74(api: httpx.Client, clock: Clock) -> None:
    guid = booked_invoice(api)
    body = {
        "Timestamp": get(api, invoice_path(guid))["TimeStamp"], "DepositAccountNumber": 55000, "Amount": 1250,
        "Description": "Indbetaling",
    }
    assert api.post(f"{invoice_path(guid)}/payments", json=body).status_code == 200
    move_clock(api, clock, days=10)
    dinero_error(pre_reminder(api, guid), 400, 74)


def test_a_pre_reminder_on_a_draft_is_refused_with_code_59(api: httpx.Client) -> None:
    guid = create_invoice(api, customer(api))["Guid"]
    dinero_error(pre_reminder(api, guid), 400, 59)


# -- e-invoices ------------------------------------------------------------------------------


def test_an_e_invoice_to_a_contact_without_ean_is_refused_with_code_56(api: httpx.Client) -> None:
    guid = booked_invoice(api, customer(api, AttPerson="Anne Jensen"))
    dinero_error(e_invoice(api, guid), 400, 56)


def test_an_e_invoice_to_an_ean_with_a_bad_check_digit_is_refused_with_code_57(api: httpx.Client) -> None:
    guid = booked_invoice(api, e_invoice_customer(api, EanNumber=BAD_CHECK_DIGIT_EAN))
    dinero_error(e_invoice(api, guid), 400, 57)


def test_an_e_invoice_without_att_person_anywhere_is_refused_with_code_62(api: httpx.Client) -> None:
    guid = booked_invoice(api, customer(api, EanNumber=VALID_EAN))
    dinero_error(e_invoice(api, guid), 400, 62)


def test_an_e_invoice_takes_the_att_person_from_the_body(api: httpx.Client, fake: FakeDinero) -> None:
    guid = booked_invoice(api, customer(api, EanNumber=VALID_EAN))
    response = e_invoice(api, guid, AttPerson="Bo Hansen")
    assert response.status_code == 200, response.text
    assert fake.control.outbox()[0]["Details"]["AttPerson"] == "Bo Hansen"


def test_an_e_invoice_is_recorded_in_the_outbox(api: httpx.Client, fake: FakeDinero) -> None:
    guid = booked_invoice(api, e_invoice_customer(api))
    response = e_invoice(api, guid)
    assert response.status_code == 200, response.text
    [sent] = fake.control.outbox()
    assert (sent["Channel"], sent["Type"], sent["Receiver"]) == ("EInvoice", "Einvoice", VALID_EAN)
    assert (sent["VoucherGuid"], sent["Details"]["AttPerson"]) == (guid, "Anne Jensen")


def test_an_e_invoiced_invoice_shows_einvoice_as_latest_mailout(api: httpx.Client) -> None:
    guid = booked_invoice(api, e_invoice_customer(api))
    before = get(api, invoice_path(guid))["TimeStamp"]
    assert e_invoice(api, guid).status_code == 200
    after = get(api, invoice_path(guid))
    assert (after["MailOutStatus"], after["LatestMailOutType"]) == ("Sent", "Einvoice")
    assert after["TimeStamp"] != before


def test_an_unknown_payment_mean_is_a_validation_error(api: httpx.Client, fake: FakeDinero) -> None:
    guid = booked_invoice(api, e_invoice_customer(api))
    dinero_error(e_invoice(api, guid, PaymentMeanEnum="Cheque"), 400, 42)
    assert fake.control.outbox() == []


def test_a_draft_invoice_cannot_be_sent_as_an_e_invoice(api: httpx.Client) -> None:
    guid = create_invoice(api, e_invoice_customer(api))["Guid"]
    dinero_error(e_invoice(api, guid), 400, 59)


# -- e-credit notes ---------------------------------------------------------------------------


def test_a_draft_credit_note_cannot_be_sent_as_an_e_credit_note(api: httpx.Client) -> None:
    guid = draft_credit_note(api, e_invoice_customer(api))
    dinero_error(e_credit_note(api, guid), 400, 59)


def test_an_e_credit_note_to_a_contact_without_ean_is_refused_with_code_56(api: httpx.Client) -> None:
    guid = booked_credit_note(api, customer(api, AttPerson="Anne Jensen"))
    dinero_error(e_credit_note(api, guid), 400, 56)


def test_an_e_credit_note_to_an_invalid_ean_is_refused_with_code_57(api: httpx.Client) -> None:
    guid = booked_credit_note(api, e_invoice_customer(api, EanNumber=BAD_CHECK_DIGIT_EAN))
    dinero_error(e_credit_note(api, guid), 400, 57)


def test_an_e_credit_note_without_att_person_is_refused_with_code_62(api: httpx.Client) -> None:
    guid = booked_credit_note(api, customer(api, EanNumber=VALID_EAN))
    dinero_error(e_credit_note(api, guid), 400, 62)


def test_a_booked_credit_note_is_sent_as_an_e_credit_note(api: httpx.Client, fake: FakeDinero) -> None:
    guid = booked_credit_note(api, e_invoice_customer(api))
    response = e_credit_note(api, guid)
    assert response.status_code == 200, response.text
    [sent] = fake.control.outbox()
    assert (sent["Channel"], sent["VoucherGuid"], sent["VoucherType"]) == ("EInvoice", guid, "CreditNote")
    assert get(api, f"{CREDIT_NOTES}/{guid}")["LatestMailOutType"] == "Einvoice"


# -- SMS ----------------------------------------------------------------------------------------


def test_an_sms_is_recorded_with_the_pdf_link_appended(api: httpx.Client, fake: FakeDinero) -> None:
    guid = booked_invoice(api)
    response = send_sms(api, guid, Message="Din faktura fra os")
    assert response.status_code == 200, response.text
    [sms] = fake.control.outbox()
    assert (sms["Channel"], sms["Receiver"]) == ("Sms", "+4512345678")
    assert sms["Message"] == "Din faktura fra os [link-to-pdf]"


def test_an_sms_is_listed_as_an_sms_mailout(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    assert send_sms(api, guid).status_code == 200
    [mailout] = mailouts(api, invoice_path(guid))
    assert mailout["IsSmsMessage"] is True


def test_mailouts_without_sms_leave_the_sms_out(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    emailed(api, invoice_path(guid))
    assert send_sms(api, guid).status_code == 200
    assert len(mailouts(api, invoice_path(guid))) == 2
    listed = mailouts(api, invoice_path(guid), includeSms="false")
    assert [(mailout["Type"], mailout["IsSmsMessage"]) for mailout in listed] == [("Mailout", False)]


def test_an_sms_with_a_stale_timestamp_is_refused_with_code_58(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    stale = get(api, invoice_path(guid))["TimeStamp"]
    emailed(api, invoice_path(guid))
    dinero_error(send_sms(api, guid, Timestamp=stale), 400, 58)


def test_a_draft_invoice_cannot_be_sent_by_sms(api: httpx.Client) -> None:
    guid = create_invoice(api, customer(api))["Guid"]
    dinero_error(send_sms(api, guid), 400, 59)


# -- credit notes and trade offers ---------------------------------------------------------------


def test_a_draft_credit_note_cannot_be_emailed(api: httpx.Client) -> None:
    guid = draft_credit_note(api)
    dinero_error(email(api, f"{CREDIT_NOTES}/{guid}"), 400, 59)


def test_a_booked_credit_note_is_emailed(api: httpx.Client, fake: FakeDinero) -> None:
    guid = booked_credit_note(api, customer(api, Email="bogholderi@kunde.dk"))
    sent = emailed(api, f"{CREDIT_NOTES}/{guid}")
    assert sent == {"Recipients": [{"Email": "bogholderi@kunde.dk"}]}
    [mail] = fake.control.outbox()
    assert (mail["VoucherGuid"], mail["VoucherType"], mail["Subject"]) == (guid, "CreditNote", "Kreditnota 1")
    assert [mailout["Type"] for mailout in mailouts(api, f"{CREDIT_NOTES}/{guid}")] == ["Mailout"]


def test_a_trade_offer_is_emailed_with_type_trade_offer(api: httpx.Client, fake: FakeDinero) -> None:
    guid = trade_offer(api)
    sent = emailed(api, f"{OFFERS}/{guid}")
    assert sent == {"Recipients": [{"Email": "kunde@example.dk"}]}
    [mail] = fake.control.outbox()
    assert (mail["Type"], mail["VoucherGuid"], mail["VoucherType"]) == ("TradeOffer", guid, "TradeOffer")


def test_an_emailed_trade_offer_records_the_send_in_its_history(api: httpx.Client) -> None:
    guid = trade_offer(api)
    assert not any(entry.get("TradeOfferEmailSentAt") for entry in get(api, f"{OFFERS}/{guid}")["History"] or [])
    emailed(api, f"{OFFERS}/{guid}")
    history = get(api, f"{OFFERS}/{guid}")["History"]
    assert [entry for entry in history if entry.get("TradeOfferEmailSentAt")] != []


def test_the_mailouts_of_a_trade_offer_list_its_send(api: httpx.Client) -> None:
    guid = trade_offer(api)
    emailed(api, f"{OFFERS}/{guid}")
    listed = mailouts(api, f"{OFFERS}/{guid}")
    assert [(mailout["Type"], mailout["Subject"]) for mailout in listed] == [("TradeOffer", "Tilbud 1")]
