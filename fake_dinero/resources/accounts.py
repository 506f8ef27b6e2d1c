"""Chart of accounts, deposit accounts, accounting years and VAT types."""

from __future__ import annotations

from ..routing import Routes

routes = Routes(tag="Accounts")
