"""Entries: the booked lines by date (``entries``) and by when they were added
(``entries/changes``), with the primo entries that open a year (reference §4.12, §6.7).

Vouchers are posted straight through the booking path (tests/books_calls.py); the
clock stands at 2026-03-02 09:30 UTC and the organization has the years 2025 and 2026.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx
import pytest

from fake_dinero import Clock, FakeDinero
from fake_dinero.domain import ledger
from fake_dinero.domain.ledger import reverse

from .books_calls import (
    BANK,
    CHANGES,
    DEBTORS,
    ENTRIES,
    RETAINED_EARNINGS,
    SALES,
    SALES_VAT,
    amounts,
    bank_payment,
    changes,
    entries,
    expense,
    on,
    organization,
    sale,
    small_mixed_books,
    voucher,
)
from .support import dinero_error

CUSTOMER = "74ba828f-0b4b-49e1-b5c9-ef9675755556"
FILE = "web0crmck5v0ndcx3313g6zn61tc7wgc"


def normal(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["Type"] == "Normal"]


def primo(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["Type"] == "Primo"]


# -- entries by date --------------------------------------------------------------


def test_entries_of_a_period_are_exactly_the_posted_lines(api: httpx.Client, fake: FakeDinero) -> None:
    guid = voucher(
        fake, date(2026, 2, 10),
        on(DEBTORS, 1250, description="Faktura 7", contact=CUSTOMER),
        on(SALES, -1000, "U25", "Faktura 7", CUSTOMER),
        on(SALES_VAT, -250, "U25", "Faktura 7", CUSTOMER),
        voucher_type="Invoice", number=7, file_guid=FILE,
    )
    found = entries(api, "2026-01-01", "2026-12-31", includePrimo="false")
    common = {
        "Date": "2026-02-10", "VoucherNumber": 7, "VoucherGuid": guid, "FileGuid": FILE, "VoucherType": "Invoice",
        "Description": "Faktura 7", "ContactGuid": CUSTOMER, "Type": "Normal",
    }
    assert [{key: value for key, value in line.items() if key != "EntryGuid"} for line in found] == [
        {**common, "AccountNumber": 53000, "AccountName": "Debitorer, ubetalte fakturaer", "VatType": None,
         "VatCode": None, "Amount": 1250.0},
        {**common, "AccountNumber": 1000, "AccountName": "Salg af varer/ydelser m/moms",
         "VatType": "Dansk salgsmoms", "VatCode": "U25", "Amount": -1000.0},
        {**common, "AccountNumber": 64000, "AccountName": "Salgsmoms (udgående moms)",
         "VatType": "Dansk salgsmoms", "VatCode": "U25", "Amount": -250.0},
    ]


def test_entries_have_their_own_guids(api: httpx.Client, fake: FakeDinero) -> None:
    sale(fake, date(2026, 2, 10), 1000)
    found = entries(api, "2026-01-01", "2026-12-31")
    guids = {line["EntryGuid"] for line in found}
    assert len(guids) == 3 and None not in guids


def test_entries_keep_the_order_of_the_fields_in_dineros_model(api: httpx.Client, fake: FakeDinero) -> None:
    sale(fake, date(2026, 2, 10), 1000)
    assert list(entries(api, "2026-01-01", "2026-12-31")[0]) == [
        "AccountNumber", "AccountName", "Date", "VoucherNumber", "VoucherGuid", "FileGuid", "VoucherType",
        "Description", "VatType", "VatCode", "Amount", "EntryGuid", "ContactGuid", "Type",
    ]


def test_entries_outside_the_period_are_left_out(api: httpx.Client, fake: FakeDinero) -> None:
    sale(fake, date(2026, 1, 31), 100)
    inside = sale(fake, date(2026, 2, 1), 200)
    sale(fake, date(2026, 3, 1), 300)
    found = entries(api, "2026-02-01", "2026-02-28")
    assert {line["VoucherGuid"] for line in found} == {inside}


def test_entries_include_both_ends_of_the_period(api: httpx.Client, fake: FakeDinero) -> None:
    first = sale(fake, date(2026, 2, 1), 100)
    last = sale(fake, date(2026, 2, 28), 200)
    found = entries(api, "2026-02-01", "2026-02-28")
    assert [line["VoucherGuid"] for line in found] == [first] * 3 + [last] * 3


def test_entries_are_ordered_by_date_then_as_added(api: httpx.Client, fake: FakeDinero) -> None:
    later = bank_payment(fake, date(2026, 2, 20), 100)
    earlier = bank_payment(fake, date(2026, 2, 10), 200)
    same_day = bank_payment(fake, date(2026, 2, 10), 300)
    found = entries(api, "2026-01-01", "2026-12-31")
    assert [(line["VoucherGuid"], line["Amount"]) for line in found] == [
        (earlier, 200.0), (earlier, -200.0), (same_day, 300.0), (same_day, -300.0), (later, 100.0), (later, -100.0),
    ]


def test_entries_take_the_date_part_of_date_times(api: httpx.Client, fake: FakeDinero) -> None:
    guid = sale(fake, date(2026, 2, 10), 100)
    found = entries(api, "2026-02-10T23:59:59+05:00", "2026-02-10T00:00:00")
    assert {line["VoucherGuid"] for line in found} == {guid}


def test_a_deleted_voucher_shows_with_its_offset_entries(api: httpx.Client, fake: FakeDinero) -> None:
    guid = sale(fake, date(2026, 2, 10), 100)
    reverse(organization(fake), guid)
    found = entries(api, "2026-01-01", "2026-12-31")
    assert len(found) == 6
    assert amounts(found) == {DEBTORS: 0.0, SALES: 0.0, SALES_VAT: 0.0}


# -- primo entries ----------------------------------------------------------------


def test_a_year_opens_with_a_primo_entry_per_balance_sheet_account(api: httpx.Client, fake: FakeDinero) -> None:
    small_mixed_books(fake)
    opening = primo(entries(api, "2026-01-01", "2026-01-31"))
    assert amounts(opening) == {
        DEBTORS: 1250.0, BANK: -1000.0, RETAINED_EARNINGS: 4800.0, 63040: -5000.0, SALES_VAT: -250.0, 64060: 200.0,
    }
    assert {line["Date"] for line in opening} == {"2026-01-01"}


def test_primo_entries_carry_earlier_years_result_to_retained_earnings(api: httpx.Client, fake: FakeDinero) -> None:
    sale(fake, date(2025, 5, 1), 1000)
    opening = primo(entries(api, "2026-01-01", "2026-12-31"))
    assert amounts(opening) == {DEBTORS: 1250.0, SALES_VAT: -250.0, RETAINED_EARNINGS: -1000.0}
    assert sum(line["Amount"] for line in opening) == 0


def test_primo_entries_come_first_and_belong_to_no_voucher(api: httpx.Client, fake: FakeDinero) -> None:
    sale(fake, date(2025, 5, 1), 1000)
    sale(fake, date(2026, 2, 1), 1000)
    found = entries(api, "2026-01-01", "2026-12-31")
    assert [line["Type"] for line in found] == ["Primo"] * 3 + ["Normal"] * 3
    first = found[0]
    assert first["AccountNumber"] == DEBTORS and first["AccountName"] == "Debitorer, ubetalte fakturaer"
    assert first["VoucherGuid"] is None and first["VoucherNumber"] is None and first["ContactGuid"] is None


def test_primo_entries_are_left_out_without_include_primo(api: httpx.Client, fake: FakeDinero) -> None:
    sale(fake, date(2025, 5, 1), 1000)
    sale(fake, date(2026, 2, 1), 1000)
    found = entries(api, "2026-01-01", "2026-12-31", includePrimo="false")
    assert [line["Type"] for line in found] == ["Normal"] * 3


def test_the_first_year_has_no_primo_entries(api: httpx.Client, fake: FakeDinero) -> None:
    sale(fake, date(2025, 5, 1), 1000)
    assert primo(entries(api, "2025-01-01", "2025-12-31")) == []


def test_a_primo_entry_keeps_its_guid_while_its_amount_changes(api: httpx.Client, fake: FakeDinero) -> None:
    sale(fake, date(2025, 5, 1), 1000)
    before = {line["AccountNumber"]: line for line in primo(entries(api, "2026-01-01", "2026-12-31"))}
    sale(fake, date(2025, 6, 1), 1000)
    after = {line["AccountNumber"]: line for line in primo(entries(api, "2026-01-01", "2026-12-31"))}
    assert after[DEBTORS]["EntryGuid"] == before[DEBTORS]["EntryGuid"]
    assert (before[DEBTORS]["Amount"], after[DEBTORS]["Amount"]) == (1250.0, 2500.0)


def test_primo_entries_of_different_accounts_and_years_have_different_guids(
    api: httpx.Client, fake: FakeDinero
) -> None:
    sale(fake, date(2025, 5, 1), 1000)
    voucher(fake, date(2027, 1, 5), on(BANK, 1), on(DEBTORS, -1))  # opens 2027
    guids_2026 = {line["EntryGuid"] for line in primo(entries(api, "2026-01-01", "2026-12-31"))}
    guids_2027 = {line["EntryGuid"] for line in primo(entries(api, "2027-01-01", "2027-12-31"))}
    assert len(guids_2026) == 3 and len(guids_2027) == 3
    assert not guids_2026 & guids_2027


# -- refusals ---------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["fromDate", "toDate"])
def test_entries_without_a_date_are_refused_naming_it(api: httpx.Client, missing: str) -> None:
    params = {"fromDate": "2026-01-01", "toDate": "2026-01-31"}
    del params[missing]
    body = dinero_error(api.get(ENTRIES, params=params), 400, 42)
    assert list(body["validationErrors"]) == [missing]


def test_entries_without_any_dates_are_refused_naming_both(api: httpx.Client) -> None:
    body = dinero_error(api.get(ENTRIES), 400, 42)
    assert set(body["validationErrors"]) == {"fromDate", "toDate"}


def test_entries_with_a_date_that_is_no_date_are_refused(api: httpx.Client) -> None:
    body = dinero_error(api.get(ENTRIES, params={"fromDate": "2026-13-01", "toDate": "2026-01-31"}), 400, 42)
    assert list(body["validationErrors"]) == ["fromDate"]


def test_entries_of_a_period_ending_before_it_starts_are_refused(api: httpx.Client) -> None:
    body = dinero_error(api.get(ENTRIES, params={"fromDate": "2026-02-01", "toDate": "2026-01-31"}), 400, 83)
    assert list(body["validationErrors"]) == ["toDate"]


def test_entries_of_a_period_across_two_years_are_refused(api: httpx.Client) -> None:
    dinero_error(api.get(ENTRIES, params={"fromDate": "2025-12-01", "toDate": "2026-01-31"}), 400, 82)


def test_entries_of_a_period_in_no_accounting_year_are_refused(api: httpx.Client) -> None:
    dinero_error(api.get(ENTRIES, params={"fromDate": "2020-01-01", "toDate": "2020-12-31"}), 400, 47)


def test_entries_with_include_primo_that_is_no_boolean_are_refused(api: httpx.Client) -> None:
    params = {"fromDate": "2026-01-01", "toDate": "2026-01-31", "includePrimo": "maybe"}
    dinero_error(api.get(ENTRIES, params=params), 400, 42)


# -- changes ----------------------------------------------------------------------


def test_changes_are_the_entries_added_in_the_window(api: httpx.Client, fake: FakeDinero, clock: Clock) -> None:
    sale(fake, date(2026, 2, 1), 100)  # 09:30
    clock.advance(600)
    second = sale(fake, date(2026, 2, 1), 200)  # 09:40
    clock.advance(600)
    sale(fake, date(2026, 2, 1), 300)  # 09:50
    found = changes(api, "2026-03-02T09:35:00Z", "2026-03-02T09:45:00Z")
    assert {line["VoucherGuid"] for line in found} == {second}
    assert len(found) == 3


def test_changes_include_both_ends_of_the_window(api: httpx.Client, fake: FakeDinero, clock: Clock) -> None:
    first = sale(fake, date(2026, 2, 1), 100)  # 09:30
    clock.advance(600)
    last = sale(fake, date(2026, 2, 1), 200)  # 09:40
    found = changes(api, "2026-03-02T09:30:00Z", "2026-03-02T09:40:00Z")
    assert [line["VoucherGuid"] for line in found] == [first] * 3 + [last] * 3


def test_changes_go_by_when_an_entry_was_added_not_its_date(
    api: httpx.Client, fake: FakeDinero, clock: Clock
) -> None:
    clock.advance(600)
    backdated = sale(fake, date(2026, 1, 5), 100)
    found = changes(api, "2026-03-02T09:35:00Z", "2026-03-02T09:45:00Z")
    assert {line["VoucherGuid"] for line in found} == {backdated}
    assert changes(api, "2026-01-01T00:00:00Z", "2026-01-31T00:00:00Z") == []


def test_changes_are_in_the_order_they_were_added(api: httpx.Client, fake: FakeDinero, clock: Clock) -> None:
    late = sale(fake, date(2026, 2, 20), 100)
    clock.advance(60)
    early = sale(fake, date(2026, 2, 1), 100)
    found = changes(api, "2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z")
    assert [line["VoucherGuid"] for line in found] == [late] * 3 + [early] * 3


def test_changes_read_times_without_a_zone_as_utc(api: httpx.Client, fake: FakeDinero) -> None:
    guid = sale(fake, date(2026, 2, 1), 100)  # 09:30 UTC
    assert {line["VoucherGuid"] for line in changes(api, "2026-03-02T09:30:00", "2026-03-02T09:30:00")} == {guid}
    assert changes(api, "2026-03-02T10:00:00+01:00", "2026-03-02T10:29:59+01:00") == []
    assert len(changes(api, "2026-03-02T10:30:00+01:00", "2026-03-02T10:30:00+01:00")) == 3


def test_changes_allow_a_window_of_31_days(api: httpx.Client, fake: FakeDinero) -> None:
    sale(fake, date(2026, 2, 1), 100)  # added 2026-03-02T09:30
    assert len(changes(api, "2026-03-02T09:30:00Z", "2026-04-02T09:30:00Z")) == 3


def test_changes_refuse_a_window_one_second_over_31_days(api: httpx.Client) -> None:
    params = {"changesFrom": "2026-03-02T09:30:00Z", "changesTo": "2026-04-02T09:30:01Z"}
    body = dinero_error(api.get(CHANGES, params=params), 400, 84)
    assert list(body["validationErrors"]) == ["changesTo"]


def test_changes_refuse_a_window_ending_before_it_starts(api: httpx.Client) -> None:
    params = {"changesFrom": "2026-03-02T09:30:00Z", "changesTo": "2026-03-02T09:29:59Z"}
    dinero_error(api.get(CHANGES, params=params), 400, 83)


@pytest.mark.parametrize("missing", ["changesFrom", "changesTo"])
def test_changes_without_a_time_are_refused_naming_it(api: httpx.Client, missing: str) -> None:
    params = {"changesFrom": "2026-03-01T00:00:00Z", "changesTo": "2026-03-02T00:00:00Z"}
    del params[missing]
    body = dinero_error(api.get(CHANGES, params=params), 400, 42)
    assert list(body["validationErrors"]) == [missing]


def test_changes_with_a_time_that_is_no_time_are_refused(api: httpx.Client) -> None:
    params = {"changesFrom": "yesterday", "changesTo": "2026-03-02T00:00:00Z"}
    body = dinero_error(api.get(CHANGES, params=params), 400, 42)
    assert list(body["validationErrors"]) == ["changesFrom"]


def test_changes_bring_the_primo_entries_a_backdated_entry_changed(
    api: httpx.Client, fake: FakeDinero, clock: Clock
) -> None:
    sale(fake, date(2025, 5, 1), 1000)
    clock.advance(600)
    expense(fake, date(2025, 9, 1), 500)  # bank -500, purchase VAT 100, the result 400
    found = changes(api, "2026-03-02T09:35:00Z", "2026-03-02T09:45:00Z")
    opening = primo(found)
    assert amounts(opening) == {BANK: -500.0, RETAINED_EARNINGS: -600.0, 64060: 100.0}
    assert {line["Date"] for line in opening} == {"2026-01-01"}
    assert [line["Type"] for line in found] == ["Primo"] * 3 + ["Normal"] * 3


def test_changed_primo_entries_keep_the_guid_the_year_lists(api: httpx.Client, fake: FakeDinero, clock: Clock) -> None:
    sale(fake, date(2025, 5, 1), 1000)
    listed = {line["AccountNumber"]: line["EntryGuid"] for line in primo(entries(api, "2026-01-01", "2026-12-31"))}
    changed = {line["AccountNumber"]: line["EntryGuid"] for line in primo(changes(api, "2026-03-02", "2026-03-03"))}
    assert changed == listed


def test_changes_in_the_year_itself_change_no_primo(api: httpx.Client, fake: FakeDinero) -> None:
    sale(fake, date(2026, 2, 1), 1000)
    assert primo(changes(api, "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z")) == []


def test_changes_leave_out_primo_entries_without_include_primo(api: httpx.Client, fake: FakeDinero) -> None:
    sale(fake, date(2025, 5, 1), 1000)
    found = changes(api, "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z", includePrimo="false")
    assert [line["Type"] for line in found] == ["Normal"] * 3


def test_a_changed_primo_entry_that_came_to_zero_is_still_returned(
    api: httpx.Client, fake: FakeDinero, clock: Clock
) -> None:
    guid = bank_payment(fake, date(2025, 5, 1), 100)
    clock.advance(600)
    reverse(organization(fake), guid)
    found = primo(changes(api, "2026-03-02T09:35:00Z", "2026-03-02T09:45:00Z"))
    assert amounts(found) == {BANK: 0.0, DEBTORS: 0.0}


def test_changes_include_background_bookings_that_are_due(
    api: httpx.Client, fake: FakeDinero, monkeypatch: pytest.MonkeyPatch
) -> None:
    booked: list[str] = []

    def book_in_the_background(organization_: object) -> None:
        if not booked:
            booked.append(bank_payment(fake, date(2026, 2, 1), 100))

    monkeypatch.setattr(ledger, "_SETTLERS", [book_in_the_background])
    found = changes(api, "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z")
    assert {line["VoucherGuid"] for line in found} == set(booked)
    assert amounts(found) == {BANK: 100.0, DEBTORS: -100.0}


def test_entries_amounts_are_whole_ore(api: httpx.Client, fake: FakeDinero) -> None:
    voucher(fake, date(2026, 2, 1), on(BANK, "0.10"), on(BANK, "0.20"), on(DEBTORS, "-0.30"))
    found = entries(api, "2026-02-01", "2026-02-01")
    assert [line["Amount"] for line in found] == [0.1, 0.2, -0.3]
    assert sum(Decimal(str(line["Amount"])) for line in found) == 0
