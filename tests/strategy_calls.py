"""What the strategy tests share: a fresh fake per example with the demo contact, and
the calls that post a drawn body, book it and read it back."""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from fake_dinero import Dinero, fresh_dinero
from fake_dinero.contracts.strategies import add_demo_contact

from .support import ORG, START

YEARS = (2025, 2026)
"""The demo organization's accounting years on the tests' clock (START)."""

INVOICES = f"/v1/{ORG}/invoices"
CREDIT_NOTES = f"/v1/{ORG}/sales/creditnotes"
TRADE_OFFERS = f"/v1/{ORG}/tradeoffers"
MANUAL = f"/v1/{ORG}/vouchers/manuel"
LEDGER_ITEMS = f"/v1.2/{ORG}/ledgeritems"
PURCHASES = f"/v1/{ORG}/vouchers/purchase"
PURCHASES_V12 = f"/v1.2/{ORG}/vouchers/purchase"
PURCHASE_CREDIT_NOTES = f"/v1/{ORG}/vouchers/purchase/creditnotes"
CONTACTS = f"/v1/{ORG}/contacts"
PRODUCTS = f"/v1/{ORG}/products"


TLS = ssl.create_default_context()
"""One TLS context for every client: making one loads the CA certificates (25 ms), which
would cost more than the fake's answers. The in-process door never uses it."""


@contextmanager
def fresh(*, demo_contact: bool = True, **options: Any) -> Iterator[tuple[Dinero, httpx.Client]]:
    """A fresh fake on the tests' clock (with the demo contact), and a logged-in client."""
    with fresh_dinero(clock_start=START, rate_limit=None, **options) as dinero:
        if demo_contact:
            add_demo_contact(dinero)
        with httpx.Client(base_url=dinero.base_url, headers=dinero.headers(), verify=TLS) as client:
            yield dinero, client


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, (response.request.method, response.request.url, response.text)
    return response.json() if response.content else None


def assert_json_ready(body: Any) -> None:
    """Plain JSON types, encodable as UTF-8 (no lone surrogates)."""
    assert json.loads(json.dumps(body, ensure_ascii=False).encode("utf-8")) == body


def posted(client: httpx.Client, path: str, body: Any) -> Any:
    assert_json_ready(body)
    return ok(client.post(path, json=body))


def created(client: httpx.Client, path: str, body: Any) -> dict[str, Any]:
    """Post a draft and read it back (the answer's Guid, or its own read model)."""
    answer = posted(client, path, body)
    return ok(client.get(f"{path.replace('/v1.2/', '/v1/')}/{answer['Guid']}"))


def booked(client: httpx.Client, path: str, document: dict[str, Any]) -> dict[str, Any]:
    """Book a draft read back from ``path`` with its current Timestamp; the booked document."""
    stamp = document.get("TimeStamp") or document["Timestamp"]
    return ok(client.post(f"{path}/{document['Guid']}/book", json={"Timestamp": stamp}))


def voucher_entries(client: httpx.Client, guid: str) -> list[dict[str, Any]]:
    """The entries of one voucher in the demo years."""
    found = []
    for year in YEARS:
        entries = ok(client.get(f"/v1/{ORG}/entries", params={
            "fromDate": f"{year}-01-01", "toDate": f"{year}-12-31", "includePrimo": "false",
        }))
        found += [entry for entry in entries if entry["VoucherGuid"] == guid]
    return found


def named(body: dict[str, Any], name: str) -> Any:
    """A property of ``body`` in whatever casing it was drawn."""
    return next((value for key, value in body.items() if key.lower() == name.lower()), None)
