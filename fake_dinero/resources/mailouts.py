"""Mail-outs, e-invoices and the outbox (reference §5.8)."""

from __future__ import annotations

from ..routing import Routes

routes = Routes(tag="Mail-outs")
