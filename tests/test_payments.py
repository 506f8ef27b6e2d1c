"""Payments on booked invoices and credit notes, one behaviour at a time (reference §5.7, §6.1 step 7).

A default line is 1 x 1000 DKK on a 25 % VAT account, so a booked invoice
owes 1250.00 and, on Netto 8 days from 2026-03-02, is due 2026-03-10.
"""

from __future__ import annotations

from typing import Any

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
    pay,
)
from .support import ORG, dinero_error

UNKNOWN_GUID = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"
TOTAL = 1250.0


def invoice_path(guid: str) -> str:
    return f"{INVOICES}/{guid}"


def payments_of(api: httpx.Client, guid: str) -> dict[str, Any]:
    return get(api, f"/v2/{ORG}/invoices/{guid}/payments")


def status_of(api: httpx.Client, guid: str) -> str:
    return get(api, invoice_path(guid))["PaymentStatus"]


def paid(api: httpx.Client, path: str, amount: float, **fields: Any) -> dict[str, Any]:
    response = pay(api, path, amount, **fields)
    assert response.status_code == 200, response.text
    return response.json()


def delete_payment(api: httpx.Client, path: str, payment: str, timestamp: str | None) -> httpx.Response:
    return api.request("DELETE", f"{path}/payments/{payment}", json={"Timestamp": timestamp})


def listed_status(api: httpx.Client, guid: str) -> str:
    rows = get(api, f"{INVOICES}?fields=Guid,Status")["Collection"]
    return {row["Guid"]: row["Status"] for row in rows}[guid]


def booked_credit_note(api: httpx.Client) -> str:
    response = api.post(CREDIT_NOTES, json={"ContactGuid": customer(api), "ProductLines": [line()]})
    assert response.status_code == 200, response.text
    guid = response.json()["Guid"]
    book(api, f"{CREDIT_NOTES}/{guid}")
    return guid


# -- refusals --------------------------------------------------------------------


def test_a_draft_invoice_cannot_be_paid(api: httpx.Client) -> None:
    guid = create_invoice(api, customer(api))["Guid"]
    dinero_error(pay(api, invoice_path(guid), 100), 400, 59)


def test_a_payment_of_zero_is_a_validation_error(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    body = dinero_error(pay(api, invoice_path(guid), 0), 400, 42)
    assert "Amount" in body["validationErrors"]


def test_a_payment_to_an_unknown_deposit_account_is_a_validation_error(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    body = dinero_error(pay(api, invoice_path(guid), 100, DepositAccountNumber=1000), 400, 42)
    assert "DepositAccountNumber" in body["validationErrors"]


def test_a_payment_with_a_stale_timestamp_is_refused_with_code_58(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    stale = get(api, invoice_path(guid))["TimeStamp"]
    paid(api, invoice_path(guid), 100)
    dinero_error(pay(api, invoice_path(guid), 100, Timestamp=stale), 400, 58)


def test_a_payment_without_a_description_is_a_validation_error(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    body = {
        "Timestamp": get(api, invoice_path(guid))["TimeStamp"], "DepositAccountNumber": 55000, "Amount": 100,
        "RemainderIsFee": False,
    }
    dinero_error(api.post(f"{invoice_path(guid)}/payments", json=body), 400, 42)


def test_a_refused_payment_leaves_the_invoice_unchanged(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    before = get(api, invoice_path(guid))["TimeStamp"]
    dinero_error(pay(api, invoice_path(guid), 0), 400, 42)
    assert get(api, invoice_path(guid))["TimeStamp"] == before
    assert payments_of(api, guid)["Payments"] == []


# -- adding payments ----------------------------------------------------------------


def test_a_payment_answers_the_invoices_new_timestamp(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    before = get(api, invoice_path(guid))["TimeStamp"]
    created = paid(api, invoice_path(guid), 500)
    assert created["TimeStamp"] != before
    assert created["TimeStamp"] == get(api, invoice_path(guid))["TimeStamp"]
    assert created["Guid"] not in (guid, None)


def test_a_partial_payment_keeps_the_invoice_booked(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    paid(api, invoice_path(guid), 500)
    assert status_of(api, guid) == "Booked"


def test_the_payments_of_an_invoice_show_paid_and_remaining_amounts(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    paid(api, invoice_path(guid), 500)
    payments = payments_of(api, guid)
    assert (payments["PaidAmount"], payments["RemainingAmount"]) == (500.0, 750.0)
    assert payments["InvoiceTotalIncludingReminderExpenses"] == TOTAL


def test_a_listed_payment_shows_what_was_paid_and_defaults_its_date_to_today(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    created = paid(api, invoice_path(guid), 500, Description="Delbetaling")
    [payment] = payments_of(api, guid)["Payments"]
    assert payment["Guid"] == created["Guid"]
    assert payment["Amount"] == 500.0
    assert payment["Description"] == "Delbetaling"
    assert payment["DepositAccountNumber"] == 55000
    assert payment["PaymentDate"] == "2026-03-02"
    assert (payment["Currency"], payment["ExchangeRate"]) == ("DKK", 100.0)


def test_a_payment_keeps_the_payment_date_it_was_given(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    paid(api, invoice_path(guid), 500, PaymentDate="2026-03-05")
    assert payments_of(api, guid)["Payments"][0]["PaymentDate"] == "2026-03-05"


def test_paying_the_whole_total_makes_the_invoice_paid(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    paid(api, invoice_path(guid), TOTAL)
    assert status_of(api, guid) == "Paid"
    assert payments_of(api, guid)["RemainingAmount"] == 0.0


def test_payments_that_add_up_to_the_total_make_the_invoice_paid(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    paid(api, invoice_path(guid), 1000)
    paid(api, invoice_path(guid), 250)
    assert status_of(api, guid) == "Paid"
    assert len(payments_of(api, guid)["Payments"]) == 2


def test_paying_more_than_the_total_makes_the_invoice_overpaid(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    paid(api, invoice_path(guid), 1300)
    assert status_of(api, guid) == "OverPaid"
    payments = payments_of(api, guid)
    assert (payments["PaidAmount"], payments["RemainingAmount"]) == (1300.0, -50.0)


def test_remainder_is_fee_on_a_partial_payment_makes_the_invoice_paid(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    paid(api, invoice_path(guid), 1240, RemainderIsFee=True)
    assert status_of(api, guid) == "Paid"
    assert payments_of(api, guid)["RemainingAmount"] == 0.0


# -- foreign currency --------------------------------------------------------------------


def test_a_payment_on_a_foreign_currency_invoice_needs_the_amount_in_that_currency(api: httpx.Client) -> None:
    guid = booked_invoice(api, None, line(), Currency="EUR")
    body = dinero_error(pay(api, invoice_path(guid), 9320), 400, 42)
    assert "AmountInForeignCurrency" in body["validationErrors"]


def test_the_status_of_a_foreign_currency_invoice_is_judged_in_its_currency(api: httpx.Client) -> None:
    guid = booked_invoice(api, None, line(), Currency="EUR")
    # 1250 DKK is far less than 1250 EUR: what counts is the amount in EUR.
    paid(api, invoice_path(guid), TOTAL, AmountInForeignCurrency=167.65)
    assert status_of(api, guid) == "Booked"
    paid(api, invoice_path(guid), 8070, AmountInForeignCurrency=1082.35)
    assert status_of(api, guid) == "Paid"


def test_the_payments_of_a_foreign_currency_invoice_show_its_currency_and_rate(api: httpx.Client) -> None:
    guid = booked_invoice(api, None, line(), Currency="EUR")
    paid(api, invoice_path(guid), 745.6, AmountInForeignCurrency=100)
    payments = payments_of(api, guid)
    assert (payments["PaidAmount"], payments["RemainingAmount"]) == (100.0, 1150.0)
    [payment] = payments["Payments"]
    assert (payment["Currency"], payment["ExchangeRate"], payment["Amount"]) == ("EUR", 745.6, 745.6)


# -- deleting payments --------------------------------------------------------------------


def test_deleting_a_payment_answers_the_new_timestamp(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    created = paid(api, invoice_path(guid), 500)
    response = delete_payment(api, invoice_path(guid), created["Guid"], created["TimeStamp"])
    assert response.status_code == 200, response.text
    stamp = response.json()["TimeStamp"]
    assert stamp != created["TimeStamp"]
    assert stamp == get(api, invoice_path(guid))["TimeStamp"]
    assert payments_of(api, guid)["Payments"] == []


def test_deleting_the_payment_that_paid_an_invoice_makes_it_booked_again(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    created = paid(api, invoice_path(guid), TOTAL)
    assert status_of(api, guid) == "Paid"
    response = delete_payment(api, invoice_path(guid), created["Guid"], created["TimeStamp"])
    assert response.status_code == 200, response.text
    assert status_of(api, guid) == "Booked"
    assert payments_of(api, guid)["RemainingAmount"] == TOTAL


def test_deleting_a_payment_with_a_stale_timestamp_is_refused_with_code_58(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    first = paid(api, invoice_path(guid), 500)
    paid(api, invoice_path(guid), 100)
    dinero_error(delete_payment(api, invoice_path(guid), first["Guid"], first["TimeStamp"]), 400, 58)
    assert len(payments_of(api, guid)["Payments"]) == 2


def test_deleting_an_unknown_payment_is_not_found(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    stamp = get(api, invoice_path(guid))["TimeStamp"]
    dinero_error(delete_payment(api, invoice_path(guid), UNKNOWN_GUID, stamp), 404, 40)


def test_paying_an_unknown_invoice_is_not_found(api: httpx.Client) -> None:
    body = {"Timestamp": "0000000000000001", "DepositAccountNumber": 55000, "Amount": 1, "Description": "x"}
    dinero_error(api.post(f"{INVOICES}/{UNKNOWN_GUID}/payments", json=body), 404, 40)


# -- the status elsewhere ------------------------------------------------------------------


def test_the_invoice_list_status_follows_payments(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    assert listed_status(api, guid) == "Booked"
    paid(api, invoice_path(guid), TOTAL)
    assert listed_status(api, guid) == "Paid"


def test_an_unpaid_invoice_is_overdue_after_its_payment_date(api: httpx.Client, clock: Clock) -> None:
    guid = booked_invoice(api)
    assert get(api, invoice_path(guid))["PaymentDate"] == "2026-03-10"
    move_clock(api, clock, days=10)
    assert status_of(api, guid) == "Overdue"
    assert listed_status(api, guid) == "Overdue"


def test_a_paid_invoice_stays_paid_after_its_payment_date(api: httpx.Client, clock: Clock) -> None:
    guid = booked_invoice(api)
    paid(api, invoice_path(guid), TOTAL)
    move_clock(api, clock, days=10)
    assert status_of(api, guid) == "Paid"
    assert listed_status(api, guid) == "Paid"


def test_an_invoice_is_not_overdue_on_its_payment_date(api: httpx.Client, clock: Clock) -> None:
    guid = booked_invoice(api)
    move_clock(api, clock, days=8)  # 2026-03-10 09:30 UTC, the PaymentDate
    assert status_of(api, guid) == "Booked"


def test_an_invoice_is_overdue_the_day_after_its_payment_date(api: httpx.Client, clock: Clock) -> None:
    guid = booked_invoice(api)
    move_clock(api, clock, days=9)  # 2026-03-11 09:30 UTC
    assert status_of(api, guid) == "Overdue"


def test_a_partly_paid_invoice_is_overdue_after_its_payment_date(api: httpx.Client, clock: Clock) -> None:
    guid = booked_invoice(api)
    paid(api, invoice_path(guid), 500)
    move_clock(api, clock, days=10)
    assert status_of(api, guid) == "Overdue"


# -- credit notes ---------------------------------------------------------------------------


def test_a_draft_credit_note_cannot_be_paid(api: httpx.Client) -> None:
    response = api.post(CREDIT_NOTES, json={"ContactGuid": customer(api), "ProductLines": [line()]})
    assert response.status_code == 200, response.text
    dinero_error(pay(api, f"{CREDIT_NOTES}/{response.json()['Guid']}", 100), 400, 59)


def test_a_credit_note_paid_in_full_is_paid(api: httpx.Client) -> None:
    guid = booked_credit_note(api)
    path = f"{CREDIT_NOTES}/{guid}"
    paid(api, path, TOTAL)
    assert get(api, path)["PaymentStatus"] == "Paid"


def test_the_payments_of_a_credit_note_are_listed(api: httpx.Client) -> None:
    guid = booked_credit_note(api)
    path = f"{CREDIT_NOTES}/{guid}"
    created = paid(api, path, 1000, Description="Refusion")
    payments = get(api, f"{path}/payments")
    assert (payments["PaidAmount"], payments["RemainingAmount"]) == (1000.0, 250.0)
    assert [(p["Guid"], p["Amount"], p["Description"]) for p in payments["Payments"]] == [
        (created["Guid"], 1000.0, "Refusion")
    ]


def test_a_credit_note_payment_is_not_an_invoice_payment(api: httpx.Client) -> None:
    guid = booked_credit_note(api)
    stamp = get(api, f"{CREDIT_NOTES}/{guid}")["TimeStamp"]
    body = {"Timestamp": stamp, "DepositAccountNumber": 55000, "Amount": 1, "Description": "x"}
    dinero_error(api.post(f"{INVOICES}/{guid}/payments", json=body), 404, 40)


def test_the_credit_note_list_status_follows_payments(api: httpx.Client) -> None:
    guid = booked_credit_note(api)
    paid(api, f"{CREDIT_NOTES}/{guid}", TOTAL)
    rows = get(api, f"{CREDIT_NOTES}?fields=Guid,Status")["Collection"]
    assert {row["Guid"]: row["Status"] for row in rows}[guid] == "Paid"


def test_a_credit_note_payment_can_be_deleted_without_a_timestamp(api: httpx.Client) -> None:
    guid = booked_credit_note(api)
    path = f"{CREDIT_NOTES}/{guid}"
    created = paid(api, path, TOTAL)
    response = api.delete(f"{path}/payments/{created['Guid']}")
    assert response.status_code == 200, response.text
    assert get(api, path)["PaymentStatus"] == "Booked"
    assert get(api, f"{path}/payments")["Payments"] == []


def test_a_payment_is_a_voucher_of_its_own_not_the_invoice(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    created = paid(api, invoice_path(guid), 500)
    assert created["RelatedVoucherGuid"] not in (guid, None)
    listed = get(api, f"/v2/{ORG}/invoices/{guid}/payments")["Payments"]
    assert [payment["RelatedVoucherId"] for payment in listed] == [created["RelatedVoucherGuid"]]


def test_a_payment_dated_in_no_accounting_year_is_refused_and_the_invoice_is_unchanged(api: httpx.Client) -> None:
    guid = booked_invoice(api)
    before = get(api, invoice_path(guid))
    dinero_error(pay(api, invoice_path(guid), 500, PaymentDate="2020-01-01"), 400, 47)
    after = get(api, invoice_path(guid))
    assert (after["TimeStamp"], after["PaymentStatus"]) == (before["TimeStamp"], before["PaymentStatus"])
