"""Calls the purchase tests make again and again: suppliers, purchases, credit notes, payments."""

from __future__ import annotations

from typing import Any

import httpx

from .support import ORG

PURCHASES = f"/v1/{ORG}/vouchers/purchase"
CREATE_V11 = f"/v1.1/{ORG}/vouchers/purchase"
CREATE_V12 = f"/v1.2/{ORG}/vouchers/purchase"
CREDIT_NOTES = f"/v1/{ORG}/vouchers/purchase/creditnotes"
BANK = 55000
GOODS = 2000
"""Vareforbrug: a purchase account whose own VAT code is I25."""


def payments_path(guid: str) -> str:
    return f"/v1/{ORG}/purchase-vouchers/{guid}/payments"


def cost(amount: float = 1250, account: int | None = GOODS, **fields: Any) -> dict[str, Any]:
    """A purchase line costing ``amount`` incl. VAT."""
    body: dict[str, Any] = {"Description": "Varer", "Amount": amount, **fields}
    if account is not None:
        body["AccountNumber"] = account
    return body


def supplier(api: httpx.Client, name: str = "Leverandør ApS") -> str:
    response = api.post(f"/v1/{ORG}/contacts", json={"Name": name, "CountryKey": "DK", "IsPerson": False})
    assert response.status_code == 200, response.text
    return str(response.json()["ContactGuid"])


def created(api: httpx.Client, *lines: dict[str, Any], path: str = CREATE_V12, **fields: Any) -> httpx.Response:
    return api.post(path, json={"Lines": list(lines or (cost(),)), **fields})


def cash(api: httpx.Client, *lines: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A cash purchase draft paid from the bank (the read model)."""
    fields = {"PurchaseType": "cash", "DepositAccountNumber": BANK, "VoucherDate": "2026-03-01", **fields}
    response = created(api, *lines, **fields)
    assert response.status_code == 200, response.text
    return dict(response.json())


def credit(api: httpx.Client, *lines: dict[str, Any], contact: str | None = None, **fields: Any) -> dict[str, Any]:
    """A credit purchase draft from a new supplier, due 2026-03-10 (the read model)."""
    fields = {
        "PurchaseType": "credit", "ContactGuid": contact or supplier(api), "VoucherDate": "2026-03-01",
        "PaymentDate": "2026-03-10", **fields,
    }
    response = created(api, *lines, **fields)
    assert response.status_code == 200, response.text
    return dict(response.json())


def get(api: httpx.Client, guid: str) -> dict[str, Any]:
    response = api.get(f"{PURCHASES}/{guid}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def booking(api: httpx.Client, voucher: dict[str, Any], **fields: Any) -> httpx.Response:
    return api.post(f"{PURCHASES}/{voucher['Guid']}/book", json={"Timestamp": voucher["Timestamp"], **fields})


def book(api: httpx.Client, voucher: dict[str, Any], **fields: Any) -> dict[str, Any]:
    response = booking(api, voucher, **fields)
    assert response.status_code == 200, response.text
    return dict(response.json())


def paying(api: httpx.Client, guid: str, amount: float, timestamp: str, **fields: Any) -> httpx.Response:
    body = {
        "Timestamp": timestamp, "DepositAccountNumber": BANK, "Amount": amount, "Description": "Betaling",
        "RemainderIsFee": False, **fields,
    }
    return api.post(payments_path(guid), json=body)


def pay(api: httpx.Client, voucher: dict[str, Any], amount: float, **fields: Any) -> dict[str, Any]:
    """Pay the purchase with its current Timestamp; the CreatedPaymentResponse."""
    response = paying(api, voucher["Guid"], amount, get(api, voucher["Guid"])["Timestamp"], **fields)
    assert response.status_code == 200, response.text
    return dict(response.json())


def credit_note_created(api: httpx.Client, *lines: dict[str, Any], **fields: Any) -> httpx.Response:
    return api.post(CREDIT_NOTES, json={"Lines": list(lines or (cost(),)), **fields})


def credit_note(api: httpx.Client, guid: str) -> dict[str, Any]:
    response = api.get(f"{CREDIT_NOTES}/{guid}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def book_credit_note(api: httpx.Client, guid: str, **fields: Any) -> httpx.Response:
    timestamp = credit_note(api, guid)["Timestamp"]
    return api.post(f"{CREDIT_NOTES}/{guid}/book", json={"Timestamp": timestamp, **fields})


def voucher_amounts(entries: list[dict[str, Any]], guid: str) -> dict[int, float]:
    """One voucher's entries, summed by account."""
    totals: dict[int, float] = {}
    for entry in entries:
        if entry["VoucherGuid"] == guid:
            totals[entry["AccountNumber"]] = round(totals.get(entry["AccountNumber"], 0.0) + entry["Amount"], 2)
    return totals
