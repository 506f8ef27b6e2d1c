"""Manual vouchers (finansbilag; Dinero spells the path ``manuel``)."""

from __future__ import annotations

from ..routing import Routes

routes = Routes(tag="ManuelVouchers")
