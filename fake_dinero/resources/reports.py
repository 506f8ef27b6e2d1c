"""Reports for a whole accounting year: saldo, result, balance and primo."""

from __future__ import annotations

from ..routing import Routes

routes = Routes(tag="Reports")
