"""The ``year`` scenario: a year of trade booked through the domain layer, so the
entries, reports and sales lists have something to show.

The fixtures' clock stands at 2026-03-02: the scenario books 2025 in full and
2026 up to that day.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from fake_dinero import Clock, FakeDinero, World
from fake_dinero.domain.documents import SALES, amount_owed, paid_amount
from fake_dinero.domain.ledger import entries as ledger_entries
from fake_dinero.domain.ledger_item_models import LEDGER_ITEMS
from fake_dinero.domain.purchases import PURCHASE_VOUCHERS
from fake_dinero.resources.contacts import CONTACTS
from fake_dinero.world import Organization
from fake_dinero.year_of_trade import MONTHLY_RENT, MONTHLY_SALARIES, YEAR_COUNTS

from .books_calls import RETAINED_EARNINGS, amounts, entries, report
from .support import ORG, START, dinero_error

INVOICES = f"/v1/{ORG}/invoices"
RENT, SALARIES, FEES = 5000, 3000, 7220


def year_world(seed: int) -> World:
    """A new world on the fixtures' clock with the year seeded."""
    world = World.with_demo(seed=seed, clock=Clock(START))
    FakeDinero(world).control.seed("year")
    return world


def booked_entries(world: World) -> list[tuple[str, dict[str, Any]]]:
    return [(row.key, row.data.model_dump()) for row in ledger_entries(world.organizations[ORG])]


def sales(organization: Organization, kind: str) -> list[Any]:
    return [row.data for row in organization.table(SALES) if row.data.Kind == kind]


def test_the_year_books_a_whole_previous_year_whose_saldo_sums_to_zero_with_a_result(
    api: httpx.Client, fake: FakeDinero
) -> None:
    fake.control.seed("year")
    saldo = report(api, "2025", "saldo")
    result = amounts(report(api, "2025", "result"))
    assert round(sum(line["Amount"] for line in saldo), 2) == 0
    assert result and round(sum(result.values()), 2) < 0  # income is negative: a profit


def test_the_year_books_rent_with_vat_and_salaries_without_every_month(api: httpx.Client, fake: FakeDinero) -> None:
    fake.control.seed("year")
    result = amounts(report(api, "2025", "result"))
    assert result[RENT] == float(12 * MONTHLY_RENT / Decimal("1.25"))
    assert result[SALARIES] == float(12 * MONTHLY_SALARIES)


def test_the_current_year_opens_with_the_previous_years_result(api: httpx.Client, fake: FakeDinero) -> None:
    fake.control.seed("year")
    result_2025 = round(sum(amounts(report(api, "2025", "result")).values()), 2)
    assert amounts(report(api, "2026", "primo"))[RETAINED_EARNINGS] == result_2025


def test_the_same_seed_books_the_same_entries_with_the_same_ids() -> None:
    assert booked_entries(year_world(7)) == booked_entries(year_world(7))


def test_another_seed_books_other_customers_and_entries() -> None:
    first, other = year_world(7), year_world(8)
    names = [{row.data.Name for row in world.organizations[ORG].table(CONTACTS)} for world in (first, other)]
    assert names[0] != names[1]
    assert [data for _, data in booked_entries(first)] != [data for _, data in booked_entries(other)]


def test_seeding_the_year_over_http_answers_what_it_made(api: httpx.Client) -> None:
    made = api.post("/_fake/seed", json={"scenario": "year"}).json()
    assert list(made) == list(YEAR_COUNTS)
    assert 40 <= made["invoices"] <= 70
    invoices = api.get(INVOICES, params={"pageSize": 1000}).json()["Pagination"]["ResultWithoutFilter"]
    booked = entries(api, "2025-01-01", "2025-12-31", includePrimo="false") + entries(
        api, "2026-01-01", "2026-12-31", includePrimo="false"
    )
    assert (invoices, len(booked)) == (made["invoices"], made["entries"])


def test_every_invoice_of_the_year_is_booked_and_most_are_paid(api: httpx.Client, fake: FakeDinero) -> None:
    fake.control.seed("year")
    listed = api.get(INVOICES, params={"pageSize": 1000, "fields": "Status"}).json()["Collection"]
    statuses = [row["Status"] for row in listed]
    assert set(statuses) <= {"Paid", "Booked", "Overdue"}
    assert statuses.count("Paid") > len(statuses) * 2 / 3


def test_some_invoices_of_the_year_are_paid_partly(fake: FakeDinero) -> None:
    fake.control.seed("year")
    books = fake.world.organizations[ORG]
    partly = [data for data in sales(books, "Invoice") if 0 < paid_amount(data) < amount_owed(books, data)]
    assert len(partly) >= 2


def test_one_invoice_of_the_year_has_its_remainder_written_off_as_a_fee(fake: FakeDinero) -> None:
    fake.control.seed("year")
    books = fake.world.organizations[ORG]
    written_off = [payment.WrittenOff for data in sales(books, "Invoice") for payment in data.Payments]
    fees = [row.data.Amount for row in ledger_entries(books) if (row.data.AccountNumber, row.data.VoucherType) == (
        FEES, "Payment")]
    assert fees == [amount for amount in written_off if amount] and len(fees) == 1


def test_the_years_credit_notes_are_booked_for_booked_invoices(fake: FakeDinero) -> None:
    fake.control.seed("year")
    books = fake.world.organizations[ORG]
    notes = sales(books, "CreditNote")
    assert notes and all(note.booked for note in notes)
    assert all(books.table(SALES).require(note.CreditNoteFor, "Guid").data.booked for note in notes)


def test_the_years_ledger_items_are_booked_without_moving_the_clock(fake: FakeDinero, clock: Clock) -> None:
    made = fake.control.seed("year")
    items = [row.data for row in fake.world.organizations[ORG].table(LEDGER_ITEMS)]
    assert len(items) == made["ledgerItems"] > 0
    assert all(item.Status == "Booked" and item.BookedNumber for item in items)
    assert clock.now() == START


def test_the_year_is_refused_when_the_previous_year_cannot_be_booked(
    api: httpx.Client, fake: FakeDinero, clock: Clock
) -> None:
    clock.set(START.replace(year=2030))
    dinero_error(api.post("/_fake/seed", json={"scenario": "year"}), 400, 42)
    assert len(fake.world.organizations[ORG].table(CONTACTS)) == 0


def test_the_year_buys_goods_on_credit_every_month_and_pays_them_when_due(fake: FakeDinero) -> None:
    made = fake.control.seed("year")
    books = fake.world.organizations[ORG]
    purchases = [row.data for row in books.table(PURCHASE_VOUCHERS)]
    assert len(purchases) == made["purchases"] == 14  # January 2025 to February 2026
    assert all(data.booked and data.credit for data in purchases)
    paid = [data for data in purchases if data.Payments]
    assert len(paid) == made["purchasePayments"] == 14
    assert all(data.Payments[0].PaymentDate == data.PaymentDate for data in paid)
