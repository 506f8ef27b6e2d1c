"""Payments on invoices and credit notes (reference §5.7, §6.1)."""

from __future__ import annotations

from ..routing import Routes

routes = Routes(tag="Payments")
