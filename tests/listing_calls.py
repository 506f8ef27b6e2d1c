"""Calls the list tests make again and again, through the API as a client would."""

from __future__ import annotations

from typing import Any

import httpx

from .support import ORG

CONTACTS = f"/v1/{ORG}/contacts"
CONTACTS_V2 = f"/v2/{ORG}/contacts"
PRODUCTS = f"/v1/{ORG}/products"

def create_contact(api: httpx.Client, name: str, **fields: Any) -> str:
    response = api.post(CONTACTS, json={"Name": name, "CountryKey": "DK", **fields})
    assert response.status_code == 200, response.text
    return response.json()["ContactGuid"]


def create_product(api: httpx.Client, name: str, **fields: Any) -> str:
    body = {"Name": name, "BaseAmountValue": 100, "Quantity": 1, "AccountNumber": 1000, "Unit": "parts", **fields}
    response = api.post(PRODUCTS, json=body)
    assert response.status_code == 200, response.text
    return response.json()["ProductGuid"]


def update_product(api: httpx.Client, guid: str, name: str) -> None:
    body = {"Name": name, "BaseAmountValue": 100, "Quantity": 1, "AccountNumber": 1000, "Unit": "parts"}
    response = api.put(f"{PRODUCTS}/{guid}", json=body)
    assert response.status_code == 200, response.text


def delete_contact(api: httpx.Client, guid: str) -> None:
    response = api.delete(f"{CONTACTS}/{guid}")
    assert response.status_code == 200, response.text


def listing(api: httpx.Client, path: str = CONTACTS, **params: Any) -> dict[str, Any]:
    response = api.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def names(api: httpx.Client, path: str = CONTACTS, **params: Any) -> list[str]:
    """The Name of every item on the page, in list order."""
    params.setdefault("fields", "Name")
    return [item["Name"] for item in listing(api, path, **params)["Collection"]]
