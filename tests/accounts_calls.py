"""Calls the chart-of-accounts tests make again and again, through the API as a client would."""

from __future__ import annotations

from typing import Any

import httpx

from .support import ORG

ENTRY_ACCOUNTS = f"/v1/{ORG}/accounts/entry"
PURCHASE_ACCOUNTS = f"/v1/{ORG}/accounts/purchase"
DEPOSIT_ACCOUNTS = f"/v1/{ORG}/accounts/deposit"
ACCOUNTING_YEARS = f"/v1/{ORG}/accountingyears"
VAT_TYPES = f"/v1/{ORG}/vatTypes"


def listed(api: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    """A plain-array list; it must answer 200."""
    response = api.get(path, params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body, list), body
    return body


def by_number(accounts: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {account["AccountNumber"]: account for account in accounts}


def create_entry_account(api: httpx.Client, number: int, name: str = "Salg", vat_code: str = "U25") -> None:
    response = api.post(ENTRY_ACCOUNTS, json={"Number": number, "Name": name, "VatCode": vat_code})
    assert response.status_code == 200, response.text


def create_deposit_account(api: httpx.Client, number: int, name: str = "Stripe", **fields: Any) -> None:
    response = api.post(DEPOSIT_ACCOUNTS, json={"Number": number, "Name": name, **fields})
    assert response.status_code == 200, response.text
