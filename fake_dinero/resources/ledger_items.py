"""Ledger items (kassekladde): add, read back, update, book in the background, status, delete."""

from __future__ import annotations

from ..routing import Routes

routes = Routes(tag="LedgerItems")
