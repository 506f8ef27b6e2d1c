"""Reminders on overdue invoices: create, book, read, change, delete, next and fetch
(reference §4.6, §5.9, §6.1 step 8)."""

from __future__ import annotations

import io

import httpx
import pypdf
import pytest

from fake_dinero import Clock

from .reminder_calls import (
    INVOICES,
    TODAY,
    UNKNOWN_GUID,
    add,
    added,
    advance,
    book,
    booked_invoice,
    create_contact,
    draft_invoice,
    invoice,
    listed,
    overdue_invoice,  # noqa: F401  (the `overdue` fixture)
    owed,
    reminders,
    three_booked,
)
from .support import dinero_error

# -- create -----------------------------------------------------------------------


def test_a_reminder_on_an_invoice_that_is_not_overdue_is_refused_with_74(api: httpx.Client) -> None:
    dinero_error(add(api, booked_invoice(api)), 400, 74)


def test_a_reminder_on_a_draft_invoice_is_refused_with_59(api: httpx.Client) -> None:
    dinero_error(add(api, draft_invoice(api)), 400, 59)


def test_a_reminder_on_an_unknown_invoice_is_not_found(api: httpx.Client) -> None:
    body = {"Timestamp": "0000000000000001", "Date": TODAY}
    dinero_error(api.post(reminders(UNKNOWN_GUID), json=body), 404, 40)


def test_an_overdue_invoice_gets_reminder_1_as_a_draft_with_the_fee(api: httpx.Client, overdue: str) -> None:
    reminder = added(api, overdue)
    assert (reminder["Number"], reminder["IsDraft"], reminder["IsDeleted"]) == (1, True, False)
    assert (reminder["Title"], reminder["Date"]) == ("Rykker 1", TODAY)
    assert (reminder["InvoiceTotalInclVatAmount"], reminder["FeeAmount"]) == (1250.0, 100.0)
    assert (reminder["AccumulatedFeesAndInterestAmount"], reminder["ReminderTotalInclVatAmount"]) == (100.0, 1350.0)
    assert isinstance(reminder["Id"], int)


def test_the_amount_texts_are_written_the_danish_way(api: httpx.Client, overdue: str) -> None:
    reminder = added(api, overdue)
    assert reminder["InvoiceTotalInclVatAmountText"] == "1.250,00 DKK"
    assert reminder["FeeAmountText"] == "100,00 DKK"


def test_an_english_invoice_gets_english_titles_and_amount_texts(api: httpx.Client, clock: Clock) -> None:
    guid = booked_invoice(api, Language="en-GB")
    advance(api, clock, 10)
    reminder = added(api, guid)
    assert reminder["Title"] == "Reminder 1"
    assert reminder["ReminderTotalInclVatAmountText"] == "DKK 1,350.00"


def test_the_invoices_own_reminder_fee_replaces_the_default(api: httpx.Client, clock: Clock) -> None:
    guid = booked_invoice(api, ReminderFee=50)
    advance(api, clock, 10)
    assert added(api, guid)["FeeAmount"] == 50.0


def test_without_fee_the_fee_is_zero(api: httpx.Client, overdue: str) -> None:
    reminder = added(api, overdue, WithFee=False)
    assert (reminder["FeeAmount"], reminder["ReminderTotalInclVatAmount"]) == (0.0, 1250.0)


def test_interest_is_0_7_percent_per_started_month_overdue(api: httpx.Client, overdue: str) -> None:
    reminder = added(api, overdue, "2026-04-12", WithFee=False, WithInterestFee=True)  # 33 days: 2 months
    assert (reminder["InterestAmount"], reminder["InterestAmountText"]) == (17.5, "17,50 DKK")


def test_without_interest_the_interest_is_null(api: httpx.Client, overdue: str) -> None:
    assert added(api, overdue)["InterestAmount"] is None


def test_the_compensation_fee_is_310_for_a_company(api: httpx.Client, overdue: str) -> None:
    reminder = added(api, overdue, WithCompensationFee=True)
    assert (reminder["CompensationFeeAvailable"], reminder["CompensationFeeAmount"]) == (True, 310.0)


def test_the_compensation_fee_is_not_available_for_a_person(api: httpx.Client, clock: Clock) -> None:
    guid = booked_invoice(api, create_contact(api, IsPerson=True))
    advance(api, clock, 10)
    reminder = added(api, guid, WithCompensationFee=True)
    assert (reminder["CompensationFeeAvailable"], reminder["CompensationFeeAmount"]) == (False, 0.0)


def test_the_compensation_fee_is_charged_once_per_invoice(api: httpx.Client, overdue: str) -> None:
    book(api, overdue, added(api, overdue, WithCompensationFee=True))
    second = added(api, overdue, "2026-03-22", WithCompensationFee=True)
    assert second["CompensationFeeAmount"] == 0.0
    assert second["AccumulatedFeesAndInterestAmount"] == 510.0


def test_the_debt_collection_warning_adds_a_notice(api: httpx.Client, overdue: str) -> None:
    assert "inkasso" in added(api, overdue, WithDebtCollectionWarning=True)["DebtCollectionNoticeText"]


def test_without_the_debt_collection_warning_there_is_no_notice(api: httpx.Client, overdue: str) -> None:
    assert added(api, overdue)["DebtCollectionNoticeText"] is None


def test_payments_show_as_a_negative_paid_amount(api: httpx.Client, overdue: str) -> None:
    body = {"Timestamp": invoice(api, overdue)["TimeStamp"], "DepositAccountNumber": 55000, "Amount": 250,
            "Description": "Delbetaling"}
    assert api.post(f"{INVOICES}/{overdue}/payments", json=body).status_code == 200
    reminder = added(api, overdue)
    assert (reminder["PaidAmount"], reminder["PaidAmountText"]) == (-250.0, "-250,00 DKK")
    assert reminder["ReminderTotalInclVatAmount"] == 1100.0


def test_the_body_timestamp_is_the_invoices_and_a_stale_one_is_refused_with_58(
    api: httpx.Client, overdue: str
) -> None:
    response = api.post(reminders(overdue), json={"Timestamp": "0000000000000001", "Date": TODAY})
    dinero_error(response, 400, 58)


def test_a_reminder_dated_before_the_payment_date_is_refused(api: httpx.Client, overdue: str) -> None:
    assert "Date" in dinero_error(add(api, overdue, "2026-03-10"), 400, 42)["validationErrors"]


def test_only_one_draft_reminder_at_a_time(api: httpx.Client, overdue: str) -> None:
    added(api, overdue)
    dinero_error(add(api, overdue, "2026-03-22"), 400, 42)


def test_a_second_reminder_within_10_days_is_refused(api: httpx.Client, overdue: str) -> None:
    book(api, overdue, added(api, overdue))
    body = dinero_error(add(api, overdue, "2026-03-21"), 400, 42)
    assert "2026-03-22" in body["validationErrors"]["Date"]


def test_a_second_reminder_10_days_later_is_number_2_and_accumulates_the_fees(
    api: httpx.Client, overdue: str
) -> None:
    book(api, overdue, added(api, overdue))
    second = added(api, overdue, "2026-03-22")
    assert (second["Number"], second["Title"]) == (2, "Rykker 2")
    assert (second["AccumulatedFeesAndInterestAmount"], second["ReminderTotalInclVatAmount"]) == (200.0, 1450.0)


def test_the_fourth_reminder_is_refused_with_43(api: httpx.Client, overdue: str) -> None:
    three_booked(api, overdue)
    dinero_error(add(api, overdue, "2026-04-11"), 400, 43)


# -- book ---------------------------------------------------------------------------


def test_booking_adds_the_fee_to_what_the_invoice_owes(api: httpx.Client, overdue: str) -> None:
    reminder = added(api, overdue)
    assert owed(api, overdue) == 1250.0
    assert book(api, overdue, reminder)["IsDraft"] is False
    assert owed(api, overdue) == 1350.0


def test_booking_gives_the_invoice_a_new_timestamp(api: httpx.Client, overdue: str) -> None:
    reminder = added(api, overdue)
    before = invoice(api, overdue)["TimeStamp"]
    book(api, overdue, reminder)
    assert invoice(api, overdue)["TimeStamp"] != before


def test_booking_with_a_stale_reminder_timestamp_is_refused_with_58(api: httpx.Client, overdue: str) -> None:
    reminder = added(api, overdue)
    body = {"Timestamp": reminder["Timestamp"], "Date": "2026-03-13", "WithFee": True}
    assert api.put(f"{reminders(overdue)}/{reminder['Id']}", json=body).status_code == 200
    response = api.post(f"{reminders(overdue)}/{reminder['Id']}/book", json={"Timestamp": reminder["Timestamp"]})
    dinero_error(response, 400, 58)


def test_a_booked_reminder_keeps_its_amounts_when_the_invoice_is_paid(api: httpx.Client, overdue: str) -> None:
    booked = book(api, overdue, added(api, overdue))
    body = {"Timestamp": invoice(api, overdue)["TimeStamp"], "DepositAccountNumber": 55000, "Amount": 1350,
            "Description": "Betaling"}
    assert api.post(f"{INVOICES}/{overdue}/payments", json=body).status_code == 200
    assert listed(api, overdue)[0]["PaidAmount"] == booked["PaidAmount"] == 0.0


def test_booking_a_booked_reminder_again_is_refused(api: httpx.Client, overdue: str) -> None:
    booked = book(api, overdue, added(api, overdue))
    response = api.post(f"{reminders(overdue)}/{booked['Id']}/book", json={"Timestamp": booked["Timestamp"]})
    dinero_error(response, 400, 42)


def test_booking_after_the_invoice_was_paid_is_refused_with_74(api: httpx.Client, overdue: str) -> None:
    reminder = added(api, overdue)
    body = {"Timestamp": invoice(api, overdue)["TimeStamp"], "DepositAccountNumber": 55000, "Amount": 1250,
            "Description": "Betaling"}
    assert api.post(f"{INVOICES}/{overdue}/payments", json=body).status_code == 200
    response = api.post(f"{reminders(overdue)}/{reminder['Id']}/book", json={"Timestamp": reminder["Timestamp"]})
    dinero_error(response, 400, 74)


def test_an_unpaid_invoice_shows_a_paid_amount_of_zero_not_minus_zero(api: httpx.Client, overdue: str) -> None:
    response = add(api, overdue)
    assert '"PaidAmount":0.0,' in response.text
    assert response.json()["PaidAmountText"] == "0,00 DKK"


# -- read, update, delete ---------------------------------------------------------------


def test_a_reminder_is_read_by_its_id(api: httpx.Client, overdue: str) -> None:
    reminder = added(api, overdue)
    response = api.get(f"{reminders(overdue)}/{reminder['Id']}")
    assert response.status_code == 200, response.text
    assert response.json() == reminder


def test_a_non_integer_id_is_a_validation_error(api: httpx.Client, overdue: str) -> None:
    assert "id" in dinero_error(api.get(f"{reminders(overdue)}/abc"), 400, 42)["validationErrors"]


@pytest.mark.parametrize("bad", ["1.5", "+-1", "99999999999", "%C2%B2"])
def test_an_id_that_is_no_int32_is_a_validation_error(api: httpx.Client, overdue: str, bad: str) -> None:
    dinero_error(api.get(f"{reminders(overdue)}/{bad}"), 400, 42)


def test_an_unknown_id_is_not_found(api: httpx.Client, overdue: str) -> None:
    dinero_error(api.get(f"{reminders(overdue)}/99"), 404, 40)


def test_a_reminder_of_another_invoice_is_not_found(api: httpx.Client, overdue: str) -> None:
    reminder = added(api, overdue)
    dinero_error(api.get(f"{reminders(booked_invoice(api))}/{reminder['Id']}"), 404, 40)


def test_a_reminder_is_a_pdf_with_octet_stream(api: httpx.Client, overdue: str) -> None:
    reminder = added(api, overdue)
    response = api.get(f"{reminders(overdue)}/{reminder['Id']}", headers={"Accept": "application/octet-stream"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "Rykker 1" in text and "Rykkergebyr" in text and "1.350,00" in text


def test_update_changes_a_draft_and_its_timestamp(api: httpx.Client, overdue: str) -> None:
    reminder = added(api, overdue)
    body = {"Timestamp": reminder["Timestamp"], "Date": "2026-03-13", "Title": "Venlig rykker", "WithFee": False}
    response = api.put(f"{reminders(overdue)}/{reminder['Id']}", json=body)
    assert response.status_code == 200, response.text
    changed = response.json()
    assert (changed["Title"], changed["Date"], changed["FeeAmount"], changed["Number"]) == (
        "Venlig rykker", "2026-03-13", 0.0, 1
    )
    assert changed["Timestamp"] != reminder["Timestamp"]


def test_a_booked_reminder_cannot_be_updated(api: httpx.Client, overdue: str) -> None:
    booked = book(api, overdue, added(api, overdue))
    body = {"Timestamp": booked["Timestamp"], "Date": TODAY}
    dinero_error(api.put(f"{reminders(overdue)}/{booked['Id']}", json=body), 400, 42)


def test_deleting_a_draft_takes_it_off_the_list_and_marks_it_deleted(api: httpx.Client, overdue: str) -> None:
    reminder = added(api, overdue)
    path = f"{reminders(overdue)}/{reminder['Id']}"
    assert api.request("DELETE", path, json={"Timestamp": reminder["Timestamp"]}).status_code == 200
    assert listed(api, overdue) == []
    assert api.get(path).json()["IsDeleted"] is True


def test_deleting_a_booked_reminder_takes_its_fee_off_the_invoice(api: httpx.Client, overdue: str) -> None:
    booked = book(api, overdue, added(api, overdue))
    response = api.request("DELETE", f"{reminders(overdue)}/{booked['Id']}", json={"Timestamp": booked["Timestamp"]})
    assert response.status_code == 200, response.text
    assert owed(api, overdue) == 1250.0


def test_delete_with_a_stale_timestamp_is_refused_with_58(api: httpx.Client, overdue: str) -> None:
    reminder = added(api, overdue)
    response = api.request("DELETE", f"{reminders(overdue)}/{reminder['Id']}", json={"Timestamp": "00000000000000FF"})
    dinero_error(response, 400, 58)


def test_only_the_latest_reminder_can_be_deleted(api: httpx.Client, overdue: str) -> None:
    first = book(api, overdue, added(api, overdue))
    added(api, overdue, "2026-03-22")
    response = api.request("DELETE", f"{reminders(overdue)}/{first['Id']}", json={"Timestamp": first["Timestamp"]})
    dinero_error(response, 400, 42)


def test_changes_since_lists_deleted_reminders_too(api: httpx.Client, overdue: str) -> None:
    reminder = added(api, overdue)
    api.request("DELETE", f"{reminders(overdue)}/{reminder['Id']}", json={"Timestamp": reminder["Timestamp"]})
    changed = listed(api, overdue, changesSince="2026-03-01T00:00:00Z")
    assert [(item["Id"], item["IsDeleted"]) for item in changed] == [(reminder["Id"], True)]


def test_changes_since_that_is_no_time_is_a_validation_error(api: httpx.Client, overdue: str) -> None:
    dinero_error(api.get(reminders(overdue), params={"changesSince": "gestern"}), 400, 42)


def test_the_list_shows_an_invoices_reminders_by_number(api: httpx.Client, overdue: str) -> None:
    three_booked(api, overdue)
    assert [item["Number"] for item in listed(api, overdue)] == [1, 2, 3]


# -- next and fetch -------------------------------------------------------------------


def test_reminders_next_is_routed_to_the_proposal_not_to_an_id(api: httpx.Client, overdue: str) -> None:
    response = api.get(f"{reminders(overdue)}/next")
    assert response.status_code == 200, response.text
    assert response.json()["Id"] is None


def test_next_proposes_reminder_1_today_with_a_fee_and_saves_nothing(api: httpx.Client, overdue: str) -> None:
    proposal = api.get(f"{reminders(overdue)}/next").json()
    assert (proposal["Number"], proposal["Date"], proposal["WithFee"], proposal["FeeAmount"]) == (1, TODAY, True, 100)
    assert proposal["WithDebtCollectionWarning"] is False
    assert listed(api, overdue) == []


def test_next_can_be_posted_back_as_it_is(api: httpx.Client, overdue: str) -> None:
    proposal = api.get(f"{reminders(overdue)}/next").json()
    assert api.post(reminders(overdue), json=proposal).status_code == 200


def test_next_proposes_the_first_day_10_days_after_the_previous_reminder(api: httpx.Client, overdue: str) -> None:
    book(api, overdue, added(api, overdue))
    assert api.get(f"{reminders(overdue)}/next").json()["Date"] == "2026-03-22"


def test_next_warns_of_debt_collection_on_the_third(api: httpx.Client, overdue: str) -> None:
    for date in ("2026-03-12", "2026-03-22"):
        book(api, overdue, added(api, overdue, date))
    proposal = api.get(f"{reminders(overdue)}/next").json()
    assert (proposal["Number"], proposal["WithDebtCollectionWarning"]) == (3, True)


def test_next_after_three_reminders_is_refused_with_43(api: httpx.Client, overdue: str) -> None:
    three_booked(api, overdue)
    dinero_error(api.get(f"{reminders(overdue)}/next"), 400, 43)


def test_next_on_an_invoice_that_is_not_overdue_is_refused_with_74(api: httpx.Client) -> None:
    dinero_error(api.get(f"{reminders(booked_invoice(api))}/next"), 400, 74)


def test_fetch_previews_the_amounts_and_saves_nothing(api: httpx.Client, overdue: str) -> None:
    body = {"Date": "2026-04-12", "WithFee": True, "WithInterestFee": True}
    response = api.post(f"{reminders(overdue)}/fetch", json=body)
    assert response.status_code == 200, response.text
    preview = response.json()
    assert (preview["Id"], preview["FeeAmount"], preview["InterestAmount"]) == (None, 100.0, 17.5)
    assert listed(api, overdue) == []
