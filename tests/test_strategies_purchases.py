"""fake_dinero.contracts.strategies for purchases: every purchase voucher (cash and
credit) and purchase credit note it draws is accepted and books in balance; every
purchase payment body is accepted for the booked purchase it was drawn for."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_dinero.contracts.strategies import (
    REGION_CODES,
    purchase_accounts,
    purchase_credit_note_bodies,
    purchase_lines,
    purchase_payment_bodies,
    purchase_voucher_bodies,
)

from .strategy_calls import (
    PURCHASE_CREDIT_NOTES,
    PURCHASES,
    PURCHASES_V12,
    YEARS,
    booked,
    created,
    fresh,
    named,
    ok,
    posted,
    voucher_entries,
)

examples = settings(max_examples=20, deadline=None, database=None)


def total(entries: list[dict[str, Any]]) -> Decimal:
    return sum((Decimal(str(entry["Amount"])) for entry in entries), Decimal(0))


def payments_path(guid: str) -> str:
    return f"/v1/123456/purchase-vouchers/{guid}/payments"


@pytest.mark.parametrize("kind", ["cash", "credit"])
@examples
@given(data=st.data())
def test_purchase_voucher_bodies_are_accepted_and_book_in_balance(kind: str, data: st.DataObject) -> None:
    body = data.draw(purchase_voucher_bodies(kind, years=YEARS, casing=None), label="body")  # type: ignore[arg-type]
    with fresh() as (_, client):
        draft = posted(client, PURCHASES_V12, body)
        assert draft["PurchaseType"] == kind
        assert len(draft["Lines"]) == len(named(body, "Lines"))
        purchase = booked(client, PURCHASES, draft)
        assert purchase["Status"] in (("Paid",) if kind == "cash" else ("Booked", "Overdue"))
        assert total(voucher_entries(client, purchase["Guid"])) == 0


@settings(max_examples=15, deadline=None, database=None)
@given(data=st.data())
def test_purchase_voucher_bodies_with_a_timestamp_replace_the_draft(data: st.DataObject) -> None:
    with fresh() as (_, client):
        draft = posted(client, PURCHASES_V12, data.draw(purchase_voucher_bodies(years=YEARS)))
        update = data.draw(purchase_voucher_bodies(years=YEARS, timestamp=draft["Timestamp"], casing="camel"))
        booked(client, PURCHASES, ok(client.put(f"{PURCHASES}/{draft['Guid']}", json=update)))


@examples
@given(data=st.data())
def test_purchase_credit_note_bodies_are_accepted_alone_and_for_a_booked_purchase(data: st.DataObject) -> None:
    with fresh() as (_, client):
        purchase = booked(client, PURCHASES, posted(client, PURCHASES_V12, data.draw(purchase_voucher_bodies(
            years=YEARS))))
        credit_for = data.draw(st.sampled_from([None, purchase]), label="credit_note_for")
        body = data.draw(purchase_credit_note_bodies(credit_note_for=credit_for, years=YEARS, casing=None))
        note = created(client, PURCHASE_CREDIT_NOTES, body)
        assert note["CreditNoteFor"] == (credit_for and credit_for["Guid"])
        assert booked(client, PURCHASE_CREDIT_NOTES, note)["Status"] == "Booked"
        assert total(voucher_entries(client, note["Guid"])) == 0


@examples
@given(data=st.data())
def test_purchase_payment_bodies_pay_a_credit_purchase_or_refund_a_credit_note(data: st.DataObject) -> None:
    with fresh() as (_, client):
        if data.draw(st.booleans(), label="refund"):
            note = created(client, PURCHASE_CREDIT_NOTES, data.draw(purchase_credit_note_bodies(years=YEARS)))
            booked(client, PURCHASE_CREDIT_NOTES, note)
            document = ok(client.get(f"{PURCHASE_CREDIT_NOTES}/{note['Guid']}"))
        else:
            draft = posted(client, PURCHASES_V12, data.draw(purchase_voucher_bodies("credit", years=YEARS)))
            document = booked(client, PURCHASES, draft)
        body = data.draw(purchase_payment_bodies(document, years=YEARS, casing=None), label="payment")
        paid = posted(client, payments_path(document["Guid"]), body)
        assert total(voucher_entries(client, paid["RelatedVoucherGuid"])) == 0


def test_purchase_lines_fit_their_region_and_use_expense_accounts() -> None:
    @settings(max_examples=60, database=None)
    @given(region=st.sampled_from(["DK", "EU", "World"]), data=st.data())
    def check(region: str, data: st.DataObject) -> None:
        lines = data.draw(purchase_lines(region=region))  # type: ignore[arg-type]
        assert all(line["AccountNumber"] in purchase_accounts() for line in lines)
        assert all(line.get("VatCode") in (None, *REGION_CODES[region]) for line in lines)

    check()
