"""Reminders on overdue invoices (reference §4.6, §5.9)."""

from __future__ import annotations

from ..routing import Routes

routes = Routes(tag="Reminders")
