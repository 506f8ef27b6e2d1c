"""Calls and fixtures the reminder tests share.

Every reminder test starts from a booked invoice of 1,000 excl. / 1,250 incl. VAT
dated 2026-03-02, Netto 8 days (due 2026-03-10); ``overdue`` moves the clock to
2026-03-12 so it is overdue, and logs in again (the legacy token lasts an hour).
"""
from __future__ import annotations

from typing import Any

import httpx
import pytest

from fake_dinero import Clock

from .support import ORG, get_token

CONTACTS = f"/v1/{ORG}/contacts"
INVOICES = f"/v1/{ORG}/invoices"
UNKNOWN_GUID = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"
VALID_EAN = "5790000000005"
TODAY = "2026-03-12"


def create_contact(api: httpx.Client, **fields: Any) -> str:
    body = {"Name": "Hansen ApS", "CountryKey": "DK", "Email": "kontakt@hansen.dk", **fields}
    response = api.post(CONTACTS, json=body)
    assert response.status_code == 200, response.text
    return response.json()["ContactGuid"]


def draft_invoice(api: httpx.Client, contact: str | None = None, **fields: Any) -> str:
    line = {"Description": "X", "Quantity": 1, "Unit": "parts", "AccountNumber": 1000, "BaseAmountValue": 1000}
    body = {"ContactGuid": contact or create_contact(api), "ProductLines": [line], **fields}
    response = api.post(INVOICES, json=body)
    assert response.status_code == 200, response.text
    return response.json()["Guid"]


def booked_invoice(api: httpx.Client, contact: str | None = None, **fields: Any) -> str:
    guid = draft_invoice(api, contact, **fields)
    response = api.post(f"{INVOICES}/{guid}/book", json={"Timestamp": invoice(api, guid)["TimeStamp"]})
    assert response.status_code == 200, response.text
    return guid


def advance(api: httpx.Client, clock: Clock, days: int) -> None:
    """Move the clock and log in again: the legacy token lasts an hour."""
    clock.advance(days=days)
    api.headers["Authorization"] = f"Bearer {get_token(api).json()['access_token']}"


def invoice(api: httpx.Client, guid: str) -> dict[str, Any]:
    response = api.get(f"{INVOICES}/{guid}")
    assert response.status_code == 200, response.text
    return response.json()


def reminders(guid: str) -> str:
    return f"{INVOICES}/{guid}/reminders"


def add(api: httpx.Client, guid: str, date: str = TODAY, **fields: Any) -> httpx.Response:
    body = {"Timestamp": invoice(api, guid)["TimeStamp"], "Date": date, "WithFee": True, **fields}
    return api.post(reminders(guid), json=body)


def added(api: httpx.Client, guid: str, date: str = TODAY, **fields: Any) -> dict[str, Any]:
    response = add(api, guid, date, **fields)
    assert response.status_code == 200, response.text
    return response.json()


def book(api: httpx.Client, guid: str, reminder: dict[str, Any]) -> dict[str, Any]:
    response = api.post(f"{reminders(guid)}/{reminder['Id']}/book", json={"Timestamp": reminder["Timestamp"]})
    assert response.status_code == 200, response.text
    return response.json()


def three_booked(api: httpx.Client, guid: str) -> list[dict[str, Any]]:
    return [book(api, guid, added(api, guid, date)) for date in ("2026-03-12", "2026-03-22", "2026-04-01")]


def listed(api: httpx.Client, guid: str, **params: str) -> list[dict[str, Any]]:
    response = api.get(reminders(guid), params=params)
    assert response.status_code == 200, response.text
    return response.json()


def owed(api: httpx.Client, guid: str) -> float:
    return api.get(f"/v2/{ORG}/invoices/{guid}/payments").json()["InvoiceTotalIncludingReminderExpenses"]


def mailouts(api: httpx.Client, guid: str) -> list[dict[str, Any]]:
    response = api.get(f"{INVOICES}/{guid}/mailouts")
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(name="overdue")
def overdue_invoice(api: httpx.Client, clock: Clock) -> str:
    """An invoice booked on 2026-03-02, overdue since the clock moved to 2026-03-12."""
    guid = booked_invoice(api)
    advance(api, clock, 10)
    return guid
