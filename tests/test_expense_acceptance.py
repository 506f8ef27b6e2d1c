"""An expense integration end to end: upload a receipt, book it as a credit purchase,
see it Overdue, pay it, credit part of it, and find it all in the books."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from fake_dinero import Clock, FakeDinero, World
from fake_dinero.live import LiveServer

from .books_calls import amounts, entries, report
from .file_calls import FILES, PDF, listed, upload
from .purchase_calls import (
    CREATE_V12,
    PURCHASES,
    book,
    book_credit_note,
    cost,
    credit,
    credit_note_created,
    get,
    pay,
    supplier,
    voucher_amounts,
)
from .sales_calls import move_clock
from .support import ORG, requests_session

CREDITORS = 63000
PURCHASE_VAT = 64060
GOODS = 2000
BANK = 55000


def _status(api: httpx.Client, file_guid: str) -> str:
    used = {item["FileGuid"] for item in listed(api, fileStatus="Used")}
    unused = {item["FileGuid"] for item in listed(api, fileStatus="Unused")}
    return "Used" if file_guid in used else "Unused" if file_guid in unused else "missing"


@pytest.fixture
def walk(api: httpx.Client, clock: Clock) -> dict[str, Any]:
    """The expense, step by step, with what a client sees after each step."""
    seen: dict[str, Any] = {}
    receipt = upload(api, "kvittering.pdf", PDF)
    seen["file after upload"] = _status(api, receipt)
    contact = supplier(api, "Kontorartikler A/S")
    purchase = book(api, credit(api, cost(1250), contact=contact, FileGuid=receipt, PaymentDate="2026-03-10"))
    seen["file after booking"] = _status(api, receipt)
    seen["status after booking"] = purchase["Status"]
    move_clock(api, clock, days=10)
    seen["status after its payment date"] = get(api, purchase["Guid"])["Status"]
    payment = pay(api, purchase, 1250)
    seen["status after payment"] = get(api, purchase["Guid"])["Status"]
    note = credit_note_created(api, cost(250), ContactGuid=contact, FileGuid=receipt).json()["Guid"]
    assert book_credit_note(api, note).status_code == 200
    seen.update(receipt=receipt, contact=contact, purchase=purchase["Guid"], payment=payment, credit_note=note)
    seen["entries"] = entries(api, "2026-03-01", "2026-03-31")
    seen["saldo"] = amounts(report(api, "2026", "saldo"))
    return seen


def test_an_uploaded_receipt_is_unused_until_a_purchase_refers_to_it(walk: dict[str, Any]) -> None:
    assert (walk["file after upload"], walk["file after booking"]) == ("Unused", "Used")


def test_the_purchase_is_booked_then_overdue_then_paid(walk: dict[str, Any]) -> None:
    assert (walk["status after booking"], walk["status after its payment date"], walk["status after payment"]) == (
        "Booked", "Overdue", "Paid",
    )


def test_the_purchase_and_its_payment_are_in_the_entries(walk: dict[str, Any]) -> None:
    booked, paid = walk["purchase"], walk["payment"]["RelatedVoucherGuid"]
    assert voucher_amounts(walk["entries"], booked) == {GOODS: 1000.0, PURCHASE_VAT: 250.0, CREDITORS: -1250.0}
    assert voucher_amounts(walk["entries"], paid) == {CREDITORS: 1250.0, BANK: -1250.0}


def test_the_purchase_entries_carry_the_receipt(walk: dict[str, Any]) -> None:
    files = {entry["FileGuid"] for entry in walk["entries"] if entry["VoucherGuid"] == walk["purchase"]}
    assert files == {walk["receipt"]}


def test_the_credit_note_reverses_part_of_the_purchase(walk: dict[str, Any]) -> None:
    credited = voucher_amounts(walk["entries"], walk["credit_note"])
    assert credited == {GOODS: -200.0, PURCHASE_VAT: -50.0, CREDITORS: 250.0}


def test_the_saldo_report_shows_the_net_expense_and_what_the_supplier_owes_back(walk: dict[str, Any]) -> None:
    saldo = walk["saldo"]
    assert (saldo[GOODS], saldo[PURCHASE_VAT], saldo[CREDITORS], saldo[BANK]) == (800.0, 200.0, 250.0, -1250.0)


def test_the_trial_balance_stays_zero(walk: dict[str, Any]) -> None:
    assert round(sum(walk["saldo"].values()), 2) == 0


def test_the_state_of_account_shows_the_expense(api: httpx.Client, walk: dict[str, Any]) -> None:
    statement = api.get(f"/v1/{ORG}/state-of-account/{walk['contact']}").json()
    assert statement["Expenses"] == 1000.0


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with LiveServer(FakeDinero(World.with_demo(seed=3))) as live:
        yield live


def test_a_receipt_uploaded_with_requests_is_used_by_a_purchase_over_the_live_server(server: LiveServer) -> None:
    with requests_session(server.base_url) as session:
        base = server.base_url
        uploaded = session.post(f"{base}{FILES}", files={"file": ("bilag.pdf", PDF, "application/pdf")}, timeout=10)
        assert uploaded.status_code == 200, uploaded.text
        receipt = uploaded.json()["FileGuid"]
        body = {"PurchaseType": "cash", "DepositAccountNumber": BANK, "FileGuid": receipt, "Lines": [cost(100)]}
        draft = session.post(f"{base}{CREATE_V12}", json=body, timeout=10).json()
        booked = session.post(
            f"{base}{PURCHASES}/{draft['Guid']}/book", json={"Timestamp": draft["Timestamp"]}, timeout=10
        )
        assert booked.json()["Status"] == "Paid"
        used = session.get(f"{base}{FILES}", params={"fileStatus": "Used"}, timeout=10).json()
    assert [item["FileGuid"] for item in used] == [receipt]
