"""Calls the manual-voucher tests make again and again, and how they read the books."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from fake_dinero import World
from fake_dinero.domain import ledger

from .support import ORG
from .voucher_lines import line

MANUAL = f"/v1/{ORG}/vouchers/manuel"


def sale(amount: float = 100) -> dict[str, Any]:
    """Cash sale: into the bank (55000) from sales (1000) with U25 on the balancing account."""
    return line(amount, 55000, 1000, BalancingAccountVatCode="U25")


def expense(amount: float = 100) -> dict[str, Any]:
    """Goods (2000, I25) paid from the bank (55000)."""
    return line(amount, 2000, 55000, AccountVatCode="I25")


def created(api: httpx.Client, *lines: dict[str, Any], **fields: Any) -> httpx.Response:
    return api.post(MANUAL, json={"Lines": list(lines), **fields})


def create(api: httpx.Client, *lines: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A draft (the read model); one sale line unless ``lines`` are given."""
    response = created(api, *(lines or (sale(),)), **fields)
    assert response.status_code == 200, response.text
    return response.json()


def get(api: httpx.Client, guid: str) -> dict[str, Any]:
    response = api.get(f"{MANUAL}/{guid}")
    assert response.status_code == 200, response.text
    return response.json()


def timestamp(api: httpx.Client, guid: str) -> str:
    return get(api, guid)["Timestamp"]


def booking(api: httpx.Client, guid: str, **fields: Any) -> httpx.Response:
    """Book with the current Timestamp unless ``fields`` give one."""
    fields.setdefault("Timestamp", timestamp(api, guid))
    return api.post(f"{MANUAL}/{guid}/book", json=fields)


def book(api: httpx.Client, guid: str, **fields: Any) -> dict[str, Any]:
    response = booking(api, guid, **fields)
    assert response.status_code == 200, response.text
    return response.json()


def booked(api: httpx.Client, *lines: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A booked voucher (the read model)."""
    return book(api, create(api, *lines, **fields)["Guid"])


def updating(api: httpx.Client, guid: str, **fields: Any) -> httpx.Response:
    fields.setdefault("Timestamp", timestamp(api, guid))
    return api.put(f"{MANUAL}/{guid}", json=fields)


def deleting(api: httpx.Client, guid: str, **fields: Any) -> httpx.Response:
    fields.setdefault("Timestamp", timestamp(api, guid))
    return api.request("DELETE", f"{MANUAL}/{guid}", json=fields)


def entries_of(world: World, guid: str, reversal: bool = False) -> list[tuple[int, Decimal]]:
    """The voucher's entries as (account, amount), sorted: the originals, or the reversal's."""
    organization = world.organizations[ORG]
    return sorted(
        (row.data.AccountNumber, row.data.Amount)
        for row in ledger.entries(organization)
        if row.data.VoucherGuid == guid and row.data.Reversal == reversal
    )


def entry_numbers(world: World, guid: str) -> set[int | None]:
    """The VoucherNumbers the voucher's entries carry."""
    return {row.data.VoucherNumber for row in ledger.entries(world.organizations[ORG]) if row.data.VoucherGuid == guid}


def balances(world: World, *accounts: int) -> dict[int, Decimal]:
    """The trial balance of ``accounts``: every entry ever posted on them."""
    organization = world.organizations[ORG]
    return {account: ledger.balance(organization, account) for account in accounts}
