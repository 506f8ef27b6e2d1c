"""Calls the ledger-item tests make again and again, and how they read the books."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from fake_dinero import World
from fake_dinero.domain import ledger

from .support import ORG
from .voucher_lines import line

ADD = f"/v1.2/{ORG}/ledgeritems"
UPDATE = f"/v1/{ORG}/ledgeritems"
LEDGERS = f"/v1/{ORG}/ledgeritems/ledgers"
BOOK = f"/v1/{ORG}/ledgeritems/book"
STATUS = f"/v1/{ORG}/ledgeritems/status"
DELETE = f"/v1/{ORG}/ledgeritems/delete"

UNKNOWN_ID = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"
STALE_VERSION = "AAAAAAAAAAAB"


def sale(amount: float = 1000) -> dict[str, Any]:
    """Cash sale: into the bank (55000) from sales (1000) with U25; ``amount`` excludes VAT."""
    return line(amount, 55000, 1000, BalancingAccountVatCode="U25")


def expense(amount: float = 500) -> dict[str, Any]:
    """Goods (2000, I25) paid from the bank (55000); ``amount`` includes VAT."""
    return line(amount, 2000, 55000, AccountVatCode="I25")


def item(*lines: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"Lines": list(lines) or [sale()], **fields}


def adding(api: httpx.Client, *items: dict[str, Any]) -> httpx.Response:
    return api.post(ADD, json=list(items) or [item()])


def add(api: httpx.Client, *items: dict[str, Any]) -> dict[str, Any]:
    """Post one item and answer its {Id, Version}."""
    response = adding(api, *items)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert isinstance(answer, dict), answer
    return answer


def read(api: httpx.Client, *refs: dict[str, Any]) -> list[dict[str, Any]]:
    response = api.post(LEDGERS, json=[{"Id": ref["Id"]} for ref in refs])
    assert response.status_code == 200, response.text
    return response.json()


def updating(api: httpx.Client, *items: dict[str, Any]) -> httpx.Response:
    return api.put(UPDATE, json=list(items))


def booking(api: httpx.Client, *refs: dict[str, Any]) -> httpx.Response:
    return api.post(BOOK, json=[{"Id": ref["Id"], "Version": ref.get("Version")} for ref in refs])


def book(api: httpx.Client, *refs: dict[str, Any]) -> None:
    response = booking(api, *refs)
    assert response.status_code == 200, response.text
    assert response.content == b""


def status(api: httpx.Client, ref: dict[str, Any]) -> dict[str, Any]:
    response = api.post(STATUS, json=[{"Id": ref["Id"]}])
    assert response.status_code == 200, response.text
    [answer] = response.json()
    return answer


def deleting(api: httpx.Client, *refs: dict[str, Any]) -> httpx.Response:
    return api.request("DELETE", DELETE, json=[{"Id": ref["Id"], "Version": ref.get("Version")} for ref in refs])


def entries_of(world: World, voucher_guid: str) -> list[tuple[int, Decimal, str | None]]:
    """(account, amount, VAT code) of a voucher's entries, as posted (due bookings first)."""
    return [
        (row.data.AccountNumber, row.data.Amount, row.data.VatCode)
        for row in ledger.entries(world.organizations[ORG])
        if row.data.VoucherGuid == voucher_guid
    ]
