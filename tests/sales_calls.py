"""Calls the sales tests make again and again, through the API as a client would."""

from __future__ import annotations

from typing import Any

import httpx

from fake_dinero import Clock

from .listing_calls import create_contact
from .support import ORG, get_token

INVOICES = f"/v1/{ORG}/invoices"
CREDIT_NOTES = f"/v1/{ORG}/sales/creditnotes"


def line(amount: float = 1000, quantity: float = 1, account: int = 1000, **fields: Any) -> dict[str, Any]:
    """A product line; by default 1 x 1000 DKK on account 1000 (25% VAT)."""
    return {
        "Description": "Konsulentbistand", "Quantity": quantity, "Unit": "hours",
        "AccountNumber": account, "BaseAmountValue": amount, **fields,
    }


def customer(api: httpx.Client, **fields: Any) -> str:
    fields.setdefault("Email", "kunde@example.dk")
    return create_contact(api, fields.pop("Name", "Kunde A/S"), **fields)


def create_invoice(api: httpx.Client, contact: str | None = None, *lines: dict[str, Any], **fields: Any) -> dict:
    """A draft invoice: ``{"Guid", "TimeStamp"}``."""
    body = {"ProductLines": list(lines) or [line()], **fields}
    if contact is not None:
        body["ContactGuid"] = contact
    response = api.post(INVOICES, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def get(api: httpx.Client, path: str) -> dict:
    response = api.get(path)
    assert response.status_code == 200, response.text
    return response.json()


def book(api: httpx.Client, path: str, **fields: Any) -> dict:
    """Book the draft at ``path`` (e.g. ``/v1/123456/invoices/<guid>``) with its current TimeStamp."""
    response = api.post(f"{path}/book", json={"Timestamp": get(api, path)["TimeStamp"], **fields})
    assert response.status_code == 200, response.text
    return response.json()


def booked_invoice(api: httpx.Client, contact: str | None = None, *lines: dict[str, Any], **fields: Any) -> str:
    """The Guid of a booked invoice (for a new customer unless ``contact`` is given)."""
    guid = create_invoice(api, contact or customer(api), *lines, **fields)["Guid"]
    book(api, f"{INVOICES}/{guid}")
    return guid


def pay(api: httpx.Client, path: str, amount: float, **fields: Any) -> httpx.Response:
    body = {
        "Timestamp": get(api, path)["TimeStamp"], "DepositAccountNumber": 55000, "Amount": amount,
        "Description": "Indbetaling", "RemainderIsFee": False, **fields,
    }
    prefix, guid = path.rsplit("/", 1)
    return api.post(f"{prefix}/{guid}/payments", json=body)


def move_clock(api: httpx.Client, clock: Clock, days: float) -> None:
    """Move the fake's clock and log in again (a legacy token lasts an hour)."""
    clock.advance(days=days)
    api.headers["Authorization"] = f"Bearer {get_token(api).json()['access_token']}"
