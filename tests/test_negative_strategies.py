"""fake_dinero.contracts.strategies ``refused_*``: the fake answers every drawn body
with exactly the status and error code the strategy pairs it with, on create or
when the draft is booked, and never with a 500. Every flaw each strategy names is
posted (``REFUSALS``), and each strategy as a whole too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_dinero.contracts import strategies
from fake_dinero.contracts.strategies import REFUSALS, Refused, invoice_bodies, refused_payment_bodies

from .strategy_calls import (
    CONTACTS,
    INVOICES,
    LEDGER_ITEMS,
    MANUAL,
    PRODUCTS,
    PURCHASES,
    PURCHASES_V12,
    YEARS,
    booked,
    created,
    fresh,
    ok,
)
from .support import dinero_error


def refused_as_said(response: httpx.Response, refused: Refused) -> None:
    assert (response.status_code, response.json().get("code")) == (refused.status, refused.code), (
        refused.flaw, refused.body, response.text,
    )
    dinero_error(response, refused.status, refused.code)


def create_then_book(client: httpx.Client, path: str, book_path: str, refused: Refused) -> None:
    """Post the body: refused at once (stage create), or made and refused when booked."""
    response = client.post(path, json=refused.body)
    if refused.stage == "create":
        refused_as_said(response, refused)
        return
    draft = ok(response)
    stamp = draft.get("TimeStamp") or draft.get("Timestamp")
    refused_as_said(client.post(f"{book_path}/{draft['Guid']}/book", json={"Timestamp": stamp}), refused)


def at(path: str, book_path: str | None = None) -> Callable[[httpx.Client, Refused], None]:
    return lambda client, refused: create_then_book(client, path, book_path or path, refused)


POSTS: dict[str, Callable[[httpx.Client, Refused], None]] = {
    "refused_contact_bodies": at(CONTACTS),
    "refused_product_bodies": at(PRODUCTS),
    "refused_invoice_bodies": at(INVOICES),
    "refused_manual_voucher_bodies": at(MANUAL),
    "refused_ledger_item_bodies": at(LEDGER_ITEMS),
    "refused_purchase_voucher_bodies": at(PURCHASES_V12, PURCHASES),
}
"""Where each strategy's bodies go (payments need a booked invoice first: below)."""


def draw(name: str, data: st.DataObject, only: str | None) -> Refused:
    make = getattr(strategies, name)
    options: dict[str, Any] = {"casing": None, "only": only}
    if name not in ("refused_contact_bodies", "refused_product_bodies", "refused_ledger_item_bodies"):
        options["years"] = YEARS
    refused: Refused = data.draw(make(**options), label="refused")
    assert only is None or refused.flaw == only
    return refused


def pay_refused(client: httpx.Client, data: st.DataObject, flaws: list[str | None]) -> None:
    """Pay a booked invoice (in EUR when a flaw needs another currency than DKK) with
    a refused body for each of ``flaws``."""
    currency = {"Currency": "EUR"} if "no_foreign_amount" in flaws else {}
    body = {**data.draw(invoice_bodies(years=YEARS), label="invoice"), **currency}
    invoice = booked(client, INVOICES, created(client, INVOICES, body))
    for flaw in flaws:
        refused = data.draw(refused_payment_bodies(invoice, years=YEARS, only=flaw, casing=None), label="refused")
        refused_as_said(client.post(f"{INVOICES}/{invoice['Guid']}/payments", json=refused.body), refused)


def check(name: str, data: st.DataObject, flaws: list[str | None]) -> None:
    """One fresh fake; a refused body for each of ``flaws`` (``None``: any flaw)."""
    with fresh() as (_, client):
        if name == "refused_payment_bodies":
            pay_refused(client, data, flaws)
            return
        for flaw in flaws:
            POSTS[name](client, draw(name, data, flaw))


NAMES = pytest.mark.parametrize("name", REFUSALS, ids=[name[8:-7] for name in REFUSALS])


@NAMES
@settings(max_examples=3, deadline=None, database=None)
@given(data=st.data())
def test_each_flaw_gets_the_answer_it_is_paired_with(name: str, data: st.DataObject) -> None:
    """A body of every flaw the strategy names, in one fake (what a refusal leaves
    behind, a draft at most, changes no other refusal)."""
    check(name, data, list(REFUSALS[name]))


@NAMES
@settings(max_examples=10, deadline=None, database=None)
@given(data=st.data())
def test_any_flaw_gets_the_answer_it_is_paired_with(name: str, data: st.DataObject) -> None:
    check(name, data, [None])


def test_only_names_flaws_the_strategy_has() -> None:
    with pytest.raises(ValueError, match="no flaw nonsense; it has no_name"):
        strategies.refused_contact_bodies(only=["nonsense"])
