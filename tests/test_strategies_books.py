"""fake_dinero.contracts.strategies for the books: every manual voucher and ledger item
it draws is accepted and books in balance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fake_dinero.contracts.strategies import (
    balanced_lines,
    deposit_accounts,
    ledger_item_bodies,
    manual_voucher_bodies,
)

from .strategy_calls import LEDGER_ITEMS, MANUAL, YEARS, booked, fresh, named, ok, posted, voucher_entries

examples = settings(max_examples=20, deadline=None, database=None)


def total(entries: list[dict[str, Any]]) -> Decimal:
    return sum((Decimal(str(entry["Amount"])) for entry in entries), Decimal(0))


@examples
@given(body=manual_voucher_bodies(years=YEARS, casing=None))
def test_manual_voucher_bodies_are_accepted_and_book_in_balance(body: dict[str, Any]) -> None:
    with fresh() as (_, client):
        draft = posted(client, MANUAL, body)
        assert len(draft["Lines"]) == len(named(body, "Lines"))
        voucher = booked(client, MANUAL, draft)
        assert voucher["Status"] == "Booked"
        entries = voucher_entries(client, voucher["Guid"])
        assert entries and total(entries) == 0


@settings(max_examples=15, deadline=None, database=None)
@given(data=st.data())
def test_manual_voucher_bodies_with_a_timestamp_replace_the_draft(data: st.DataObject) -> None:
    with fresh() as (_, client):
        draft = posted(client, MANUAL, data.draw(manual_voucher_bodies(years=YEARS)))
        update = data.draw(manual_voucher_bodies(years=YEARS, casing="lower", timestamp=draft["Timestamp"]))
        changed = ok(client.put(f"{MANUAL}/{draft['Guid']}", json=update))
        assert len(changed["Lines"]) == len(update["lines"])
        booked(client, MANUAL, changed)


@examples
@given(body=ledger_item_bodies(years=YEARS, casing=None))
def test_ledger_item_bodies_are_accepted_and_book_in_balance(body: list[dict[str, Any]]) -> None:
    with fresh() as (dinero, client):
        answer = posted(client, LEDGER_ITEMS, body)
        refs = answer if isinstance(answer, list) else [answer]
        assert len(refs) == len(body)
        ok(client.post("/v1/123456/ledgeritems/book", json=refs))
        dinero.advance(5)  # Dinero books ledger items in the background
        client.headers.update(dinero.headers())
        statuses = ok(client.post("/v1/123456/ledgeritems/status", json=[{"Id": ref["Id"]} for ref in refs]))
        assert {status["Status"] for status in statuses} == {"Booked"}
        for ref in refs:
            assert total(voucher_entries(client, ref["Id"])) == 0


def test_balanced_lines_use_the_chart_and_the_deposit_accounts_given() -> None:
    @settings(max_examples=50, database=None)
    @given(lines=balanced_lines(deposits=[55010]), lower=balanced_lines(casing="lower", max_lines=1))
    def check(lines: list[dict[str, Any]], lower: list[dict[str, Any]]) -> None:
        assert all(line.get("AccountNumber") or line.get("BalancingAccountNumber") for line in lines)
        deposits = {line.get(side) for line in lines for side in ("AccountNumber", "BalancingAccountNumber")}
        assert not (deposits & set(deposit_accounts())) - {55010}
        assert all(key == key.lower() for line in lower for key in line)
        assert 1 <= len(lower) <= 2

    check()
