"""Lines of manual vouchers and ledger items, as a client writes them."""

from __future__ import annotations

from typing import Any


def line(amount: float, account: int | None = None, balancing: int | None = None, **fields: Any) -> dict[str, Any]:
    """A line moving ``amount`` from ``balancing`` to ``account`` (either may be left out)."""
    body: dict[str, Any] = {"Description": "Postering", "Amount": amount, **fields}
    if account is not None:
        body["AccountNumber"] = account
    if balancing is not None:
        body["BalancingAccountNumber"] = balancing
    return body
