"""Balanced vouchers posted straight through the booking path (``domain.ledger.post``)
on the demo organization, so the entries and reports tests need no other operation.

``small_mixed_books`` posts a small year 2025 and the start of 2026, whose sums
are worked out by hand in ``HAND_*`` below.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx

from fake_dinero import FakeDinero
from fake_dinero.domain.ledger import ENTRIES as ENTRIES_TABLE
from fake_dinero.domain.ledger import Voucher, post
from fake_dinero.domain.vat import Posting
from fake_dinero.world import Organization

from .support import ORG

ENTRIES = f"/v1/{ORG}/entries"
CHANGES = f"/v1/{ORG}/entries/changes"

BANK = 55000
DEBTORS = 53000
SALES = 1000
ADVERTISING = 4000
AUDIT = 7005
ACCRUED_AUDIT = 63040
SALES_VAT = 64000
PURCHASE_VAT = 64060
RETAINED_EARNINGS = 60020


def organization(fake: FakeDinero) -> Organization:
    return fake.world.organizations[ORG]


def on(account: int, amount: float | str, vat: str | None = None, description: str | None = None,
       contact: str | None = None) -> Posting:
    """A posting: ``amount`` on ``account``, debit positive."""
    return Posting(account, Decimal(str(amount)), description, vat, contact)


def voucher(fake: FakeDinero, day: date, *lines: Posting, voucher_type: str = "Manual", number: int | None = None,
            file_guid: str | None = None) -> str:
    """Post ``lines`` as one voucher dated ``day`` (numbered after the vouchers posted so far
    unless ``number`` is given); its VoucherGuid."""
    books = organization(fake)
    if number is None:
        number = len({row.parent for row in books.table(ENTRIES_TABLE)}) + 1
    guid = books.world.new_guid()
    post(books, Voucher(guid, voucher_type, day, number, file_guid), lines)
    return guid


def sale(fake: FakeDinero, day: date, net: float, contact: str | None = None) -> str:
    """An invoice of ``net`` DKK + 25 % VAT: debtors debited, sales and sales VAT credited."""
    vat = round(net * 0.25, 2)
    return voucher(
        fake, day,
        on(DEBTORS, net + vat, contact=contact, description="Faktura"),
        on(SALES, -net, "U25", "Faktura", contact),
        on(SALES_VAT, -vat, "U25", "Faktura", contact),
        voucher_type="Invoice",
    )


def expense(fake: FakeDinero, day: date, gross: float) -> str:
    """A purchase of ``gross`` DKK incl. 25 % VAT paid from the bank."""
    vat = round(gross * 0.2, 2)
    return voucher(
        fake, day,
        on(ADVERTISING, gross - vat, "I25", "Annonce"),
        on(PURCHASE_VAT, vat, "I25", "Annonce"),
        on(BANK, -gross, description="Annonce"),
        voucher_type="Purchases",
    )


def bank_payment(fake: FakeDinero, day: date, amount: float) -> str:
    """A customer's payment: money into the bank off the debtors."""
    return voucher(fake, day, on(BANK, amount, description="Betaling"), on(DEBTORS, -amount, description="Betaling"),
                   voucher_type="Payment")


def small_mixed_books(fake: FakeDinero) -> None:
    """2025: a sale of 1000 + VAT, an advert of 1000 incl. VAT paid from the bank, and at
    year-end 5000 accrued for the audit. 2026: the 2025 invoice paid, a sale of 2000 + VAT."""
    sale(fake, date(2025, 6, 10), 1000)
    expense(fake, date(2025, 9, 1), 1000)
    voucher(fake, date(2025, 12, 31), on(AUDIT, 5000, description="Afsat revisor"),
            on(ACCRUED_AUDIT, -5000, description="Afsat revisor"))
    bank_payment(fake, date(2026, 1, 15), 1250)
    sale(fake, date(2026, 2, 1), 2000)


# The sums of small_mixed_books, by hand (ledger signs: debit positive, credit negative).
HAND_RESULT_2025 = {SALES: -1000.0, ADVERTISING: 800.0, AUDIT: 5000.0}
HAND_BALANCE_2025 = {DEBTORS: 1250.0, BANK: -1000.0, ACCRUED_AUDIT: -5000.0, SALES_VAT: -250.0, PURCHASE_VAT: 200.0}
HAND_PRIMO_2026 = {**HAND_BALANCE_2025, RETAINED_EARNINGS: 4800.0}
HAND_RESULT_2026 = {SALES: -2000.0}
HAND_BALANCE_2026 = {
    DEBTORS: 2500.0, BANK: 250.0, RETAINED_EARNINGS: 4800.0, ACCRUED_AUDIT: -5000.0, SALES_VAT: -750.0,
    PURCHASE_VAT: 200.0,
}


def get_list(api: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    response = api.get(path, params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body, list)
    return body


def entries(api: httpx.Client, start: str, end: str, **params: Any) -> list[dict[str, Any]]:
    return get_list(api, ENTRIES, fromDate=start, toDate=end, **params)


def changes(api: httpx.Client, start: str, end: str, **params: Any) -> list[dict[str, Any]]:
    return get_list(api, CHANGES, changesFrom=start, changesTo=end, **params)


def report(api: httpx.Client, year: str, kind: str, **params: Any) -> list[dict[str, Any]]:
    return get_list(api, f"/v1/{ORG}/{year}/reports/{kind}", **params)


def amounts(lines: list[dict[str, Any]]) -> dict[int, float]:
    """A report's (or entries') amounts by account number, summed."""
    totals: dict[int, float] = {}
    for line in lines:
        totals[line["AccountNumber"]] = round(totals.get(line["AccountNumber"], 0.0) + line["Amount"], 2)
    return totals
