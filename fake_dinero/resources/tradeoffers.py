"""Trade offers (reference §4.8, §6.3)."""

from __future__ import annotations

from ..routing import Routes

routes = Routes(tag="Trade offers")
