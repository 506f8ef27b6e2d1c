"""Reports of a whole accounting year: saldo, result, balance and primo (reference §4.14).

The books are the small mixed year of tests/books_calls.py (a sale with VAT, an
expense with purchase VAT, a bank payment, a year-end accrual in 2025; 2026 opens
with 2025's balances), checked against sums done by hand. Amounts keep the
ledger's sign: debit positive, credit (income) negative.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx
import pytest

from fake_dinero import FakeDinero
from fake_dinero.domain import reports as books
from fake_dinero.domain.chart import all_accounts
from fake_dinero.domain.reports import ReportOptions, account_balances
from fake_dinero.domain.vat import Posting
from fake_dinero.domain.years import year_named
from fake_dinero.snapshot import capture, restore

from .books_calls import (
    ADVERTISING,
    BANK,
    DEBTORS,
    HAND_BALANCE_2025,
    HAND_BALANCE_2026,
    HAND_PRIMO_2026,
    HAND_RESULT_2025,
    HAND_RESULT_2026,
    RETAINED_EARNINGS,
    SALES,
    amounts,
    bank_payment,
    organization,
    report,
    sale,
    small_mixed_books,
)
from .support import ORG, dinero_error

KINDS = ["saldo", "result", "balance", "primo"]


@pytest.fixture
def books_2025_2026(fake: FakeDinero) -> FakeDinero:
    small_mixed_books(fake)
    return fake


# -- the reports agree with the sums done by hand ------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"), [("2025", HAND_RESULT_2025), ("2026", HAND_RESULT_2026)]
)
def test_result_is_the_years_movement_on_income_and_expense_accounts(
    api: httpx.Client, books_2025_2026: FakeDinero, year: str, expected: dict[int, float]
) -> None:
    assert amounts(report(api, year, "result")) == expected


@pytest.mark.parametrize(
    ("year", "expected"), [("2025", HAND_BALANCE_2025), ("2026", HAND_BALANCE_2026)]
)
def test_balance_is_the_opening_balance_plus_the_years_movement(
    api: httpx.Client, books_2025_2026: FakeDinero, year: str, expected: dict[int, float]
) -> None:
    assert amounts(report(api, year, "balance")) == expected


@pytest.mark.parametrize("year", ["2025", "2026"])
def test_saldo_sums_to_zero(api: httpx.Client, books_2025_2026: FakeDinero, year: str) -> None:
    saldo = report(api, year, "saldo")
    assert saldo
    assert sum(Decimal(str(line["Amount"])) for line in saldo) == 0


@pytest.mark.parametrize("year", ["2025", "2026"])
def test_result_and_balance_together_are_the_saldo(api: httpx.Client, books_2025_2026: FakeDinero, year: str) -> None:
    together = report(api, year, "result") + report(api, year, "balance")
    assert sorted(together, key=lambda line: line["AccountNumber"]) == report(api, year, "saldo")


def test_balance_sums_to_minus_the_years_result(api: httpx.Client, books_2025_2026: FakeDinero) -> None:
    balance = sum(Decimal(str(line["Amount"])) for line in report(api, "2025", "balance"))
    result = sum(Decimal(str(line["Amount"])) for line in report(api, "2025", "result"))
    assert (result, balance) == (Decimal(4800), Decimal(-4800))


def test_primo_is_last_years_closing_balances_with_its_result_on_retained_earnings(
    api: httpx.Client, books_2025_2026: FakeDinero
) -> None:
    primo = amounts(report(api, "2026", "primo"))
    assert primo == HAND_PRIMO_2026
    closing_2025 = amounts(report(api, "2025", "balance"))
    result_2025 = sum(report_line["Amount"] for report_line in report(api, "2025", "result"))
    assert primo == {**closing_2025, RETAINED_EARNINGS: result_2025}


def test_primo_of_the_first_year_is_empty(api: httpx.Client, books_2025_2026: FakeDinero) -> None:
    assert report(api, "2025", "primo") == []


def test_primo_agrees_with_the_primo_entries(api: httpx.Client, books_2025_2026: FakeDinero) -> None:
    response = api.get(f"/v1/{ORG}/entries", params={"fromDate": "2026-01-01", "toDate": "2026-01-01"})
    primo_entries = [line for line in response.json() if line["Type"] == "Primo"]
    assert amounts(primo_entries) == amounts(report(api, "2026", "primo"))


def test_primo_changes_when_something_is_booked_in_the_year_before(
    api: httpx.Client, books_2025_2026: FakeDinero
) -> None:
    sale(books_2025_2026, date(2025, 12, 1), 400)
    primo = amounts(report(api, "2026", "primo"))
    assert primo[DEBTORS] == 1250.0 + 500.0
    assert primo[RETAINED_EARNINGS] == 4800.0 - 400.0


def test_a_report_that_reaches_a_later_year_counts_every_year_before(api: httpx.Client, fake: FakeDinero) -> None:
    small_mixed_books(fake)
    bank_payment(fake, date(2027, 1, 10), 2500)  # opens 2027
    primo = amounts(report(api, "2027", "primo"))
    assert primo[RETAINED_EARNINGS] == 4800.0 - 2000.0
    assert primo[DEBTORS] == 2500.0 and primo[BANK] == 250.0
    assert sum(primo.values()) == 0


# -- shape and options ---------------------------------------------------------------


def test_lines_are_account_name_number_and_amount_by_account_number(
    api: httpx.Client, books_2025_2026: FakeDinero
) -> None:
    saldo = report(api, "2026", "saldo")
    assert [list(line) for line in saldo] == [["AccountName", "AccountNumber", "Amount"]] * len(saldo)
    numbers = [line["AccountNumber"] for line in saldo]
    assert numbers == sorted(numbers)
    assert saldo[0] == {"AccountName": "Salg af varer/ydelser m/moms", "AccountNumber": 1000, "Amount": -2000.0}


@pytest.mark.parametrize("kind", ["saldo", "balance", "primo"])
def test_accounts_at_zero_are_left_out(api: httpx.Client, fake: FakeDinero, kind: str) -> None:
    sale(fake, date(2025, 3, 1), 100)
    bank_payment(fake, date(2025, 4, 1), 125)  # the debtors come back to 0
    numbers = {line["AccountNumber"] for line in report(api, "2026" if kind == "primo" else "2025", kind)}
    assert DEBTORS not in numbers and BANK in numbers


@pytest.mark.parametrize(
    ("kind", "scope"),
    [
        ("saldo", lambda number: True),
        ("result", lambda number: number < 50000),
        ("balance", lambda number: number >= 50000),
        ("primo", lambda number: number >= 50000),
    ],
)
def test_show_zero_account_lists_every_account_of_the_chart_in_scope(
    api: httpx.Client, books_2025_2026: FakeDinero, kind: str, scope: object
) -> None:
    everything = {account.AccountNumber for account in all_accounts(organization(books_2025_2026))}
    assert len(everything) == 124  # the demo chart's 120 accounts and 4 deposit accounts
    lines = report(api, "2026", kind, showZeroAccount="true")
    assert [line["AccountNumber"] for line in lines] == sorted(filter(scope, everything))  # type: ignore[arg-type]
    assert {line["Amount"] for line in lines if line["AccountNumber"] == 9000} <= {0.0}


def test_show_account_no_puts_the_number_before_the_name(api: httpx.Client, books_2025_2026: FakeDinero) -> None:
    lines = report(api, "2026", "result", showAccountNo="true")
    assert lines == [{"AccountName": "1000 Salg af varer/ydelser m/moms", "AccountNumber": 1000, "Amount": -2000.0}]


def test_show_vat_type_puts_the_vat_code_after_the_name(api: httpx.Client, books_2025_2026: FakeDinero) -> None:
    names = {line["AccountNumber"]: line["AccountName"] for line in report(api, "2025", "saldo", showVatType="true")}
    assert names[SALES] == "Salg af varer/ydelser m/moms (U25)"
    assert names[ADVERTISING] == "Annoncer og reklame (I25)"
    assert names[BANK] == "Bank"  # no VAT code


def test_show_account_no_and_vat_type_together(api: httpx.Client, books_2025_2026: FakeDinero) -> None:
    lines = report(api, "2026", "result", showAccountNo="true", showVatType="true")
    assert lines[0]["AccountName"] == "1000 Salg af varer/ydelser m/moms (U25)"


@pytest.mark.parametrize("name", ["includeSummaryAccount", "includeSummeryAccount"])
def test_include_summary_account_changes_nothing_as_the_chart_has_no_sum_accounts(
    api: httpx.Client, books_2025_2026: FakeDinero, name: str
) -> None:
    plain = report(api, "2025", "saldo")
    assert report(api, "2025", "saldo", **{name: "false"}) == plain
    assert report(api, "2025", "saldo", **{name: "true"}) == plain


def test_include_ledger_entries_counts_what_is_in_the_ledger_unbooked(
    api: httpx.Client, books_2025_2026: FakeDinero, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unbooked(organization_: object, year: object) -> list[tuple[date, Posting]]:
        day = date(2026, 2, 20)
        return [(day, Posting(BANK, Decimal("300"))), (day, Posting(SALES, Decimal("-300")))]

    monkeypatch.setattr(books, "DRAFT_POSTINGS", [unbooked])
    assert amounts(report(api, "2026", "result")) == {SALES: -2000.0}
    assert amounts(report(api, "2026", "result", includeLedgerEntries="true")) == {SALES: -2300.0}
    assert amounts(report(api, "2026", "balance", includeLedgerEntries="true"))[BANK] == 550.0
    saldo = report(api, "2026", "saldo", includeLedgerEntries="true")
    assert sum(Decimal(str(line["Amount"])) for line in saldo) == 0


def test_unbooked_ledger_entries_of_an_earlier_year_open_the_year(
    api: httpx.Client, books_2025_2026: FakeDinero, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unbooked(organization_: object, year: object) -> list[tuple[date, Posting]]:
        day = date(2025, 11, 20)
        return [(day, Posting(BANK, Decimal("300"))), (day, Posting(SALES, Decimal("-300")))]

    monkeypatch.setattr(books, "DRAFT_POSTINGS", [unbooked])
    balance = amounts(report(api, "2026", "balance", includeLedgerEntries="true"))
    assert balance[BANK] == 550.0 and balance[RETAINED_EARNINGS] == 4500.0
    assert amounts(report(api, "2026", "primo")) == HAND_PRIMO_2026  # the primo report counts booked entries only


def test_a_report_of_an_unknown_year_is_refused(api: httpx.Client) -> None:
    body = dinero_error(api.get(f"/v1/{ORG}/2019/reports/saldo"), 400, 47)
    assert list(body["validationErrors"]) == ["accountingYear"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_report_names_its_year(api: httpx.Client, kind: str) -> None:
    dinero_error(api.get(f"/v1/{ORG}/not-a-year/reports/{kind}"), 400, 47)


def test_a_report_option_that_is_no_boolean_is_refused(api: httpx.Client) -> None:
    body = dinero_error(api.get(f"/v1/{ORG}/2026/reports/saldo", params={"showZeroAccount": "yes"}), 400, 42)
    assert list(body["validationErrors"]) == ["showZeroAccount"]


# -- the domain: cache and account balances ----------------------------------------------


def test_a_repeated_report_is_served_from_the_cache(books_2025_2026: FakeDinero) -> None:
    books_ = organization(books_2025_2026)
    year = year_named(books_, "2026")
    first = books.report(books_, year, "saldo")
    assert books.report(books_, year, "saldo") is first
    assert books.report(books_, year, "saldo", ReportOptions(show_account_numbers=True)) is not first


def test_a_new_posting_changes_the_cached_report(api: httpx.Client, books_2025_2026: FakeDinero) -> None:
    books_ = organization(books_2025_2026)
    year = year_named(books_, "2026")
    first = books.report(books_, year, "result")
    sale(books_2025_2026, date(2026, 2, 2), 100)
    second = books.report(books_, year, "result")
    assert second is not first
    assert [line.amount for line in second] == [Decimal("-2100.00")]
    assert amounts(report(api, "2026", "result")) == {SALES: -2100.0}


def test_a_restored_snapshot_does_not_see_reports_of_another_history(books_2025_2026: FakeDinero) -> None:
    world = books_2025_2026.world
    books_ = organization(books_2025_2026)
    year = year_named(books_, "2026")
    saved = capture(world)
    sale(books_2025_2026, date(2026, 2, 2), 100)
    assert [line.amount for line in books.report(books_, year, "result")] == [Decimal("-2100.00")]
    restore(world, saved)
    sale(books_2025_2026, date(2026, 2, 2), 700)  # the same version number as the other history
    assert [line.amount for line in books.report(books_, year, "result")] == [Decimal("-2700.00")]


def test_account_balances_are_each_accounts_amount_at_the_years_end(books_2025_2026: FakeDinero) -> None:
    books_ = organization(books_2025_2026)
    balances = account_balances(books_, year_named(books_, "2026"))
    assert balances == {
        account: Decimal(str(amount)) for account, amount in {**HAND_RESULT_2026, **HAND_BALANCE_2026}.items()
    }
    assert sum(balances.values()) == 0
