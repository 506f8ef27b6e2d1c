"""Webhooks."""

from __future__ import annotations

from ..routing import Routes

routes = Routes(tag="Webhooks")
