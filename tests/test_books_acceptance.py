"""The books as a whole: every kind of voucher posts through one path, and the
entries, entries/changes and reports read back exactly what was posted.

Everything here goes through the API as a client would; the clock stands at
2026-03-02 09:30 UTC and the organization has the accounting years 2025 and 2026.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import httpx
import pytest

from fake_dinero import Clock

from .sales_calls import CREDIT_NOTES, INVOICES, book, create_invoice, customer, get, line, pay
from .support import ORG, START, get_token

MANUAL = f"/v1/{ORG}/vouchers/manuel"
LEDGER = f"/v1/{ORG}/ledgeritems"
ENTRIES = f"/v1/{ORG}/entries"


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json() if response.content else None


def entries(api: httpx.Client, start: str = "2026-01-01", end: str = "2026-12-31") -> list[dict[str, Any]]:
    return ok(api.get(ENTRIES, params={"fromDate": start, "toDate": end, "includePrimo": "false"}))


def changes(api: httpx.Client, start: datetime, end: datetime) -> list[dict[str, Any]]:
    params = {"changesFrom": f"{start:%Y-%m-%dT%H:%M:%S}Z", "changesTo": f"{end:%Y-%m-%dT%H:%M:%S}Z",
              "includePrimo": "false"}
    return ok(api.get(f"{ENTRIES}/changes", params=params))


def report(api: httpx.Client, kind: str, year: str = "2026") -> dict[int, float]:
    return {row["AccountNumber"]: row["Amount"] for row in ok(api.get(f"/v1/{ORG}/{year}/reports/{kind}"))}


def voucher(api: httpx.Client, guid: str) -> list[tuple[int, float]]:
    """The postings of one voucher: (account, amount), largest first."""
    rows = [(entry["AccountNumber"], entry["Amount"]) for entry in entries(api) if entry["VoucherGuid"] == guid]
    return sorted(rows, key=lambda posting: (-posting[1], posting[0]))


def relogin(api: httpx.Client) -> None:
    api.headers["Authorization"] = f"Bearer {get_token(api).json()['access_token']}"


# -- a voucher of each kind ------------------------------------------------------------


def booked_invoice(api: httpx.Client, contact: str, *lines: dict[str, Any], **fields: Any) -> str:
    guid = create_invoice(api, contact, *lines, **fields)["Guid"]
    book(api, f"{INVOICES}/{guid}")
    return guid


def booked_credit_note(api: httpx.Client, contact: str, *lines: dict[str, Any]) -> str:
    guid = ok(api.post(CREDIT_NOTES, json={"ContactGuid": contact, "ProductLines": list(lines) or [line()]}))["Guid"]
    book(api, f"{CREDIT_NOTES}/{guid}")
    return guid


def booked_reminder(api: httpx.Client, invoice: str) -> dict[str, Any]:
    """A reminder with the fee, on an invoice overdue at the fake's clock."""
    path = f"{INVOICES}/{invoice}/reminders"
    stamp = get(api, f"{INVOICES}/{invoice}")["TimeStamp"]
    draft = ok(api.post(path, json={"Timestamp": stamp, "Date": "2026-03-02", "WithFee": True}))
    return ok(api.post(f"{path}/{draft['Id']}/book", json={"Timestamp": draft["Timestamp"]}))


def booked_manual_voucher(api: httpx.Client, *lines: dict[str, Any]) -> dict[str, Any]:
    draft = ok(api.post(MANUAL, json={"VoucherDate": "2026-02-15", "Lines": list(lines)}))
    return ok(api.post(f"{MANUAL}/{draft['Guid']}/book", json={"Timestamp": draft["Timestamp"]}))


def booked_ledger_item(api: httpx.Client, clock: Clock, *lines: dict[str, Any]) -> str:
    added = ok(api.post(f"/v1.2/{ORG}/ledgeritems", json=[{"VoucherDate": "2026-02-20", "Lines": list(lines)}]))
    ok(api.post(f"{LEDGER}/book", json=[added]))
    clock.advance(60)  # Dinero books the daybook in the background
    [status] = ok(api.post(f"{LEDGER}/status", json=[{"Id": added["Id"]}]))
    assert status["Status"] == "Booked", status
    return added["Id"]


@pytest.fixture
def books(api: httpx.Client, clock: Clock) -> dict[str, str]:
    """One voucher of each kind: an invoice with a reminder fee and a payment whose
    remainder is written off, a credit note and its refund, a manual voucher and a
    ledger item."""
    contact = customer(api)
    invoice = booked_invoice(api, contact, Date="2026-01-10")
    reminder = booked_reminder(api, invoice)
    paid = ok(pay(api, f"{INVOICES}/{invoice}", 1000, RemainderIsFee=True))
    credit_note = booked_credit_note(api, contact, line(200))
    refund = ok(pay(api, f"{CREDIT_NOTES}/{credit_note}", 250))
    manual = booked_manual_voucher(api, {"Amount": 500, "AccountNumber": 2000, "BalancingAccountNumber": 55000,
                                         "AccountVatCode": "I25", "Description": "Varekøb"})
    item = booked_ledger_item(api, clock, {"Amount": 80, "AccountNumber": 55000, "BalancingAccountNumber": 1000,
                                           "BalancingAccountVatCode": "U25", "Description": "Kontantsalg"})
    relogin(api)
    return {
        "invoice": invoice, "payment": paid["RelatedVoucherGuid"], "credit_note": credit_note,
        "refund": refund["RelatedVoucherGuid"], "manual": manual["Guid"], "ledger_item": item,
        "reminder": str(reminder["Id"]),
    }


def test_the_trial_balance_of_one_voucher_of_each_kind_sums_to_zero(api: httpx.Client, books: dict) -> None:
    saldo = report(api, "saldo")
    assert round(sum(saldo.values()), 2) == 0
    assert len({entry["VoucherGuid"] for entry in entries(api)}) == 7  # the reminder fee is a voucher too


def test_each_kind_of_voucher_posts_what_a_bookkeeper_would(api: httpx.Client, books: dict) -> None:
    assert voucher(api, books["invoice"]) == [(53000, 1250.0), (64000, -250.0), (1000, -1000.0)]
    # 1,000 paid of 1,350 (1,250 and the 100 kr reminder fee): the 350 left is written off as a fee.
    assert voucher(api, books["payment"]) == [(55000, 1000.0), (7220, 350.0), (53000, -350.0), (53000, -1000.0)]
    assert voucher(api, books["credit_note"]) == [(1000, 200.0), (64000, 50.0), (53000, -250.0)]
    assert voucher(api, books["refund"]) == [(53000, 250.0), (55000, -250.0)]
    assert voucher(api, books["manual"]) == [(2000, 400.0), (64060, 100.0), (55000, -500.0)]
    assert voucher(api, books["ledger_item"]) == [(55000, 100.0), (64000, -20.0), (1000, -80.0)]


def test_a_reminder_fee_is_owed_by_the_customer_and_earned_as_a_fee(api: httpx.Client, books: dict) -> None:
    reminder_vouchers = {entry["VoucherGuid"] for entry in entries(api) if entry["VoucherType"] == "Reminder"}
    [guid] = reminder_vouchers
    assert voucher(api, guid) == [(53000, 100.0), (1400, -100.0)]


def test_entries_are_exactly_the_postings_of_the_books(api: httpx.Client, books: dict) -> None:
    listed = entries(api)
    by_account: dict[int, Decimal] = {}
    for entry in listed:
        by_account[entry["AccountNumber"]] = by_account.get(entry["AccountNumber"], Decimal(0)) + Decimal(
            str(entry["Amount"]))
    saldo = report(api, "saldo")
    assert {account: float(total) for account, total in by_account.items() if total} == saldo
    assert len({entry["EntryGuid"] for entry in listed}) == len(listed)


def test_the_customer_owes_nothing_once_paid_and_refunded(api: httpx.Client, books: dict) -> None:
    assert 53000 not in report(api, "saldo")


def test_deleting_a_booked_voucher_adds_the_opposite_entries(api: httpx.Client, books: dict) -> None:
    before = voucher(api, books["manual"])
    stamp = ok(api.get(f"{MANUAL}/{books['manual']}"))["Timestamp"]
    ok(api.request("DELETE", f"{MANUAL}/{books['manual']}", json={"Timestamp": stamp}))
    after = voucher(api, books["manual"])
    assert len(after) == 2 * len(before)
    assert sorted(after) == sorted(before + [(account, -amount) for account, amount in before])
    assert 2000 not in report(api, "saldo")


def test_deleting_a_payment_adds_the_opposite_entries_of_its_voucher(api: httpx.Client, books: dict) -> None:
    path = f"{CREDIT_NOTES}/{books['credit_note']}"
    [payment] = ok(api.get(f"{path}/payments"))["Payments"]
    ok(api.request("DELETE", f"{path}/payments/{payment['Guid']}", json={"Timestamp": get(api, path)["TimeStamp"]}))
    assert voucher(api, books["refund"]) == [(53000, 250.0), (55000, 250.0), (53000, -250.0), (55000, -250.0)]
    assert report(api, "saldo")[53000] == -250.0


# -- entries/changes --------------------------------------------------------------------


def test_changes_give_back_every_entry_in_windows_of_at_most_31_days(api: httpx.Client, clock: Clock) -> None:
    """Book one invoice every 20 days for 100 days, then read the changes back 31 days at a time."""
    contact = customer(api)
    booked_at = []
    for _ in range(6):
        booked_at.append(clock.now())
        booked_invoice(api, contact, Date=clock.now().date().isoformat())
        clock.advance(days=20)
        relogin(api)
    window, seen, start = timedelta(days=31), [], START - timedelta(seconds=1)
    while start < clock.now():
        end = min(start + window, clock.now())
        seen.extend(changes(api, start, end))
        start = end + timedelta(seconds=1)
    assert len(seen) == 6 * 3
    everything = ok(api.get(ENTRIES, params={"fromDate": "2026-01-01", "toDate": "2026-12-31",
                                             "includePrimo": "false"}))
    assert sorted(entry["EntryGuid"] for entry in seen) == sorted(entry["EntryGuid"] for entry in everything)


def test_changes_are_by_when_entries_were_added_not_their_date(api: httpx.Client, clock: Clock) -> None:
    contact = customer(api)
    booked_invoice(api, contact, Date="2025-06-01")  # dated last year, added now
    added_at = clock.now()
    found = changes(api, added_at - timedelta(minutes=1), added_at + timedelta(minutes=1))
    assert {entry["Date"] for entry in found} == {"2025-06-01"}
    assert changes(api, datetime(2025, 6, 1, tzinfo=timezone.utc), datetime(2025, 6, 30, tzinfo=timezone.utc)) == []


# -- reports against sums done by hand ---------------------------------------------------


def test_reports_of_a_small_mixed_year_agree_with_sums_done_by_hand(api: httpx.Client) -> None:
    """A DKK invoice with a VAT-free line, a EUR invoice (745.60 DKK per 100 EUR), a credit
    note, a partial payment with its remainder written off, and the EUR invoice paid in
    EUR with 2 kr less than it was booked at in DKK."""
    contact = customer(api)
    dkk = booked_invoice(api, contact, line(1000), line(200, account=1050), Date="2026-01-15")
    eur = booked_invoice(api, contact, line(100), Currency="EUR", Date="2026-02-01")
    booked_credit_note(api, contact, line(400))
    ok(pay(api, f"{INVOICES}/{dkk}", 1000, RemainderIsFee=True))  # 1,450 owed; 450 written off
    ok(pay(api, f"{INVOICES}/{eur}", 930, AmountInForeignCurrency=125))  # 125 EUR = 932.00 DKK booked

    # By hand: revenue 1000 + 745.60 - 400 on 1000, 200 on 1050; VAT 250 + 186.40 - 100;
    # customer 1450 + 932 - 500 - 1450 - 930 = -498; bank 1000 + 930; fees 450.
    assert report(api, "result") == {1000: -1345.6, 1050: -200.0, 7220: 450.0}
    assert report(api, "balance") == {53000: -498.0, 55000: 1930.0, 64000: -336.4}
    assert report(api, "saldo") == {**report(api, "result"), **report(api, "balance")}
    assert round(sum(report(api, "saldo").values()), 2) == 0
    assert report(api, "primo") == {}


def test_the_next_years_primo_carries_the_balance_and_the_result(api: httpx.Client) -> None:
    contact = customer(api)
    booked_invoice(api, contact, line(1000), Date="2026-01-15")
    booked_invoice(api, contact, line(100), Date="2027-01-15")  # creates 2027, the year after the last
    primo = report(api, "primo", "2027")
    assert primo == {53000: 1250.0, 64000: -250.0, 60020: -1000.0}
